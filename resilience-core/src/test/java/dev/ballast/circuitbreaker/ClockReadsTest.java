package dev.ballast.circuitbreaker;

import static dev.ballast.circuitbreaker.Breakers.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The success path of a closed breaker reads the clock only when it must (implementation notes,
 * "Success path"): to time a call (a listener or the slow rule) or for a window that keeps time.
 */
final class ClockReadsTest {

  /** A fixed clock that counts how often it is read. */
  private static final class CountingTicker implements Ticker {
    final AtomicLong reads = new AtomicLong();

    @Override
    public long read() {
      reads.incrementAndGet();
      return 1_000_000_000L;
    }
  }

  /** The clock reads of 100 successes. */
  private static long readsFor100Successes(CircuitBreakerConfig.Builder rule) {
    CountingTicker ticker = new CountingTicker();
    CircuitBreaker b = CircuitBreaker.of("clock", rule.ticker(ticker).build());
    succeed(b, 1); // anything done once, on the first call
    ticker.reads.set(0);
    succeed(b, 100);
    return ticker.reads.get();
  }

  @Test
  void anUntimedSuccessReadsNoClockUnlessTheWindowKeepsTime() {
    assertThat(readsFor100Successes(CircuitBreakerConfig.builder().countWindow(10))).isZero();
    assertThat(readsFor100Successes(CircuitBreakerConfig.builder().consecutiveFailures(3)))
        .isZero();
    assertThat(
            readsFor100Successes(
                CircuitBreakerConfig.builder().leakyBucket(3, Duration.ofSeconds(1))))
        .isZero();
    assertThat(
            readsFor100Successes(CircuitBreakerConfig.builder().timeWindow(Duration.ofSeconds(10))))
        .isEqualTo(100);
  }

  @Test
  void aTimedSuccessReadsTheClockAtTheStartAndTheEnd() {
    assertThat(
            readsFor100Successes(
                CircuitBreakerConfig.builder()
                    .countWindow(10)
                    .slowCallDuration(Duration.ofSeconds(1))))
        .isEqualTo(200);
  }
}
