package dev.ballast.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

final class ConfigValidationTest {

  private static void rejects(Consumer<CircuitBreakerConfig.Builder> setter, String... words) {
    assertThatThrownBy(() -> setter.accept(CircuitBreakerConfig.builder()))
        .isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(words));
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void namesTheParameterAndTheValueOfEveryBadSetting() {
    rejects(b -> b.countWindow(0), "windowCalls", "0");
    rejects(b -> b.countWindow(2_000_000), "windowCalls", "2000000");
    rejects(b -> b.timeWindow(Duration.ZERO), "windowDuration", "PT0S");
    rejects(b -> b.timeWindow(Duration.ofMillis(5)), "windowDuration", "PT0.005S");
    rejects(b -> b.timeWindow(Duration.ofDays(400)), "windowDuration", "PT9600H");
    rejects(b -> b.timeWindow(null), "windowDuration");
    rejects(b -> b.consecutiveFailures(-1), "consecutiveFailures", "-1");
    rejects(b -> b.leakyBucket(0, Duration.ofSeconds(1)), "bucketCapacity", "0");
    rejects(b -> b.leakyBucket(1, Duration.ofSeconds(-1)), "leakInterval", "PT-1S");
    rejects(b -> b.leakyBucket(1000, Duration.ofDays(365)), "capacity=1000", "PT8760H");
    rejects(b -> b.failureRateThreshold(0.0), "failureRateThreshold", "0.0");
    rejects(b -> b.failureRateThreshold(1.5), "failureRateThreshold", "1.5");
    rejects(b -> b.failureRateThreshold(Double.NaN), "failureRateThreshold", "NaN");
    rejects(b -> b.minimumCalls(0), "minimumCalls", "0");
    rejects(b -> b.slowCallDuration(Duration.ofNanos(-5)), "slowCallDuration", "-0.000000005");
    rejects(b -> b.slowCallRateThreshold(-0.1), "slowCallRateThreshold", "-0.1");
    rejects(b -> b.waitInOpen(Duration.ZERO), "waitInOpen", "PT0S");
    rejects(b -> b.waitGrowth(0.5, Duration.ofMinutes(1)), "waitMultiplier", "0.5");
    rejects(b -> b.waitGrowth(Double.POSITIVE_INFINITY, Duration.ofMinutes(1)), "waitMultiplier");
    rejects(b -> b.waitGrowth(2, Duration.ZERO), "maxWaitInOpen", "PT0S");
    rejects(b -> b.halfOpenProbes(0), "halfOpenProbes", "0");
    rejects(b -> b.halfOpenProbes(1001), "halfOpenProbes", "1000", "1001");
    rejects(b -> b.halfOpenSuccesses(0), "halfOpenSuccesses", "0");
    rejects(b -> b.probeLease(Duration.ZERO), "probeLease", "PT0S");
    rejects(b -> b.classifier(null), "classifier");
    rejects(b -> b.ticker(null), "ticker");
  }

  @Test
  void acceptsTheBoundsOfEveryRange() {
    assertThat(CircuitBreakerConfig.builder().countWindow(1_000_000).build().windowCalls())
        .isEqualTo(1_000_000);
    assertThat(
            CircuitBreakerConfig.builder()
                .timeWindow(Duration.ofMillis(10))
                .build()
                .windowDuration())
        .isEqualTo(Duration.ofMillis(10));
    assertThat(CircuitBreakerConfig.builder().halfOpenProbes(1000).build().halfOpenProbes())
        .isEqualTo(1000);
    CircuitBreakerConfig sameCap =
        CircuitBreakerConfig.builder()
            .waitInOpen(Duration.ofMinutes(1))
            .waitGrowth(2, Duration.ofMinutes(1))
            .halfOpenProbes(3)
            .halfOpenSuccesses(3)
            .build();
    assertThat(sameCap.maxWaitInOpen()).isEqualTo(sameCap.waitInOpen());
    assertThat(sameCap.halfOpenSuccesses()).isEqualTo(3);
  }

  @Test
  void checksSettingsAgainstEachOtherAtBuild() {
    rejects(b -> b.halfOpenProbes(2).halfOpenSuccesses(3).build(), "halfOpenSuccesses", "3", "2");
    rejects(
        b -> b.waitInOpen(Duration.ofMinutes(5)).waitGrowth(2, Duration.ofMinutes(1)).build(),
        "maxWaitInOpen",
        "PT1M");
  }

  @Test
  void defaultsAreDocumented() {
    CircuitBreakerConfig c = CircuitBreakerConfig.defaults();
    assertThat(c.tripRule()).isEqualTo(CircuitBreakerConfig.TripRule.FAILURE_RATE_OVER_CALLS);
    assertThat(c.windowCalls()).isEqualTo(100);
    assertThat(c.failureRateThreshold()).isEqualTo(0.5);
    assertThat(c.minimumCalls()).isEqualTo(20);
    assertThat(c.slowCallDuration()).isNull();
    assertThat(c.waitInOpen()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.maxWaitInOpen()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.halfOpenProbes()).isEqualTo(1);
    assertThat(c.halfOpenSuccesses()).isEqualTo(1);
    assertThat(c.probeLease()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.stackTraces()).isFalse();
    assertThat(c.toBuilder().build().windowCalls()).isEqualTo(100);
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void breakerNameMustBePresent() {
    assertThatThrownBy(() -> CircuitBreaker.of(" ", CircuitBreakerConfig.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
    assertThatThrownBy(() -> CircuitBreaker.of("x", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("config");
  }

  @Test
  void aBreakerKeepsItsNameAndConfig() {
    CircuitBreaker named = CircuitBreaker.ofDefaults("inventory");
    assertThat(named.name()).isEqualTo("inventory");
    assertThat(named.config()).isSameAs(CircuitBreakerConfig.defaults());
    assertThat(named).hasToString("circuitBreaker[inventory]");
  }
}
