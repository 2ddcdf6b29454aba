package dev.ballast.micrometer;

import static dev.ballast.micrometer.Breakers.fail;
import static dev.ballast.micrometer.Breakers.ignore;
import static dev.ballast.micrometer.Breakers.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ballast.RejectedException;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.testkit.ManualTicker;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class Resilience4jNamesTest {
  private final ManualTicker ticker = new ManualTicker();
  private final CircuitBreaker breaker = Breakers.rate("backendA", ticker);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private void bind() {
    CircuitBreakerMetrics.builder(breaker).resilience4jNames().build().bindTo(registry);
  }

  @Test
  void publishesResilience4jMeterNamesOnly() {
    bind();

    assertThat(registry.getMeters().stream().map(m -> m.getId().getName()).distinct())
        .containsExactlyInAnyOrder(
            "resilience4j.circuitbreaker.state",
            "resilience4j.circuitbreaker.calls",
            "resilience4j.circuitbreaker.not.permitted.calls",
            "resilience4j.circuitbreaker.failure.rate",
            "resilience4j.circuitbreaker.slow.call.rate",
            "resilience4j.circuitbreaker.buffered.calls",
            "resilience4j.circuitbreaker.slow.calls");
    assertThat(
            registry.find("resilience4j.circuitbreaker.calls").timers().stream()
                .map(t -> t.getId().getTag("kind"))
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("successful", "failed", "ignored");
    assertThat(
            registry.find("resilience4j.circuitbreaker.state").gauges().stream()
                .map(g -> g.getId().getTag("state"))
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("closed", "open", "half_open", "disabled", "forced_open");
  }

  @Test
  void setsNoBaseUnitSoPrometheusNamesMatchResilience4j() {
    bind();

    assertThat(registry.getMeters())
        .filteredOn(m -> m.getId().getType() != Meter.Type.TIMER)
        .allSatisfy(m -> assertThat(m.getId().getBaseUnit()).isNull());
  }

  @Test
  void countsCallsByKind() {
    bind();

    succeed(breaker, ticker, Duration.ofMillis(10));
    fail(breaker, ticker, Duration.ofMillis(10));
    ignore(breaker, ticker, Duration.ofMillis(10));

    assertThat(calls("successful")).isEqualTo(1);
    assertThat(calls("failed")).isEqualTo(1);
    assertThat(calls("ignored")).isEqualTo(1);
  }

  @Test
  void reportsRatesInPercentAndMinusOneBelowMinimumCalls() {
    bind();
    assertThat(gauge("resilience4j.circuitbreaker.failure.rate")).isEqualTo(-1.0);

    fail(breaker, ticker, Duration.ofMillis(1));
    assertThat(gauge("resilience4j.circuitbreaker.failure.rate")).isEqualTo(-1.0);
    assertThat(gauge("resilience4j.circuitbreaker.slow.call.rate")).isEqualTo(-1.0);

    succeed(breaker, ticker, Duration.ofMillis(150));
    assertThat(gauge("resilience4j.circuitbreaker.failure.rate")).isCloseTo(50.0, within(1e-9));
    assertThat(gauge("resilience4j.circuitbreaker.slow.call.rate")).isCloseTo(50.0, within(1e-9));
    assertThat(gauge("resilience4j.circuitbreaker.slow.calls")).isEqualTo(1.0);
    assertThat(buffered("failed")).isEqualTo(1.0);
    assertThat(buffered("successful")).isEqualTo(1.0);
  }

  @Test
  void reportsMinusOneForRulesWithoutARate() {
    CircuitBreaker consecutive = Breakers.consecutive("streaky", ticker);
    CircuitBreakerMetrics.builder(consecutive).resilience4jNames().build().bindTo(registry);

    fail(consecutive, ticker, Duration.ofMillis(1));

    assertThat(
            registry
                .get("resilience4j.circuitbreaker.failure.rate")
                .tag("name", "streaky")
                .gauge()
                .value())
        .isEqualTo(-1.0);
  }

  @Test
  void countsNotPermittedCalls() {
    bind();
    breaker.forceOpen();

    assertThatThrownBy(() -> breaker.run(() -> {})).isInstanceOf(RejectedException.class);
    assertThatThrownBy(() -> breaker.run(() -> {})).isInstanceOf(RejectedException.class);

    assertThat(
            registry
                .get("resilience4j.circuitbreaker.not.permitted.calls")
                .tags("name", "backendA", "kind", "not_permitted")
                .functionCounter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("resilience4j.circuitbreaker.state")
                .tags("name", "backendA", "state", "forced_open")
                .gauge()
                .value())
        .isEqualTo(1.0);
  }

  private long calls(String kind) {
    return registry
        .get("resilience4j.circuitbreaker.calls")
        .tags("name", "backendA", "kind", kind)
        .timer()
        .count();
  }

  private double buffered(String kind) {
    return registry
        .get("resilience4j.circuitbreaker.buffered.calls")
        .tags("name", "backendA", "kind", kind)
        .gauge()
        .value();
  }

  private double gauge(String name) {
    return registry.get(name).tag("name", "backendA").gauge().value();
  }
}
