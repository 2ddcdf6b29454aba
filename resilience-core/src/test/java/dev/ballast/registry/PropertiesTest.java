package dev.ballast.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.ballast.bulkhead.BulkheadConfig;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerConfig.TripRule;
import dev.ballast.governor.GovernorConfig;
import dev.ballast.queue.Overflow;
import dev.ballast.retry.Backoff;
import dev.ballast.retry.RetryConfig;
import dev.ballast.timeout.Timeout;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

final class PropertiesTest {

  @Test
  void configuresDefaultsNamedConfigsWithInheritanceAndInstanceOverrides() {
    Map<String, String> p =
        Map.of(
            "ballast.circuitbreaker.configs.default.wait-in-open", "30s",
            "ballast.circuitbreaker.configs.default.minimum-calls", "10",
            "ballast.circuitbreaker.configs.slow.base-config", "default",
            "ballast.circuitbreaker.configs.slow.slow-call-duration", "2s",
            "ballast.circuitbreaker.configs.slower.base-config", "slow",
            "ballast.circuitbreaker.configs.slower.wait-in-open", "PT2M",
            "ballast.circuitbreaker.instances.inventory.config", "slow",
            "ballast.circuitbreaker.instances.inventory.failure-rate-threshold", "0.25",
            "server.port", "8080");
    try (BallastRegistry registry = BallastRegistry.fromProperties(p)) {
      CircuitBreakerConfig byDefault = registry.circuitBreaker("other").config();
      assertThat(byDefault.waitInOpen()).isEqualTo(Duration.ofSeconds(30));
      assertThat(byDefault.minimumCalls()).isEqualTo(10);
      assertThat(byDefault.slowCallDuration()).isNull();

      CircuitBreakerConfig slower = registry.config(ComponentType.CIRCUIT_BREAKER, "slower");
      assertThat(slower.waitInOpen()).isEqualTo(Duration.ofMinutes(2));
      assertThat(slower.slowCallDuration()).isEqualTo(Duration.ofSeconds(2));
      assertThat(slower.minimumCalls()).as("through slow, from default").isEqualTo(10);

      CircuitBreakerConfig inventory = registry.circuitBreaker("inventory").config();
      assertThat(inventory.failureRateThreshold()).isEqualTo(0.25);
      assertThat(inventory.slowCallDuration()).isEqualTo(Duration.ofSeconds(2));
      assertThat(inventory.waitInOpen()).isEqualTo(Duration.ofSeconds(30));
      assertThat(registry.circuitBreaker("inventory", "slow"))
          .as("made from config slow")
          .isSameAs(registry.circuitBreaker("inventory"));
    }
  }

  @Test
  void aNamedConfigWithoutBaseInheritsFromDefault() {
    try (BallastRegistry registry =
        BallastRegistry.fromProperties(
            Map.of(
                "ballast.timeout.configs.default.duration", "2s",
                "ballast.timeout.configs.fast.mode", "abandon"))) {
      Timeout fast = registry.timeout("search", "fast");
      assertThat(fast.duration()).isEqualTo(Duration.ofSeconds(2));
      assertThat(fast.config().mode()).isEqualTo(Timeout.Mode.ABANDON);
    }
  }

  @Test
  void propertiesRefineAConfigGivenInCodeUnderTheSameName() {
    CircuitBreakerConfig code = CircuitBreakerConfig.builder().consecutiveFailures(3).build();
    try (BallastRegistry registry =
        BallastRegistry.builder()
            .config(ComponentType.CIRCUIT_BREAKER, "default", code)
            .properties(Map.of("ballast.circuitbreaker.configs.default.wait-in-open", "5s"))
            .build()) {
      CircuitBreakerConfig c = registry.circuitBreaker("x").config();
      assertThat(c.tripRule()).isEqualTo(TripRule.CONSECUTIVE_FAILURES);
      assertThat(c.consecutiveFailures()).isEqualTo(3);
      assertThat(c.waitInOpen()).isEqualTo(Duration.ofSeconds(5));
    }
  }

  @Test
  void theConfigAnInstancesPropertiesNameWinsOverTheConfigNameGivenInCode() {
    try (BallastRegistry registry =
        BallastRegistry.fromProperties(
            Map.of(
                "ballast.bulkhead.configs.small.max-concurrent-calls", "2",
                "ballast.bulkhead.configs.large.max-concurrent-calls", "50",
                "ballast.bulkhead.instances.db.config", "large"))) {
      assertThat(registry.bulkhead("db", "small").config().maxConcurrentCalls())
          .as("the operator moved db to large")
          .isEqualTo(50);
      assertThat(registry.bulkhead("db", "small")).isSameAs(registry.bulkhead("db"));
      assertThat(registry.bulkhead("other", "small").config().maxConcurrentCalls()).isEqualTo(2);
    }
  }

