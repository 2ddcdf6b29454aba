package dev.ballast.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.governor.Governor;
import dev.ballast.queue.BoundedQueue;
import dev.ballast.queue.BoundedQueueConfig;
import dev.ballast.ratelimiter.RateLimiter;
import dev.ballast.retry.Retry;
import dev.ballast.shed.AdaptiveThrottle;
import dev.ballast.shed.LoadShedder;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class BallastRegistryTest {

  @Test
  void createsAComponentOnFirstUseAndReturnsTheSameOneAfter() {
    try (BallastRegistry registry = BallastRegistry.ofDefaults()) {
      CircuitBreaker first = registry.circuitBreaker("inventory");
      CircuitBreaker again = registry.circuitBreaker("inventory");

      assertThat(again).isSameAs(first);
      assertThat(first.name()).isEqualTo("inventory");
      assertThat(first.config()).isSameAs(CircuitBreakerConfig.defaults());
      assertThat(registry.size()).isEqualTo(1);
      assertThat(registry.find(ComponentType.CIRCUIT_BREAKER, "inventory")).containsSame(first);
      assertThat(registry.find(ComponentType.CIRCUIT_BREAKER, "payments")).isEmpty();
      assertThat(registry.find(ComponentType.BULKHEAD, "inventory"))
          .as("one name may serve several patterns")
          .isEmpty();
    }
  }

  @Test
  void holdsEveryPatternUnderItsOwnType() {
    try (BallastRegistry registry = BallastRegistry.ofDefaults()) {
      List<Object> made =
          List.of(
              registry.circuitBreaker("x"),
              registry.bulkhead("x"),
              registry.threadPoolBulkhead("x"),
              registry.timeout("x"),
              registry.retry("x"),
              registry.rateLimiter("x"),
              registry.loadShedder("x"),
              registry.adaptiveThrottle("x"),
              registry.governor("x"),
              registry.queue("x", String.class));

      assertThat(made)
          .extracting(o -> (Object) o.getClass())
          .containsExactly(
              CircuitBreaker.class,
              Bulkhead.class,
              ThreadPoolBulkhead.class,
              Timeout.class,
              Retry.class,
              RateLimiter.class,
              LoadShedder.class,
              AdaptiveThrottle.class,
              Governor.class,
              BoundedQueue.class);
      assertThat(registry.components()).containsExactlyElementsOf(made);
      for (ComponentType<?, ?> type : ComponentType.values()) {
        assertThat(registry.names(type)).as(type.key()).containsExactly("x");
        assertThat(registry.components(type)).hasSize(1).allMatch(type.type()::isInstance);
      }
    }
  }

  @Test
  void usesTheNamedConfigAskedForAndTheDefaultGivenInCode() {
    CircuitBreakerConfig slow =
        CircuitBreakerConfig.builder().waitInOpen(Duration.ofMinutes(5)).build();
    CircuitBreakerConfig ownDefault = CircuitBreakerConfig.builder().minimumCalls(7).build();
    try (BallastRegistry registry =
        BallastRegistry.builder()
            .config(ComponentType.CIRCUIT_BREAKER, "slow", slow)
            .config(ComponentType.CIRCUIT_BREAKER, "default", ownDefault)
            .build()) {
      assertThat(registry.circuitBreaker("payments", "slow").config()).isSameAs(slow);
      assertThat(registry.circuitBreaker("inventory").config()).isSameAs(ownDefault);
      assertThat(registry.config(ComponentType.CIRCUIT_BREAKER, "slow")).isSameAs(slow);
      assertThat(registry.configNames(ComponentType.CIRCUIT_BREAKER))
          .containsExactlyInAnyOrder("default", "slow");
      assertThat(registry.config(ComponentType.BULKHEAD, "default"))
          .as("a pattern with nothing given keeps its defaults")
          .isSameAs(dev.ballast.bulkhead.BulkheadConfig.defaults());
    }
  }

  @Test
  void anUnknownConfigNameIsRefusedNamingTheClosest() {
    CircuitBreakerConfig slow = CircuitBreakerConfig.builder().minimumCalls(3).build();
    try (BallastRegistry registry =
        BallastRegistry.builder().config(ComponentType.CIRCUIT_BREAKER, "slow", slow).build()) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> registry.circuitBreaker("inventory", "slwo"))
          .withMessageContaining("no circuitbreaker config named 'slwo'")
          .withMessageContaining("the closest is 'slow'");
      assertThat(registry.size()).isZero();
    }
  }

  @Test
  void askingAgainWithAnotherConfigIsRefusedAndByNameAloneGetsTheExistingOne() {
    CircuitBreakerConfig slow = CircuitBreakerConfig.builder().minimumCalls(3).build();
    CircuitBreakerConfig object = CircuitBreakerConfig.builder().minimumCalls(4).build();
    try (BallastRegistry registry =
        BallastRegistry.builder().config(ComponentType.CIRCUIT_BREAKER, "slow", slow).build()) {
      CircuitBreaker inventory = registry.circuitBreaker("inventory");
      assertThat(registry.circuitBreaker("inventory", "default")).isSameAs(inventory);
      assertThatIllegalStateException()
          .isThrownBy(() -> registry.circuitBreaker("inventory", "slow"))
          .withMessageContaining("circuitbreaker 'inventory' exists already")
          .withMessageContaining("made from config 'default'")
          .withMessageContaining("asked again with config 'slow'");

      CircuitBreaker payments = registry.circuitBreaker("payments", object);
      assertThat(registry.circuitBreaker("payments", object)).isSameAs(payments);
      assertThat(registry.circuitBreaker("payments")).isSameAs(payments);
      assertThatIllegalStateException()
          .isThrownBy(
              () ->
                  registry.circuitBreaker(
                      "payments", CircuitBreakerConfig.builder().minimumCalls(4).build()))
          .withMessageContaining("another CircuitBreakerConfig object");
      assertThatIllegalStateException()
          .isThrownBy(() -> registry.circuitBreaker("payments", "default"))
          .withMessageContaining("made from a CircuitBreakerConfig object");
    }
  }

  @Test
  void aQueueKeepsTheElementTypeItWasFirstAskedWith() {
    try (BallastRegistry registry = BallastRegistry.ofDefaults()) {
      BoundedQueue<String> jobs = registry.queue("jobs", String.class);
      jobs.add("one");
      BoundedQueue<String> again = registry.queue("jobs", String.class);

      assertThat(again).isSameAs(jobs).containsExactly("one");
      assertThatIllegalArgumentException()
          .isThrownBy(() -> registry.queue("jobs", Integer.class))
          .withMessageContaining("queue 'jobs' exists already with elements of java.lang.String")
          .withMessageContaining("java.lang.Integer");
      BoundedQueueConfig small = BoundedQueueConfig.builder().capacity(2).build();
      assertThat(registry.queue("small", Long.class, small).remainingCapacity()).isEqualTo(2);
    }
  }

  @Test
  void holdsAtMostMaxInstancesAndNamesTheLimitAndTheNameWhenFull() {
    try (BallastRegistry registry =
        BallastRegistry.builder().name("orders").maxInstances(2).build()) {
      registry.circuitBreaker("a");
      registry.bulkhead("b");
      assertThat(registry.circuitBreaker("a")).as("existing ones are still found").isNotNull();

      assertThatIllegalStateException()
          .isThrownBy(() -> registry.retry("user-123"))
          .withMessageContaining("registry 'orders'")
          .withMessageContaining("maximum of 2 components")
          .withMessageContaining("retry 'user-123'");

      registry.remove(ComponentType.BULKHEAD, "b");
      assertThat(registry.retry("user-123")).as("room again after a removal").isNotNull();
      assertThat(registry.maxInstances()).isEqualTo(2);
      assertThat(BallastRegistry.ofDefaults().maxInstances())
          .isEqualTo(BallastRegistry.DEFAULT_MAX_INSTANCES)
          .isEqualTo(1000);
    }
  }

  @Test
  void refusesBadSettingsNamingTheParameterAndTheValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BallastRegistry.builder().maxInstances(0))
        .withMessageContaining("maxInstances")
        .withMessageContaining("0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BallastRegistry.builder().maxInstances(-5))
        .withMessageContaining("-5");
    assertThatIllegalArgumentException().isThrownBy(() -> BallastRegistry.builder().name(" "));
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                BallastRegistry.builder()
                    .config(ComponentType.TIMEOUT, "fast", TimeoutConfig.defaults())
                    .config(ComponentType.TIMEOUT, "fast", TimeoutConfig.defaults()))
        .withMessageContaining("timeout config 'fast' was already given");
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                BallastRegistry.builder()
                    .properties(java.util.Map.of())
                    .properties(java.util.Map.of()))
        .withMessageContaining("properties were already given");
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void refusesBlankAndNullNames() {
    try (BallastRegistry registry = BallastRegistry.ofDefaults()) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> registry.circuitBreaker(""))
          .withMessageContaining("name");
      assertThatIllegalArgumentException().isThrownBy(() -> registry.bulkhead("  "));
      assertThatIllegalArgumentException()
          .isThrownBy(() -> registry.timeout("t", " "))
          .withMessageContaining("configName");
      assertThatNullPointerException().isThrownBy(() -> registry.retry(null));
      assertThatNullPointerException()
          .isThrownBy(() -> registry.queue("q", null))
          .withMessageContaining("elementType");
      assertThat(registry.size()).isZero();
    }
  }

  @Test
  void removeClosesTheComponentAndALaterRequestMakesANewOne() {
    try (BallastRegistry registry = BallastRegistry.ofDefaults()) {
      BoundedQueue<String> jobs = registry.queue("jobs", String.class);
      Timeout timeout = registry.timeout("slow");

      assertThat(registry.remove(ComponentType.QUEUE, "jobs")).isTrue();
      assertThat(registry.remove(ComponentType.QUEUE, "jobs")).isFalse();
      assertThat(jobs.offer("late")).as("a removed queue is closed").isFalse();
      assertThat(registry.find(ComponentType.QUEUE, "jobs")).isEmpty();
      assertThat(registry.queue("jobs", String.class)).isNotSameAs(jobs);
      assertThat(registry.find(ComponentType.TIMEOUT, "slow")).containsSame(timeout);
      assertThat(registry.size()).isEqualTo(2);
    }
  }

  @Test
  void closeRemovesAndClosesEverythingAndRefusesNewComponents() {
    BallastRegistry registry = BallastRegistry.ofDefaults();
    BoundedQueue<String> jobs = registry.queue("jobs", String.class);
    registry.circuitBreaker("inventory");
    List<String> removed = new ArrayList<>();
    registry.addListener(
        new RegistryListener() {
          @Override
          public void onRemoved(ComponentType<?, ?> type, String name, Object component) {
            removed.add(type.key() + ":" + name);
          }
        });

    registry.close();
    registry.close();

    assertThat(removed).containsExactlyInAnyOrder("queue:jobs", "circuitbreaker:inventory");
    assertThat(jobs.offer("late")).isFalse();
    assertThat(registry.components()).isEmpty();
    assertThat(registry.size()).isZero();
    assertThatIllegalStateException()
        .isThrownBy(() -> registry.circuitBreaker("inventory"))
        .withMessageContaining("registry 'default' is closed");
  }

  @Test
  void listenersHearAddsAndRemovesUntilTheirSubscriptionIsClosed() {
    try (BallastRegistry registry = BallastRegistry.ofDefaults()) {
      List<String> heard = new ArrayList<>();
      var subscription =
          registry.addListener(
              new RegistryListener() {
                @Override
                public void onAdded(ComponentType<?, ?> type, String name, Object component) {
                  heard.add(
                      "added " + type + " " + name + " " + component.getClass().getSimpleName());
                }

                @Override
                public void onRemoved(ComponentType<?, ?> type, String name, Object component) {
                  heard.add("removed " + type + " " + name);
                }
              });

      registry.circuitBreaker("inventory");
      registry.circuitBreaker("inventory");
      registry.remove(ComponentType.CIRCUIT_BREAKER, "inventory");
      subscription.close();
      registry.bulkhead("pool");

      assertThat(heard)
          .containsExactly(
              "added circuitbreaker inventory CircuitBreaker", "removed circuitbreaker inventory");
    }
  }

  @Test
  void describesItselfWithItsNameAndCount() {
    try (BallastRegistry registry =
        BallastRegistry.builder().name("orders").maxInstances(5).build()) {
      registry.retry("r");
      assertThat(registry).hasToString("BallastRegistry[name=orders, components=1/5]");
      assertThat(registry.name()).isEqualTo("orders");
      assertThat(ComponentType.CIRCUIT_BREAKER).hasToString("circuitbreaker");
      assertThat(ComponentType.values()).hasSize(10);
    }
  }
}
