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
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class CircuitBreakerMetricsTest {
  private final TestTicker ticker = new TestTicker();
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
  void closeRemovesEveryMeterFromEveryRegistry() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    CircuitBreakerMetrics metrics = CircuitBreakerMetrics.of(breaker);
    metrics.bindTo(registry);
    metrics.bindTo(other);
    fail(breaker, ticker, Duration.ofMillis(1));
    fail(breaker, ticker, Duration.ofMillis(1)); // registers a transition counter lazily
    assertThat(registry.find("ballast.circuitbreaker.transitions").counters()).hasSize(1);

    metrics.close();

    assertThat(registry.getMeters()).isEmpty();
    assertThat(other.getMeters()).isEmpty();
    breaker.reset(); // a transition after close registers nothing: the listener is gone
    succeed(breaker, ticker, Duration.ofMillis(1));
    assertThat(registry.getMeters()).isEmpty();
    metrics.close(); // idempotent
    assertThatThrownBy(() -> metrics.bindTo(registry)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void bindingTwiceToOneRegistryDoesNotDoubleCount() {
    CircuitBreakerMetrics metrics = CircuitBreakerMetrics.of(breaker);
    metrics.bindTo(registry);
    int meters = registry.getMeters().size();
    metrics.bindTo(registry);

    succeed(breaker, ticker, Duration.ofMillis(1));

    assertThat(registry.getMeters()).hasSize(meters);
    assertThat(callTimer("success").count()).isEqualTo(1);
  }

  @Test
  void feedsEveryBoundRegistry() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    CircuitBreakerMetrics metrics = CircuitBreakerMetrics.of(breaker);
    metrics.bindTo(registry);
    metrics.bindTo(other);

    succeed(breaker, ticker, Duration.ofMillis(1));

    assertThat(callTimer("success").count()).isEqualTo(1);
    assertThat(
            other
                .get("ballast.circuitbreaker.calls")
                .tags("name", "inventory", "outcome", "success")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void putsExtraTagsAndTheNameOnEveryMeter() {
    CircuitBreakerMetrics.builder(breaker)
        .tag("region", "eu")
        .tags(Tags.of("team", "stock"))
        .build()
        .bindTo(registry);
    fail(breaker, ticker, Duration.ofMillis(1));
    fail(breaker, ticker, Duration.ofMillis(1));

    assertThat(registry.getMeters())
        .isNotEmpty()
        .allSatisfy(
            meter ->
                assertThat(meter.getId().getTags())
                    .contains(
                        Tag.of("name", "inventory"),
                        Tag.of("region", "eu"),
                        Tag.of("team", "stock")));
  }

  @Test
  void everyBallastMeterHasADescriptionAndABaseUnit() {
    CircuitBreakerMetrics.of(breaker).bindTo(registry);
    breaker.forceOpen();

    assertThat(registry.getMeters())
        .allSatisfy(
            meter -> {
              assertThat(meter.getId().getName()).startsWith("ballast.circuitbreaker.");
              assertThat(meter.getId().getDescription()).isNotBlank();
              assertThat(meter.getId().getBaseUnit()).isNotBlank();
            });
  }

  @Test
  void refusesReservedTagKeys() {
    CircuitBreakerMetrics.Builder builder = CircuitBreakerMetrics.builder(breaker);

    assertThatThrownBy(() -> builder.tag("name", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
    assertThatThrownBy(() -> builder.tags(Tags.of("outcome", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outcome");
  }

  @Test
  void aThrowingMeterLeavesTheBreakerAndOtherRegistriesAlone() {
    MeterRegistry throwing = new ThrowingCounterRegistry();
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

  /** A registry whose counters throw when incremented. */
  private static final class ThrowingCounterRegistry extends SimpleMeterRegistry {
    @Override
    protected Counter newCounter(Meter.Id id) {
      return new Counter() {
        @Override
        public void increment(double amount) {
          throw new IllegalStateException("counter broken: " + id.getName());
        }

        @Override
        public double count() {
          return 0;
        }

        @Override
        public Meter.Id getId() {
          return id;
        }
      };
    }
  }
}
