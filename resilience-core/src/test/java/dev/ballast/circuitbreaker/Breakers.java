package dev.ballast.circuitbreaker;

import dev.ballast.TestTicker;
import java.io.IOException;
import java.time.Duration;

/** Helpers shared by the breaker tests. */
final class Breakers {
  private Breakers() {}

  static CircuitBreakerConfig.Builder config(TestTicker ticker) {
    return CircuitBreakerConfig.builder().ticker(ticker).waitInOpen(Duration.ofSeconds(10));
  }

  static void succeed(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      breaker.call(() -> "ok");
    }
  }

  static void fail(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      try {
        breaker.call(
            () -> {
              throw new IOException("boom");
            });
      } catch (IOException expected) {
        // counted by the breaker
      }
    }
  }

  /** A call that takes {@code d} on the ticker. */
  static void slow(CircuitBreaker breaker, TestTicker ticker, Duration d) {
    breaker.call(
        () -> {
          ticker.advance(d);
          return "late";
        });
  }
}
