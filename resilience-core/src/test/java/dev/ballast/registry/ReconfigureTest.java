package dev.ballast.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.ballast.TestTicker;
import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.queue.BoundedQueue;
import dev.ballast.queue.Overflow;
import dev.ballast.testlog.LogCapture;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

final class ReconfigureTest {
  private static final String DEFAULT_THRESHOLD =
      "ballast.circuitbreaker.configs.default.failure-rate-threshold";

  private static void fail(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      breaker.onError(breaker.acquire(), new IOException("down"));
    }
  }

  private static List<String> infos(String logger, String prefix) {
    return LogCapture.lines(logger).stream()
        .filter(l -> l.level() == Level.INFO && l.message().startsWith(prefix))
        .map(LogCapture.Line::message)
        .toList();
  }

  @Test
  void aCommandReconfiguresOneBreakerByNameKeepingItsCountsAndLogsOldAndNewAtInfo() {
    try (BallastRegistry registry = BallastRegistry.builder().name("re-one").build()) {
      CircuitBreaker breaker = registry.circuitBreaker("re-one-inventory");
      CircuitBreaker other = registry.circuitBreaker("re-one-payments");
      fail(breaker, 3);
      CircuitBreakerConfig calmer = breaker.config().toBuilder().failureRateThreshold(0.9).build();

      registry.commands().reconfigure(ComponentType.CIRCUIT_BREAKER, "re-one-inventory", calmer);

      assertThat(breaker.config()).isSameAs(calmer);
      assertThat(registry.find(ComponentType.CIRCUIT_BREAKER, "re-one-inventory"))
          .get()
          .extracting(CircuitBreaker::config)
          .isSameAs(calmer);
      assertThat(breaker.stats().windowFailures()).as("counts kept").isEqualTo(3);
      assertThat(other.config().failureRateThreshold()).as("others untouched").isEqualTo(0.5);
      assertThat(registry.config(ComponentType.CIRCUIT_BREAKER, "default").failureRateThreshold())
          .as("the shared config is not the instance's")
          .isEqualTo(0.5);
      assertThat(infos(CircuitBreaker.class.getName(), "name=re-one-inventory "))
          .containsExactly("name=re-one-inventory reconfigured failureRateThreshold=0.5->0.9");
      assertThat(registry.circuitBreaker("re-one-inventory"))
          .as("asking by name still gives the one breaker")
          .isSameAs(breaker);
    }
  }

  @Test
  void aCommandForAnUnknownNameIsRefusedNamingTheClosest() {
    try (BallastRegistry registry = BallastRegistry.builder().name("re-unknown").build()) {
      CircuitBreaker breaker = registry.circuitBreaker("inventory");
      CircuitBreakerConfig config = breaker.config().toBuilder().minimumCalls(50).build();

      assertThatIllegalArgumentException()
          .isThrownBy(
              () ->
                  registry
                      .commands()
                      .reconfigure(ComponentType.CIRCUIT_BREAKER, "inventroy", config))
          .withMessage(
              "registry 're-unknown' holds no circuitbreaker named 'inventroy'; the closest is"
                  + " 'inventory'");
      assertThat(registry.find(ComponentType.CIRCUIT_BREAKER, "inventroy")).isEmpty();
    }
  }

  @Test
  void aCommandChangingTheTickerIsRefusedAndLeavesTheBreakerAsItWas() {
    try (BallastRegistry registry = BallastRegistry.builder().name("re-ticker").build()) {
      CircuitBreaker breaker = registry.circuitBreaker("inventory");
      fail(breaker, 2);
      CircuitBreakerConfig before = breaker.config();
      CircuitBreakerConfig otherClock =
          before.toBuilder().ticker(new TestTicker()).failureRateThreshold(0.2).build();

      assertThatIllegalArgumentException()
          .isThrownBy(
              () ->
                  registry
                      .commands()
                      .reconfigure(ComponentType.CIRCUIT_BREAKER, "inventory", otherClock))
          .withMessageContaining("circuit breaker 'inventory': ticker cannot change at run time")
          .withMessageEndingWith("nothing was changed");
      assertThat(breaker.config()).isSameAs(before);
      assertThat(breaker.stats().windowFailures()).isEqualTo(2);
    }
  }

  @Test
  void aReloadReconfiguresEveryExistingComponentItChangesKeepingCounts() {
    Map<String, String> file = new HashMap<>();
    file.put(DEFAULT_THRESHOLD, "0.5");
    file.put("ballast.circuitbreaker.instances.re-load-payments.minimum-calls", "20");
    file.put("ballast.bulkhead.configs.default.max-concurrent-calls", "10");
    try (BallastRegistry registry =
        BallastRegistry.builder().name("re-load").properties(file).build()) {
      CircuitBreaker inventory = registry.circuitBreaker("re-load-inventory");
      CircuitBreaker payments = registry.circuitBreaker("re-load-payments");
      Bulkhead db = registry.bulkhead("re-load-db");
      fail(inventory, 4);
      file.put(DEFAULT_THRESHOLD, "0.3");
      file.put("ballast.circuitbreaker.instances.re-load-payments.minimum-calls", "40");

      List<String> changed = registry.reload(file);

      assertThat(changed)
          .containsExactly(
              "circuitbreaker 're-load-inventory': failureRateThreshold=0.5->0.3",
              "circuitbreaker 're-load-payments': failureRateThreshold=0.5->0.3"
                  + " minimumCalls=20->40");
      assertThat(inventory.config().failureRateThreshold()).isEqualTo(0.3);
      assertThat(inventory.stats().windowFailures()).as("counts kept").isEqualTo(4);
      assertThat(payments.config().minimumCalls()).isEqualTo(40);
      assertThat(db.config().maxConcurrentCalls()).as("unchanged").isEqualTo(10);
      assertThat(registry.circuitBreaker("re-load-inventory")).isSameAs(inventory);
      assertThat(registry.circuitBreaker("re-load-orders").config().failureRateThreshold())
          .as("a component created later starts from the new config")
          .isEqualTo(0.3);
      assertThat(registry.config(ComponentType.CIRCUIT_BREAKER, "default").failureRateThreshold())
          .isEqualTo(0.3);
      assertThat(infos(BallastRegistry.class.getName(), "registry=re-load "))
          .containsExactly(
              "registry=re-load reloaded properties: 2 component(s) reconfigured: circuitbreaker"
                  + " 're-load-inventory': failureRateThreshold=0.5->0.3; circuitbreaker"
                  + " 're-load-payments': failureRateThreshold=0.5->0.3 minimumCalls=20->40");
      assertThat(infos(CircuitBreaker.class.getName(), "name=re-load-inventory "))
          .containsExactly("name=re-load-inventory reconfigured failureRateThreshold=0.5->0.3");
    }
  }

  @Test
  void aReloadThatChangesNothingLeavesRunTimeCommandsInForce() {
    Map<String, String> file =
        Map.of("ballast.bulkhead.configs.default.max-concurrent-calls", "10");
    try (BallastRegistry registry =
        BallastRegistry.builder().name("re-same").properties(file).build()) {
      Bulkhead db = registry.bulkhead("db");
      registry.commands().changeMaxConcurrentCalls("db", 3);

      assertThat(registry.reload(file)).isEmpty();

      assertThat(db.stats().maxConcurrentCalls()).isEqualTo(3);
      assertThat(infos(BallastRegistry.class.getName(), "registry=re-same "))
          .containsExactly("registry=re-same reloaded properties: no component changed");
    }
  }

  @Test
  void aReloadWithABadValueIsRefusedNamingTheKeyBeforeAnythingChanges() {
    Map<String, String> file = new HashMap<>();
    file.put(DEFAULT_THRESHOLD, "0.5");
    try (BallastRegistry registry =
        BallastRegistry.builder().name("re-bad").properties(file).build()) {
      CircuitBreaker inventory = registry.circuitBreaker("inventory");
      file.put("ballast.circuitbreaker.instances.inventory.minimum-calls", "30");
      file.put("ballast.bulkhead.configs.default.max-concurrent-calls", "-2");

      assertThatIllegalArgumentException()
          .isThrownBy(() -> registry.reload(file))
          .withMessageContaining("ballast.bulkhead.configs.default.max-concurrent-calls=-2");
      file.remove("ballast.bulkhead.configs.default.max-concurrent-calls");
      file.put("ballast.circuitbreaker.configs.default.failure-rate-treshold", "0.2");
      assertThatIllegalArgumentException()
          .isThrownBy(() -> registry.reload(file))
          .withMessageContaining("ballast.circuitbreaker.configs.default.failure-rate-threshold");

      assertThat(inventory.config().minimumCalls()).isNotEqualTo(30);
      assertThat(registry.circuitBreaker("later").config().minimumCalls())
          .isEqualTo(inventory.config().minimumCalls());
    }
  }

  @Test
  void aReloadDroppingAConfigAComponentAskedForIsRefused() {
    Map<String, String> file = new HashMap<>();
    file.put("ballast.circuitbreaker.configs.slow.wait-in-open", "60s");
    try (BallastRegistry registry =
        BallastRegistry.builder().name("re-drop").properties(file).build()) {
      CircuitBreaker payments = registry.circuitBreaker("payments", "slow");
      file.clear();
      file.put("ballast.circuitbreaker.configs.slower.wait-in-open", "90s");

      assertThatIllegalArgumentException()
          .isThrownBy(() -> registry.reload(file))
          .withMessageStartingWith(
              "registry 're-drop': reload refused, nothing was changed: circuitbreaker 'payments':")
          .withMessageContaining("no circuitbreaker config named 'slow'");
      assertThat(payments.config().waitInOpen()).hasSeconds(60);
      assertThat(registry.configNames(ComponentType.CIRCUIT_BREAKER)).contains("slow");
    }
  }

  @Test
  void aSettingAComponentRefusesRefusesTheReloadAndGivesEarlierComponentsTheirConfigsBack() {
    Map<String, String> file = new HashMap<>();
    file.put(DEFAULT_THRESHOLD, "0.5");
    file.put("ballast.queue.configs.default.overflow", "reject");
    try (BallastRegistry registry =
        BallastRegistry.builder().name("re-refused").properties(file).build()) {
      CircuitBreaker inventory = registry.circuitBreaker("inventory");
      BoundedQueue<String> jobs = registry.queue("jobs", String.class);
      CircuitBreakerConfig before = inventory.config();
      file.put(DEFAULT_THRESHOLD, "0.3");
      file.put("ballast.queue.configs.default.overflow", "drop-oldest");

      assertThatIllegalArgumentException()
          .isThrownBy(() -> registry.reload(file))
          .withMessageContaining("registry 're-refused': reload refused")
          .withMessageContaining("overflow cannot change at run time")
          .withMessageEndingWith(
              "the 1 component(s) reconfigured before it have their previous configs back");

      assertThat(inventory.config().failureRateThreshold()).isEqualTo(0.5);
      assertThat(inventory.config()).isSameAs(before);
      assertThat(jobs.config().overflow()).isEqualTo(Overflow.REJECT);
      assertThat(registry.config(ComponentType.CIRCUIT_BREAKER, "default").failureRateThreshold())
          .as("the registry keeps its properties")
          .isEqualTo(0.5);
    }
  }

  @Test
  void aReloadReadsJavaUtilProperties() {
    try (BallastRegistry registry = BallastRegistry.builder().name("re-props").build()) {
      CircuitBreaker inventory = registry.circuitBreaker("inventory");
      Properties file = new Properties();
      file.setProperty(DEFAULT_THRESHOLD, "0.25");

      assertThat(registry.reload(file))
          .containsExactly("circuitbreaker 'inventory': failureRateThreshold=0.5->0.25");
      assertThat(inventory.config().failureRateThreshold()).isEqualTo(0.25);
    }
  }
}
