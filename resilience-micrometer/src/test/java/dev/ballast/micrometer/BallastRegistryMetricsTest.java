package dev.ballast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.ballast.registry.BallastRegistry;
import dev.ballast.registry.ComponentType;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

final class BallastRegistryMetricsTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private Set<String> published(SimpleMeterRegistry r) {
    Set<String> out = new TreeSet<>();
    for (Meter m : r.getMeters()) {
      String prefix = m.getId().getName().split("\\.", 3)[1];
      out.add(prefix + ":" + m.getId().getTag("name"));
    }
    return out;
  }

  @Test
  void bindsEveryPresentComponentWithItsOwnBinderInOneLine() {
    try (BallastRegistry registry = BallastRegistry.ofDefaults()) {
      registry.circuitBreaker("inventory");
      registry.bulkhead("db");
      registry.threadPoolBulkhead("pool");
      registry.timeout("slow");
      registry.retry("payments");
      registry.rateLimiter("api");
      registry.loadShedder("front");
      registry.adaptiveThrottle("search");
      registry.governor("scaler");
      registry.queue("jobs", String.class);

      BallastRegistryMetrics.of(registry).bindTo(meters);

      assertThat(published(meters))
          .as("pattern segment of the meter name : name tag")
          .containsExactlyInAnyOrder(
              "circuitbreaker:inventory",
              "bulkhead:db",
              "bulkhead:pool",
              "timeout:slow",
              "retry:payments",
              "ratelimiter:api",
              "shed:front",
              "throttle:search",
              "governor:scaler",
              "queue:jobs");
      assertThat(meters.getMeters())
          .as("the same meters as the component's own binder")
          .filteredOn(m -> "inventory".equals(m.getId().getTag("name")))
          .hasSize(countOwn(registry));
    }
  }

  private static int countOwn(BallastRegistry registry) {
    SimpleMeterRegistry own = new SimpleMeterRegistry();
    CircuitBreakerMetrics.of(registry.circuitBreaker("inventory")).bindTo(own);
    return own.getMeters().size();
  }

  @Test
  void bindsComponentsAddedLaterAndRemovesTheMetersOfRemovedOnes() {
    BallastRegistry registry = BallastRegistry.ofDefaults();
    {
      registry.circuitBreaker("inventory");
      BallastRegistryMetrics metrics = BallastRegistryMetrics.of(registry);
      metrics.bindTo(meters);

      registry.bulkhead("db");
      assertThat(published(meters)).contains("bulkhead:db", "circuitbreaker:inventory");

      registry.remove(ComponentType.CIRCUIT_BREAKER, "inventory");
      assertThat(published(meters)).containsExactly("bulkhead:db");

      registry.circuitBreaker("inventory");
      assertThat(published(meters)).containsExactly("bulkhead:db", "circuitbreaker:inventory");

      registry.close();
      assertThat(meters.getMeters()).as("a closed registry removes every component").isEmpty();
      metrics.close();
    }
  }

  @Test
  void bindsToSeveralMeterRegistriesOnceEachAndCloseRemovesEverything() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    try (BallastRegistry registry = BallastRegistry.builder().name("orders").build()) {
      registry.retry("payments");
      BallastRegistryMetrics metrics = BallastRegistryMetrics.of(registry);
      metrics.bindTo(meters);
      metrics.bindTo(meters);
      metrics.bindTo(other);
      int once = meters.getMeters().size();
      registry.timeout("slow");

      assertThat(published(other)).containsExactly("retry:payments", "timeout:slow");
      assertThat(meters.getMeters()).hasSize(other.getMeters().size());
      assertThat(once).isPositive();

      metrics.close();
      metrics.close();
      registry.governor("late");

      assertThat(meters.getMeters()).isEmpty();
      assertThat(other.getMeters()).isEmpty();
      assertThatIllegalStateException()
          .isThrownBy(() -> metrics.bindTo(meters))
          .withMessageContaining("BallastRegistryMetrics[orders] is closed");
    }
  }

  @Test
  void tagsEveryMeterOfEveryComponentAndPublishesResilience4jNamesWhereOffered() {
    try (BallastRegistry registry = BallastRegistry.ofDefaults()) {
      registry.circuitBreaker("inventory");
      BallastRegistryMetrics.builder(registry)
          .tag("service", "orders")
          .resilience4jNames()
          .build()
          .bindTo(meters);
      registry.governor("scaler");

      assertThat(meters.getMeters()).allMatch(m -> "orders".equals(m.getId().getTag("service")));
      assertThat(meters.getMeters())
          .filteredOn(m -> "inventory".equals(m.getId().getTag("name")))
          .isNotEmpty()
          .allMatch(m -> m.getId().getName().startsWith("resilience4j.circuitbreaker."));
      assertThat(meters.getMeters())
          .filteredOn(m -> "scaler".equals(m.getId().getTag("name")))
          .as("a binder without Resilience4j names keeps Ballast's")
          .isNotEmpty()
          .allMatch(m -> m.getId().getName().startsWith("ballast.governor."));
    }
  }

  @Test
  void refusesAsExtraTagsEveryKeyAComponentBinderSetsItself() {
    try (BallastRegistry registry = BallastRegistry.ofDefaults()) {
      for (BinderCase c : BinderCase.all()) {
        assertThat(BallastRegistryMetrics.RESERVED_KEYS)
            .as(c.label())
            .containsAll(c.reservedKeys());
      }
      assertThatIllegalArgumentException()
          .isThrownBy(() -> BallastRegistryMetrics.builder(registry).tag("state", "x"))
          .withMessageContaining("reserved")
          .withMessageContaining("was state");
    }
  }
}
