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
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Local back pressure is not the dependency's failure: an abandoning timeout whose executor refuses
 * the work refuses the call with a {@link RejectedException} of reason {@code OVERLOAD}, which an
 * outer breaker never counts.
 */
final class LocalBackPressureTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final CircuitBreaker breaker =
      CircuitBreaker.of(
          "legacy", CircuitBreakerConfig.builder().ticker(ticker).consecutiveFailures(3).build());

  private Timeout abandoningOn(java.util.concurrent.Executor executor) {
    return Timeout.of(
        "legacy",
        TimeoutConfig.builder(Duration.ofSeconds(1))
            .scheduler(scheduler)
            .mode(Timeout.Mode.ABANDON)
            .executor(executor)
            .build());
  }

  @Test
  void aSaturatedExecutorRefusesCallsWithoutTrippingTheOuterBreaker() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    ThreadPoolExecutor one =
        new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>());
    try {
      one.execute(
          () -> {
            started.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
      Timeout timeout = abandoningOn(one);
      Pipeline p = Pipeline.of(breaker, timeout);
      for (int i = 0; i < 5; i++) {
        assertThatThrownBy(() -> p.call(() -> "never runs"))
            .isInstanceOfSatisfying(
                RejectedException.class,
                e -> {
                  assertThat(e.reason()).isEqualTo(RejectedException.Reason.OVERLOAD);
                  assertThat(e.component()).isEqualTo("legacy");
                  assertThat(e.getCause()).isInstanceOf(RejectedExecutionException.class);
                });
      }
      assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
      assertThat(breaker.stats().windowFailures()).isZero();
      assertThat(timeout.stats().rejections()).isEqualTo(5);
      assertThat(timeout.stats().failures()).isZero();
      assertThat(scheduler.pending()).as("no timer left behind").isZero();
    } finally {
      release.countDown();
      one.shutdown();
      assertThat(one.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void anExecutorThatRefusesEveryTaskNeverOpensTheBreaker() {
    Timeout timeout =
        abandoningOn(
            task -> {
              throw new RejectedExecutionException("queue full");
            });
    Pipeline p = Pipeline.of(breaker, timeout);
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> p.call(() -> "never runs")).isInstanceOf(RejectedException.class);
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(timeout.stats().rejections()).isEqualTo(10);
    assertThat(timeout.stats().failures()).isZero();
  }
}
