package dev.ballast.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ballast.Pipeline;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkheadConfig;
import dev.ballast.bulkhead.ThreadPoolBulkheadRejectedException;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutConfig;
import dev.ballast.timeout.TimeoutExceededException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A caller whose timeout fires while its task waits in a thread-pool bulkhead's queue gives the
 * task up for good: the timeout cancels the stage, the bulkhead removes the task, and it never runs
 * later (Resilience4j's runs it). The pool's refusals reach an outer breaker as rejections, never
 * as failures.
 */
final class ThreadPoolBulkheadUnderTimeoutTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final Timeout timeout =
      Timeout.of(
          "inventory", TimeoutConfig.builder(Duration.ofSeconds(1)).scheduler(scheduler).build());
  private final ThreadPoolBulkhead pool =
      ThreadPoolBulkhead.of(
          "inventory", ThreadPoolBulkheadConfig.builder().maxThreads(1).queueCapacity(1).build());
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    pool.close();
  }

  private static Throwable failure(CompletionStage<?> stage) {
    AtomicReference<Throwable> error = new AtomicReference<>();
    stage.whenComplete((r, e) -> error.set(e));
    await().until(() -> stage.toCompletableFuture().isDone());
    return error.get();
  }

  @Test
  void aTaskQueuedWhenItsTimeoutFiresNeverRuns() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    pool.submit(
        () -> {
          started.countDown();
          release.await();
          return "slow";
        });
    started.await();
    AtomicBoolean ran = new AtomicBoolean();
    CompletionStage<Boolean> call =
        timeout.callAsync(
            () -> pool.callAsync(() -> CompletableFuture.completedFuture(ran.getAndSet(true))));
    assertThat(pool.stats().queued()).isEqualTo(1);

    ticker.advance(Duration.ofSeconds(2));
    scheduler.runDue();

    assertThat(failure(call)).isInstanceOf(TimeoutExceededException.class);
    assertThat(pool.stats().queued()).isZero();
    assertThat(pool.stats().cancellations()).isEqualTo(1);
    release.countDown();
    assertThat(pool.submit(() -> "next").toCompletableFuture().get()).isEqualTo("next");
    assertThat(ran).isFalse();
  }

  @Test
  void aFullPoolsRefusalIsNotCountedAsAFailureByAnOuterBreaker() throws Exception {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "inventory",
            CircuitBreakerConfig.builder().ticker(ticker).consecutiveFailures(1).build());
    Pipeline pipeline = Pipeline.of(breaker, pool);
    CountDownLatch started = new CountDownLatch(1);
    pool.submit(
        () -> {
          started.countDown();
          release.await();
          return "slow";
        });
    started.await();
    pool.submit(() -> "queued");

    Throwable refused =
        failure(pipeline.callAsync(() -> CompletableFuture.completedFuture("refused")));

    assertThat(refused).isInstanceOf(ThreadPoolBulkheadRejectedException.class);
    assertThat(breaker.stats().windowFailures()).isZero();
    assertThat(breaker.call(() -> "still closed")).isEqualTo("still closed");
  }
}
