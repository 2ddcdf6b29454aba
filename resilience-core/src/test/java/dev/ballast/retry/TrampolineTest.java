package dev.ballast.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous attempts run in a loop, not by recursion: a call's stack depth does not grow with
 * its attempts, whether attempts fail at once on the caller's thread or later on another thread.
 */
final class TrampolineTest {
  private static final int ATTEMPTS = 100_000;
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);

  private Retry immediate() {
    return Retry.of(
        "loop",
        RetryConfig.builder()
            .scheduler(scheduler)
            .executor(Runnable::run)
            .backoff(Backoff.fixed(Duration.ZERO))
            .maxAttempts(ATTEMPTS)
            .build());
  }

  @Test
  void aHundredThousandAttemptsThatFailAtOnceCompleteWithTheLastFailure() {
    Retry retry = immediate();
    AtomicInteger n = new AtomicInteger();
    CompletableFuture<String> out =
        retry
            .<String>callAsync(
                () ->
                    CompletableFuture.failedFuture(new IOException("fail " + n.incrementAndGet())))
            .toCompletableFuture();
    assertThat(out).isDone();
    assertThat(n).hasValue(ATTEMPTS);
    assertThat(out.handle((r, e) -> e).join())
        .isInstanceOf(IOException.class)
        .hasMessage("fail " + ATTEMPTS);
    RetryStats s = retry.stats();
    assertThat(s.calls()).isEqualTo(1);
    assertThat(s.failuresAfterRetry()).isEqualTo(1);
    assertThat(s.retries()).isEqualTo(ATTEMPTS - 1);
    assertThat(s.calls() + s.retries()).isEqualTo(n.get());
  }

  @Test
  void aHundredThousandAttemptsCompletedLaterOnAnotherThreadCompleteWithTheLastFailure()
      throws Exception {
    Retry retry = immediate();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      AtomicInteger n = new AtomicInteger();
      CompletableFuture<String> out =
          retry
              .<String>callAsync(
                  () ->
                      CompletableFuture.supplyAsync(
                          () -> {
                            throw new IllegalStateException("fail " + n.incrementAndGet());
                          },
                          other))
              .toCompletableFuture();
      await().atMost(Duration.ofSeconds(60)).until(out::isDone);
      assertThat(out.handle((r, e) -> e).join())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("fail " + ATTEMPTS);
      RetryStats s = retry.stats();
      assertThat(s.calls()).isEqualTo(1);
      assertThat(s.failuresAfterRetry()).isEqualTo(1);
      assertThat(s.retries()).isEqualTo(ATTEMPTS - 1);
      assertThat(n).hasValue(ATTEMPTS);
    } finally {
      other.shutdownNow();
      assertThat(other.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void attemptsThatSucceedLaterEndTheLoop() {
    Retry retry = immediate();
    AtomicInteger n = new AtomicInteger();
    CompletableFuture<String> out =
        retry
            .<String>callAsync(
                () ->
                    n.incrementAndGet() < 50_000
                        ? CompletableFuture.failedFuture(new IOException("again"))
                        : CompletableFuture.completedFuture("done"))
            .toCompletableFuture();
    assertThat(out).isCompletedWithValue("done");
    assertThat(retry.stats().successesAfterRetry()).isEqualTo(1);
    assertThat(retry.stats().retries()).isEqualTo(49_999);
  }

  /** Runs each task on a new thread named "retry-pool" and returns once the task has ended. */
  private static void onPoolThenReturn(Runnable task) {
    Thread t = new Thread(task, "retry-pool");
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void attemptsAfterAWaitRunOnTheExecutorNotOnTheThreadThatEndedTheWait() {
    Retry retry =
        Retry.of(
            "pooled",
            RetryConfig.builder()
                .scheduler(scheduler)
                .executor(TrampolineTest::onPoolThenReturn)
                .backoff(Backoff.fixed(Duration.ofMillis(10)))
                .maxAttempts(3)
                .build());
    List<String> threads = new CopyOnWriteArrayList<>();
    CompletableFuture<String> out =
        retry
            .<String>callAsync(
                () -> {
                  threads.add(Thread.currentThread().getName());
                  return CompletableFuture.failedFuture(new IOException("down"));
                })
            .toCompletableFuture();
    ticker.advance(Duration.ofMillis(10)); // the timer fires on this thread
    ticker.advance(Duration.ofMillis(10));
    assertThat(out).isCompletedExceptionally();
    assertThat(threads)
        .containsExactly(Thread.currentThread().getName(), "retry-pool", "retry-pool");
  }

  @Test
  void aZeroWaitAlsoHandsTheNextAttemptToTheExecutor() {
    Retry retry =
        Retry.of(
            "pooled",
            RetryConfig.builder()
                .scheduler(scheduler)
                .executor(TrampolineTest::onPoolThenReturn)
                .backoff(Backoff.fixed(Duration.ZERO))
                .maxAttempts(3)
                .build());
    List<String> threads = new CopyOnWriteArrayList<>();
    CompletableFuture<String> out =
        retry
            .<String>callAsync(
                () -> {
                  threads.add(Thread.currentThread().getName());
                  return CompletableFuture.failedFuture(new IOException("down"));
                })
            .toCompletableFuture();
    assertThat(out).isCompletedExceptionally();
    assertThat(threads)
        .containsExactly(Thread.currentThread().getName(), "retry-pool", "retry-pool");
  }
}