  @Test
  void instanceSettingsApplyOnTopOfAConfigObjectGivenInCode() {
    CircuitBreakerConfig code = CircuitBreakerConfig.builder().minimumCalls(3).build();
    try (BallastRegistry registry =
        BallastRegistry.fromProperties(
            Map.of("ballast.circuitbreaker.instances.inventory.minimum-calls", "9"))) {
      CircuitBreaker b = registry.circuitBreaker("inventory", code);
      assertThat(b.config().minimumCalls()).isEqualTo(9);
      assertThat(registry.circuitBreaker("inventory", code)).isSameAs(b);
    }
  }

  @Test
  void readsMultiValueNamedAndEnumOptionsOfEveryKind() {
    Properties p = new Properties();
    try {
      p.load(
          new StringReader(
              """
              ballast.circuitbreaker.configs.default.leaky-bucket = 10, 500ms
              ballast.circuitbreaker.configs.default.wait-growth = 2, 10m
              ballast.bulkhead.configs.default.max-concurrent-calls = 20
              ballast.bulkhead.configs.default.partition.checkout = 4, true
              ballast.bulkhead.configs.default.partition.admin = 1
              ballast.governor.configs.default.action.scale-up = 1, 10m
              ballast.governor.configs.default.band = 0.2, 0.8
              ballast.queue.configs.default.overflow = drop-oldest
              ballast.retry.configs.default.backoff = exponential 100ms 2 5s jitter 0.25
              ballast.retry.configs.default.retry-on = java.io.IOException
              ballast.retry.configs.default.budget = 0.1, 5, 10s
              ballast.retry.configs.default.max-duration = 1.5s
              """));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    try (BallastRegistry registry = BallastRegistry.builder().properties(p).build()) {
      CircuitBreakerConfig cb = registry.config(ComponentType.CIRCUIT_BREAKER, "default");
      assertThat(cb.tripRule()).isEqualTo(TripRule.LEAKY_BUCKET);
      assertThat(cb.bucketCapacity()).isEqualTo(10);
      assertThat(cb.leakInterval()).isEqualTo(Duration.ofMillis(500));
      assertThat(cb.waitMultiplier()).isEqualTo(2.0);
      assertThat(cb.maxWaitInOpen()).isEqualTo(Duration.ofMinutes(10));
      BulkheadConfig bh = registry.config(ComponentType.BULKHEAD, "default");
      assertThat(bh.maxConcurrentCalls()).isEqualTo(20);
      assertThat(bh.toString()).contains("checkout").contains("admin");
      GovernorConfig gv = registry.config(ComponentType.GOVERNOR, "default");
      assertThat(gv.toString()).contains("scale-up");
      assertThat(registry.config(ComponentType.QUEUE, "default").overflow())
          .isEqualTo(Overflow.DROP_OLDEST);
      RetryConfig retry = registry.config(ComponentType.RETRY, "default");
      assertThat(retry.backoff())
          .isEqualTo(
              Backoff.exponential(Duration.ofMillis(100), 2, Duration.ofSeconds(5))
                  .withJitter(0.25));
      assertThat(retry.maxDuration()).isEqualTo(Duration.ofMillis(1500));
    }
  }

  @Test
  void anUnknownOrMisspeltKeyNamesTheKeyAndTheClosestValidKey() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                BallastRegistry.fromProperties(
                    Map.of(
                        "ballast.circuitbreaker.instances.inventory.failure-rate-treshold", "0.5")))
        .withMessageContaining(
            "unknown key 'ballast.circuitbreaker.instances.inventory.failure-rate-treshold'")
        .withMessageContaining(
            "the closest valid key is"
                + " 'ballast.circuitbreaker.instances.inventory.failure-rate-threshold'");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                BallastRegistry.fromProperties(
                    Map.of("ballast.circuitbraker.configs.default.minimum-calls", "5")))
        .withMessageContaining("no pattern 'circuitbraker'")
        .withMessageContaining("'ballast.circuitbreaker.configs.default.minimum-calls'");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                BallastRegistry.fromProperties(
                    Map.of("ballast.bulkhead.config.default.max-wait", "1s")))
        .withMessageContaining("'ballast.bulkhead.configs.default.max-wait'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BallastRegistry.fromProperties(Map.of("ballast.retry.max-attempts", "3")))
        .withMessageContaining("unknown key 'ballast.retry.max-attempts'")
        .withMessageContaining("ballast.retry.instances.<name>.<option>");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                BallastRegistry.fromProperties(
                    Map.of("ballast.circuitbreaker.configs.slow.config", "default")))
        .withMessageContaining("the closest valid key is 'ballast.circuitbreaker.configs.slow.");
  }

  @Test
  void aBadValueNamesTheKeyAndTheValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                BallastRegistry.fromProperties(
                    Map.of("ballast.circuitbreaker.configs.default.wait-in-open", "thirty")))
        .withMessageStartingWith("ballast.circuitbreaker.configs.default.wait-in-open=thirty: ")
        .withMessageContaining("not a duration");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                BallastRegistry.fromProperties(
                    Map.of("ballast.circuitbreaker.instances.x.failure-rate-threshold", "1.5")))
        .withMessageStartingWith("ballast.circuitbreaker.instances.x.failure-rate-threshold=1.5: ")
        .withMessageContaining("failureRateThreshold");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                BallastRegistry.fromProperties(
                    Map.of("ballast.queue.configs.default.overflow", "explode")))
        .withMessageContaining("ballast.queue.configs.default.overflow=explode")
        .withMessageContaining("drop-oldest");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                BallastRegistry.fromProperties(
                    Map.of("ballast.retry.configs.default.retry-on", "java.io.NoSuchThing")))
        .withMessageContaining("no class named 'java.io.NoSuchThing'");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                BallastRegistry.fromProperties(
                    Map.of("ballast.retry.configs.default.retry-on", "java.lang.String")))
        .withMessageContaining("'java.lang.String' is not a Throwable");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                BallastRegistry.fromProperties(
                    Map.of("ballast.timeout.configs.default.stack-traces", "yes")))
        .withMessageContaining("stack-traces=yes: not true or false");
  }

  @Test
  void twoSettingsThatExcludeEachOtherInOneLayerAreRefusedNamingTheKey() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                BallastRegistry.fromProperties(
                    Map.of(
                        "ballast.circuitbreaker.configs.default.count-window", "50",
                        "ballast.circuitbreaker.configs.default.time-window", "10s")))
        .withMessageContaining("ballast.circuitbreaker.configs.default.time-window=10s")
        .withMessageContaining("trip rule was already set");
  }

  @Test
  void aChildMayChangeTheTripRuleItsBaseChose() {
    try (BallastRegistry registry =
        BallastRegistry.fromProperties(
            Map.of(
                "ballast.circuitbreaker.configs.default.count-window", "50",
                "ballast.circuitbreaker.configs.timed.time-window", "10s"))) {
      assertThat(registry.config(ComponentType.CIRCUIT_BREAKER, "timed").tripRule())
          .isEqualTo(TripRule.FAILURE_RATE_OVER_TIME);
    }
  }

  @Test
  void anUnknownBaseConfigIsRefusedNamingTheKeyAndTheClosestConfig() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                BallastRegistry.fromProperties(
                    Map.of(
                        "ballast.circuitbreaker.configs.slow.minimum-calls", "5",
                        "ballast.circuitbreaker.configs.slower.base-config", "slwo")))
        .withMessageContaining("ballast.circuitbreaker.configs.slower.base-config=slwo")
        .withMessageContaining("the closest is 'slow'");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                BallastRegistry.fromProperties(
                    Map.of("ballast.circuitbreaker.instances.inventory.config", "nope")))
        .withMessageContaining("ballast.circuitbreaker.instances.inventory.config")
        .withMessageContaining("no circuitbreaker config named 'nope'");
  }

  @Test
  void aCycleOfBaseConfigsIsRefusedNamingTheCycle() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                BallastRegistry.fromProperties(
                    Map.of(
                        "ballast.retry.configs.a.base-config", "b",
                        "ballast.retry.configs.b.base-config", "c",
                        "ballast.retry.configs.c.base-config", "a")))
        .withMessageContaining("base-config inheritance has a cycle: a -> b -> c -> a");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                BallastRegistry.fromProperties(
                    Map.of("ballast.retry.configs.default.base-config", "default")))
        .withMessageContaining("cycle: default -> default");
  }

  @Test
  void aConfigGivenInCodeCannotAlsoInheritInProperties() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                BallastRegistry.builder()
                    .config(ComponentType.RETRY, "fast", RetryConfig.defaults())
                    .properties(Map.of("ballast.retry.configs.fast.base-config", "default"))
                    .build())
        .withMessageContaining("ballast.retry.configs.fast.base-config")
        .withMessageContaining("given in code");
  }
}
