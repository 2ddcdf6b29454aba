package dev.ballast.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Pipeline;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerOpenException;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.retry.Backoff;
import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A retry outside a circuit breaker: {@code retry(breaker(call))}. */
final class RetryAroundBreakerTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final CircuitBreaker breaker =
      CircuitBreaker.of(
          "inventory",
          CircuitBreakerConfig.builder()
              .ticker(ticker)
              .consecutiveFailures(2)
              .waitInOpen(Duration.ofSeconds(10))
              .build());
  private final AtomicInteger attempts = new AtomicInteger();

  private String failUntil(int attempt) throws IOException {
    if (attempts.incrementAndGet() < attempt) {
      throw new IOException("down " + attempts.get());
    }
    return "back";
  }

  @Test
  void onceTheBreakerOpensItsRejectionEndsTheRetryAtOnce() {
    Retry retry =
        Retry.of(
            "inventory",
            RetryConfig.builder()
                .scheduler(scheduler)
                .maxAttempts(5)
                .backoff(Backoff.fixed(Duration.ofMillis(10)))
                .build());
    Pipeline pipeline = Pipeline.of(retry, breaker);
    assertThat(pipeline).hasToString("retry[inventory](circuitBreaker[inventory](call))");
    long t0 = ticker.read();
    assertThatThrownBy(() -> pipeline.call(() -> failUntil(100)))
        .isInstanceOf(CircuitBreakerOpenException.class);
    assertThat(attempts).hasValue(2); // the third attempt was refused, and that was the end
    assertThat(ticker.read() - t0).isEqualTo(Duration.ofMillis(20).toNanos());
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(retry.stats().rejections()).isEqualTo(1);
    assertThat(retry.stats().retries()).isEqualTo(2);
  }

  @Test
  void aRetryThatWaitsForRetryAfterComesBackWhenTheBreakerLetsAProbeThrough() throws IOException {
    Retry retry =
        Retry.of(
            "inventory",
            RetryConfig.builder()
                .scheduler(scheduler)
                .maxAttempts(4)
                .backoff(Backoff.fixed(Duration.ofMillis(10)))
                .waitForRetryAfter(Duration.ofMinutes(1))
                .build());
    Pipeline pipeline = Pipeline.of(retry, breaker);
    long t0 = ticker.read();
    assertThat(pipeline.call(() -> failUntil(3))).isEqualTo("back");
    // Attempt 2 opened the breaker at 10 ms; attempt 3 was refused at 20 ms with the rest of
    // the 10 s wait as retryAfter, and attempt 4, the probe, came at 10.010 s and closed it.
    assertThat(ticker.read() - t0).isEqualTo(Duration.ofMillis(10_010).toNanos());
    assertThat(attempts).hasValue(3);
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }
}
