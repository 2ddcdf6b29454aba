package dev.ballast.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Pipeline;
import dev.ballast.RejectedException;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.fallback.Fallback;
import dev.ballast.fallback.FallbackConfig;
import dev.ballast.retry.Backoff;
import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryConfig;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutConfig;
import dev.ballast.timeout.TimeoutExceededException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The recommended stack around a dependency that hangs, in virtual time: {@code
 * fallback(retry(breaker(timeout(call))))}. Timeouts turn hangs into failures, the breaker counts
 * them and opens, the open breaker ends the retry, and the fallback serves the cached answer for
 * the rejection only.
 */
final class FullPipelineTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final AtomicInteger calls = new AtomicInteger();
  private volatile boolean healthy;

  /** Answers at once when healthy; otherwise hangs until interrupted, like a blocking read. */
  private String inventory() throws InterruptedException {
    calls.incrementAndGet();
    if (healthy) {
      return "fresh";
    }
    for (int waited = 0; waited < 300_000; waited += 10) { // up to 5 minutes, 10 ms at a time
      ticker.advanceMillis(10); // runs the timeout's timer when due, which interrupts us
      if (Thread.interrupted()) {
        throw new InterruptedException("read interrupted");
      }
    }
    return "very late";
  }

  private final CircuitBreaker breaker =
      CircuitBreaker.of(
          "inventory",
          CircuitBreakerConfig.builder()
              .ticker(ticker)
              .consecutiveFailures(2)
              .waitInOpen(Duration.ofSeconds(30))
              .build());
  private final Timeout timeout =
      Timeout.of(
          "inventory", TimeoutConfig.builder(Duration.ofSeconds(1)).scheduler(scheduler).build());
  private final Retry retry =
      Retry.of(
          "inventory",
          RetryConfig.builder()
              .scheduler(scheduler)
              .maxAttempts(4)
              .backoff(Backoff.fixed(Duration.ofMillis(100)))
              .build());
  private final Fallback<String> fallback =
      Fallback.of(
          "inventory",
          FallbackConfig.<String>builder()
              .onRejected(RejectedException.Reason.DEPENDENCY_FAILURE)
              .rejectionFallbackValue("cached")
              .build());
  private final Pipeline pipeline = Pipeline.of(fallback, retry, breaker, timeout);

  @Test
  void aHangingDependencyIsBoundedCountedCutOffAndServedFromCache() throws Exception {
    assertThat(pipeline)
        .hasToString(
            "fallback[inventory](retry[inventory](circuitBreaker[inventory](timeout[inventory](call))))");
    long t0 = ticker.read();
    String answer = pipeline.call(this::inventory);

    assertThat(answer).isEqualTo("cached");
    assertThat(calls).hasValue(2); // two attempts timed out, the third was refused by the breaker
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
    // each attempt was cut at 1 s (not 5 minutes), plus two 100 ms waits
    assertThat(Duration.ofNanos(ticker.read() - t0)).isEqualTo(Duration.ofMillis(2_200));
    assertThat(timeout.stats().timeouts()).isEqualTo(2);
    assertThat(Thread.currentThread().isInterrupted()).isFalse(); // the timeout cleaned up
    assertThat(scheduler.pending()).isZero();

    // while open: answered from the cache without touching the dependency
    assertThat(pipeline.call(this::inventory)).isEqualTo("cached");
    assertThat(calls).hasValue(2);

    // the dependency heals; after the wait one probe closes the breaker
    healthy = true;
    ticker.advance(Duration.ofSeconds(30));
    assertThat(pipeline.call(this::inventory)).isEqualTo("fresh");
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void aRealFailureIsNotHiddenByTheRejectionFallback() {
    Pipeline noRetry = Pipeline.of(fallback, breaker, timeout);
    assertThatThrownBy(() -> noRetry.call(this::inventory))
        .isInstanceOf(TimeoutExceededException.class);
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }
}
