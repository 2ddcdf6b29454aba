package dev.ballast.micrometer;

import static dev.ballast.micrometer.Breakers.fail;
import static dev.ballast.micrometer.Breakers.ignore;
import static dev.ballast.micrometer.Breakers.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ballast.RejectedException;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.testkit.ManualTicker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class CircuitBreakerMetricsTest {
  private final ManualTicker ticker = new ManualTicker();
  private final CircuitBreaker breaker = Breakers.consecutive("inventory", ticker);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void stateGaugesFollowTransitions() {
    CircuitBreakerMetrics.of(breaker).bindTo(registry);
    assertOnlyState(CircuitBreakerState.CLOSED);

    fail(breaker, ticker, Duration.ofMillis(1));
    fail(breaker, ticker, Duration.ofMillis(1));
    assertOnlyState(CircuitBreakerState.OPEN);

    ticker.advance(Breakers.WAIT.plusMillis(1));
    long probe = breaker.acquire();
    assertOnlyState(CircuitBreakerState.HALF_OPEN);
    breaker.onResult(probe, "ok");
    assertOnlyState(CircuitBreakerState.CLOSED);

    breaker.forceOpen();
    assertOnlyState(CircuitBreakerState.FORCED_OPEN);
    breaker.disable();
    assertOnlyState(CircuitBreakerState.DISABLED);
    breaker.reset();
    assertOnlyState(CircuitBreakerState.CLOSED);
  }

  @Test
  void countsTheTimesADisabledBreakerWouldHaveOpened() {
    CircuitBreakerMetrics.of(breaker).bindTo(registry);
    Counter crossings = registry.get("ballast.circuitbreaker.threshold.crossings").counter();
    breaker.disable();

    fail(breaker, ticker, Duration.ofMillis(1));
    fail(breaker, ticker, Duration.ofMillis(1)); // two in a row: an enforcing breaker would open
    assertThat(crossings.count()).isEqualTo(1);
    fail(breaker, ticker, Duration.ofMillis(1)); // reported once per wait, not per failure
    assertThat(crossings.count()).isEqualTo(1);

    ticker.advance(Breakers.WAIT);
    fail(breaker, ticker, Duration.ofMillis(1));
    assertThat(crossings.count()).isEqualTo(2);
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.DISABLED);
  }

  @Test
  void probeWaitGaugeCountsDownWhileOpen() {
    CircuitBreakerMetrics.of(breaker).bindTo(registry);
    assertThat(registry.get("ballast.circuitbreaker.probe.wait").gauge().value()).isZero();

    fail(breaker, ticker, Duration.ofMillis(1));
    fail(breaker, ticker, Duration.ofMillis(1));
    assertThat(registry.get("ballast.circuitbreaker.probe.wait").gauge().value())
        .isCloseTo((double) Breakers.WAIT.toSeconds(), within(1e-9));
    ticker.advance(Duration.ofSeconds(4));
    assertThat(registry.get("ballast.circuitbreaker.probe.wait").gauge().value())
        .isCloseTo(Breakers.WAIT.toSeconds() - 4.0, within(1e-9));
  }

  @Test
  void timerCountsCallsByOutcome() {
    CircuitBreakerMetrics.of(breaker).bindTo(registry);

    succeed(breaker, ticker, Duration.ofMillis(10));
    succeed(breaker, ticker, Duration.ofMillis(30));
    fail(breaker, ticker, Duration.ofMillis(20));
    ignore(breaker, ticker, Duration.ofMillis(5));

    Timer successes = callTimer("success");
    assertThat(successes.count()).isEqualTo(2);
    assertThat(successes.totalTime(TimeUnit.MILLISECONDS)).isCloseTo(40.0, within(1e-9));
    assertThat(callTimer("failure").count()).isEqualTo(1);
    assertThat(callTimer("failure").totalTime(TimeUnit.MILLISECONDS)).isCloseTo(20.0, within(1e-9));
    assertThat(callTimer("ignored").count()).isEqualTo(1);
  }

  @Test
  void countsSlowCalls() {
    CircuitBreakerMetrics.of(breaker).bindTo(registry);

    succeed(breaker, ticker, Duration.ofMillis(150));
    succeed(breaker, ticker, Duration.ofMillis(50));
    fail(breaker, ticker, Duration.ofMillis(101));

    assertThat(registry.get("ballast.circuitbreaker.slow.calls").counter().count()).isEqualTo(2);
  }

  @Test
  void countsRejectedCalls() {
    CircuitBreakerMetrics.of(breaker).bindTo(registry);
    breaker.forceOpen();

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> breaker.run(() -> {})).isInstanceOf(RejectedException.class);
    }

    assertThat(registry.get("ballast.circuitbreaker.rejected").functionCounter().count())
        .isEqualTo(3);
    assertThat(callTimer("success").count()).isZero();
  }

  @Test
  void countsTransitionsPerPair() {
    CircuitBreakerMetrics.of(breaker).bindTo(registry);

    fail(breaker, ticker, Duration.ofMillis(1));
    fail(breaker, ticker, Duration.ofMillis(1));
    breaker.reset();
    fail(breaker, ticker, Duration.ofMillis(1));
    fail(breaker, ticker, Duration.ofMillis(1));

    assertThat(transitions("closed", "open").count()).isEqualTo(2);
    assertThat(transitions("open", "closed").count()).isEqualTo(1);
    assertThat(registry.find("ballast.circuitbreaker.transitions").counters()).hasSize(2);
  }

  @Test
  void publishesRatesAndBufferedCalls() {
    CircuitBreaker rated = Breakers.rate("rated", ticker);
    CircuitBreakerMetrics.of(rated).bindTo(registry);

    succeed(rated, ticker, Duration.ofMillis(150));
    succeed(rated, ticker, Duration.ofMillis(1));
    fail(rated, ticker, Duration.ofMillis(1));

    assertThat(gauge("ballast.circuitbreaker.buffered.calls", "rated")).isEqualTo(3.0);
    assertThat(gauge("ballast.circuitbreaker.failure.rate", "rated"))
        .isCloseTo(1.0 / 3, within(1e-9));
    assertThat(gauge("ballast.circuitbreaker.slow.call.rate", "rated"))
        .isCloseTo(1.0 / 3, within(1e-9));
  }

  @Test
  void aThrowingMeterLeavesTheBreakerAndOtherRegistriesAlone() {
    MeterRegistry throwing = new BrokenRegistry();
    CircuitBreakerMetrics metrics = CircuitBreakerMetrics.of(breaker);
    metrics.bindTo(throwing);
    metrics.bindTo(registry);

    fail(breaker, ticker, Duration.ofMillis(1));
    fail(breaker, ticker, Duration.ofMillis(1)); // the transition counter throws in `throwing`

    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(transitions("closed", "open").count()).isEqualTo(1);
    assertThat(callTimer("failure").count()).isEqualTo(2);
  }

  private void assertOnlyState(CircuitBreakerState expected) {
    for (CircuitBreakerState state : CircuitBreakerState.values()) {
      String tag = state.name().toLowerCase(Locale.ROOT);
      assertThat(
              registry
                  .get("ballast.circuitbreaker.state")
                  .tags("name", "inventory", "state", tag)
                  .gauge()
                  .value())
          .as("state=%s while %s; meters %s", tag, expected, Breakers.ids(registry))
          .isEqualTo(state == expected ? 1.0 : 0.0);
    }
  }

  private Timer callTimer(String outcome) {
    return registry
        .get("ballast.circuitbreaker.calls")
        .tags("name", "inventory", "outcome", outcome)
        .timer();
  }

  private Counter transitions(String from, String to) {
    return registry
        .get("ballast.circuitbreaker.transitions")
        .tags("name", "inventory", "from", from, "to", to)
        .counter();
  }

  private double gauge(String name, String breakerName) {
    return registry.get(name).tags("name", breakerName).gauge().value();
  }
}
