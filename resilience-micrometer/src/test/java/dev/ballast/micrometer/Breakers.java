package dev.ballast.micrometer;

import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.testkit.ManualTicker;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** Breakers and calls for the tests, driven by a {@link ManualTicker}. */
final class Breakers {
  static final Duration WAIT = Duration.ofSeconds(10);

  private Breakers() {}

  /** A breaker that opens after two failures in a row and waits {@link #WAIT} when open. */
  static CircuitBreaker consecutive(String name, ManualTicker ticker) {
    return CircuitBreaker.of(
        name,
        CircuitBreakerConfig.builder()
            .consecutiveFailures(2)
            .waitInOpen(WAIT)
            .slowCallDuration(Duration.ofMillis(100))
            .ticker(ticker)
            .build());
  }

  /** A breaker over the last 4 calls, which needs 2 calls before its rate counts. */
  static CircuitBreaker rate(String name, ManualTicker ticker) {
    return CircuitBreaker.of(
        name,
        CircuitBreakerConfig.builder()
            .countWindow(4)
            .minimumCalls(2)
            .failureRateThreshold(0.75)
            .slowCallDuration(Duration.ofMillis(100))
            .waitInOpen(WAIT)
            .ticker(ticker)
            .build());
  }

  /** Makes one call that takes {@code took} on the ticker and succeeds. */
  static void succeed(CircuitBreaker breaker, ManualTicker ticker, Duration took) {
    long permit = breaker.acquire();
    ticker.advance(took);
    breaker.onResult(permit, "ok");
  }

  /** Makes one call that takes {@code took} on the ticker and fails. */
  static void fail(CircuitBreaker breaker, ManualTicker ticker, Duration took) {
    long permit = breaker.acquire();
    ticker.advance(took);
    breaker.onError(permit, new IOException("down"));
  }

  /** Makes one call that takes {@code took} and whose permit is released unused (ignored). */
  static void ignore(CircuitBreaker breaker, ManualTicker ticker, Duration took) {
    long permit = breaker.acquire();
    ticker.advance(took);
    breaker.release(permit);
  }

  /** The registry's meter ids, one line each, for assertion messages. */
  static List<String> ids(MeterRegistry registry) {
    return registry.getMeters().stream()
        .map(Meter::getId)
        .map(Meter.Id::toString)
        .sorted()
        .collect(Collectors.toList());
  }
}
