package dev.ballast.retry;

import static dev.ballast.retry.Retries.config;
import static dev.ballast.retry.Retries.ms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.RejectedException;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.retry.Retries.Recorder;
import dev.ballast.retry.Retries.TestRejection;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

final class AsyncTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final List<CompletableFuture<String>> started = new CopyOnWriteArrayList<>();

  private Retry retry(int attempts) {
    return Retry.of(
        "async", config(scheduler).backoff(Backoff.fixed(ms(100))).maxAttempts(attempts).build());
  }

  /** Starts an attempt whose future the test completes. */
  private CompletableFuture<String> start() {
    CompletableFuture<String> f = new CompletableFuture<>();
    started.add(f);
    return f;
  }

  @Test
  void retriesWithoutBlockingUntilAnAttemptSucceeds() {
    Retry retry = retry(3);
    CompletableFuture<String> out = retry.callAsync(this::start).toCompletableFuture();
    assertThat(started).hasSize(1);
    started.get(0).completeExceptionally(new IOException("first"));
    assertThat(scheduler.pending()).isEqualTo(1); // waiting on the timer, no thread blocked
    assertThat(started).hasSize(1);
    ticker.advance(ms(99));
    assertThat(started).hasSize(1);
    ticker.advance(ms(1));
    assertThat(started).hasSize(2);
    started.get(1).complete("second");
    assertThat(out).isCompletedWithValue("second");
    assertThat(retry.stats().successesAfterRetry()).isEqualTo(1);
    assertThat(retry.stats().retries()).isEqualTo(1);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void completesWithTheLastFailureWhenAttemptsRunOut() {
    Retry retry = retry(2);
    AtomicInteger n = new AtomicInteger();
    CompletableFuture<String> out =
        retry
            .<String>callAsync(
                () ->
                    CompletableFuture.failedFuture(new IOException("fail " + n.incrementAndGet())))
            .toCompletableFuture();
    assertThat(out).isNotDone();
    ticker.advance(ms(100));
    assertThat(out)
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOf(IOException.class)
        .withMessage("fail 2");
    assertThat(retry.stats().failuresAfterRetry()).isEqualTo(1);
  }

  @Test
  void unwrapsCompletionExceptionsAndRetriesResults() {
    Retry retry =
        Retry.of(
            "async",
            config(scheduler)
                .backoff(Backoff.fixed(Duration.ZERO))
                .retryOnResult(r -> "empty".equals(r))
                .build());
    AtomicInteger n = new AtomicInteger();
    CompletableFuture<String> out =
        retry
            .<String>callAsync(
                () -> {
                  int i = n.incrementAndGet();
                  if (i == 1) {
                    return CompletableFuture.failedFuture(
                        new CompletionException(new IOException("wrapped")));
                  }
                  return CompletableFuture.completedFuture(i == 2 ? "empty" : "full");
                })
            .toCompletableFuture();
    assertThat(out).isCompletedWithValue("full");
    assertThat(n).hasValue(3);
  }

  @Test
  void cancellingDuringTheWaitStopsFurtherAttemptsAndCancelsTheTimer() {
    Retry retry = retry(5);
    CompletableFuture<String> out = retry.callAsync(this::start).toCompletableFuture();
    started.get(0).completeExceptionally(new IOException("first"));
    assertThat(scheduler.pending()).isEqualTo(1);
    assertThat(out.cancel(true)).isTrue();
    assertThat(scheduler.pending()).isZero();
    ticker.advance(Duration.ofSeconds(10));
    assertThat(started).hasSize(1);
    assertThat(retry.stats().failuresWithoutRetry()).isEqualTo(1);
  }

  @Test
  void cancellingDuringAnAttemptCancelsItsFuture() {
    Retry retry = retry(5);
    CompletableFuture<String> out = retry.callAsync(this::start).toCompletableFuture();
    started.get(0).completeExceptionally(new IOException("first"));
    ticker.advance(ms(100));
    assertThat(started).hasSize(2);
    out.cancel(true);
    assertThat(started.get(1)).isCancelled();
    assertThat(scheduler.pending()).isZero();
    ticker.advance(Duration.ofSeconds(10));
    assertThat(started).hasSize(2);
    assertThat(retry.stats().failuresAfterRetry()).isEqualTo(1);
    assertThat(retry.stats().calls()).isEqualTo(1);
  }

  @Test
  void aRejectionEndsTheAsyncRetry() {
    Retry retry = retry(5);
    CompletableFuture<String> out =
        retry
            .<String>callAsync(
                () ->
                    CompletableFuture.failedFuture(
                        new TestRejection(RejectedException.Reason.OVERLOAD, null)))
            .toCompletableFuture();
    assertThat(out).isCompletedExceptionally();
    assertThat(out.handle((r, e) -> e).join()).isInstanceOf(TestRejection.class);
    assertThat(retry.stats().rejections()).isEqualTo(1);
  }

  @Test
  @SuppressWarnings("NullAway") // a supplier returning null on purpose
  void aThrowingOrNullSupplierFailsTheFuture() {
    Retry retry = retry(3);
    AtomicInteger n = new AtomicInteger();
    CompletableFuture<String> thrown =
        retry
            .<String>callAsync(
                () -> {
                  if (n.incrementAndGet() < 3) {
                    throw new IllegalStateException("supplier");
                  }
                  return CompletableFuture.completedFuture("third");
                })
            .toCompletableFuture();
    ticker.advance(ms(100));
    assertThat(thrown).isNotDone();
    ticker.advance(ms(100));
    assertThat(thrown).isCompletedWithValue("third");

    CompletableFuture<String> nothing = retry.<String>callAsync(() -> null).toCompletableFuture();
    assertThat(nothing.handle((r, e) -> e).join()).isInstanceOf(NullPointerException.class);
  }

  @Test
  void anExecutorThatRefusesEndsTheRetryWithTheLastFailure() {
    Retry retry =
        Retry.of(
            "refused",
            config(scheduler)
                .backoff(Backoff.fixed(ms(10)))
                .executor(
                    r -> {
                      throw new RejectedExecutionException("full");
                    })
                .build());
    CompletableFuture<String> out = retry.callAsync(this::start).toCompletableFuture();
    started.get(0).completeExceptionally(new IOException("first"));
    ticker.advance(ms(10));
    assertThat(out.handle((r, e) -> e).join()).isInstanceOf(IOException.class);
    assertThat(started).hasSize(1);
  }

  @Test
  void listenersHearAsyncRetries() {
    Retry retry = retry(2);
    Recorder r = new Recorder();
    retry.addListener(r);
    CompletableFuture<String> out = retry.callAsync(this::start).toCompletableFuture();
    started.get(0).completeExceptionally(new IOException("a"));
    ticker.advance(ms(100));
    started.get(1).completeExceptionally(new IOException("b"));
    assertThat(out).isCompletedExceptionally();
    assertThat(r.events)
        .containsExactly(
            "retry 2 after 100000000 java.io.IOException: a",
            "give up after 2 java.io.IOException: b");
    assertThat(out.handle((x, e) -> e.getSuppressed().length).join()).isEqualTo(1);
    assertThat(out.isCancelled()).isFalse();
  }

  @Test
  void aFirstAttemptSuccessIsCountedOnlyWhenCallsAreCounted() {
    Retry quiet = retry(3);
    Retry counting =
        Retry.of(
            "async", config(scheduler).backoff(Backoff.fixed(ms(100))).countCalls(true).build());
    for (Retry r : List.of(quiet, counting)) {
      assertThat(r.callAsync(() -> CompletableFuture.completedFuture("ok")).toCompletableFuture())
          .isCompletedWithValue("ok");
    }
    assertThat(quiet.stats().successesWithoutRetry()).isZero();
    assertThat(quiet.stats().calls()).isZero();
    assertThat(counting.stats().successesWithoutRetry()).isEqualTo(1);
    assertThat(counting.stats().calls()).isEqualTo(1);
    assertThat(counting.stats().retries()).isZero();
  }

  @Test
  void aCancellationWhileTheSupplierRunsCancelsTheStageItReturns() {
    // The caller cancels while the second attempt is being started (from another thread, in
    // production; here from the supplier itself): the stage the supplier returns is cancelled.
    Retry retry = retry(5);
    AtomicReference<CompletableFuture<String>> caller = new AtomicReference<>();
    CompletableFuture<String> out =
        retry
            .callAsync(
                () -> {
                  CompletableFuture<String> f = caller.get();
                  if (f != null) {
                    f.cancel(true);
                  }
                  return start();
                })
            .toCompletableFuture();
    caller.set(out);
    started.get(0).completeExceptionally(new IOException("first"));
    ticker.advance(ms(100));
    assertThat(out).isCancelled();
    assertThat(started).hasSize(2);
    assertThat(started.get(1)).isCancelled();
    assertThat(retry.stats().failuresAfterRetry()).isEqualTo(1);
  }
}
