package dev.ballast.retry;

import dev.ballast.Cancellable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One call of {@link Retry#callAsync}: starts attempts, waits between them on the scheduler's timer
 * without blocking a thread, and completes the caller's future with the last outcome.
 *
 * <p>Thread-safe: each step runs on one thread at a time (the caller's, the thread completing an
 * attempt's stage, the scheduler's or the executor's), handed over through the stage, the scheduler
 * and the executor; cancellation may come from any thread.
 */
final class AsyncCall<T extends @Nullable Object> extends Attempts
    implements BiConsumer<T, Throwable>, Runnable {

  /*
   * Implementation notes.
   *
   * `pending` holds what a cancellation must stop: the attempt's stage while it runs, the timer's
   * Cancellable while waiting. Each step writes `pending` and then reads `out.isDone()`; a
   * cancellation completes `out` and then reads `pending`. Both are volatile accesses, so at least
   * one side sees the other: either the step sees the future done and stops what it just started,
   * or the cancellation sees it and stops it (both may, harmlessly: cancelling is idempotent).
   *
   * `settled` makes the recording of the call's end happen once, whether the last attempt or the
   * caller's cancellation gets there first. Counts are recorded before `out` completes, so a caller
   * that joins the future and reads stats() sees its call counted.
   */

  private final Retry retry;
  private final Supplier<? extends CompletionStage<T>> supplier;
  private final CompletableFuture<T> out = new CompletableFuture<>();
  private final AtomicBoolean settled = new AtomicBoolean();
  private volatile @Nullable Object pending;
  private @Nullable T lastResult;
  private @Nullable Throwable lastError;

  AsyncCall(Retry retry, Supplier<? extends CompletionStage<T>> supplier, long start) {
    super(start);
    this.retry = retry;
    this.supplier = supplier;
  }

  CompletableFuture<T> future() {
    return out;
  }

  /** Makes the first attempt on the caller's thread. */
  void start() {
    CompletableFuture<T> unused =
        out.whenComplete(
            (r, e) -> {
              if (out.isCancelled()) {
                cancelled();
              }
            });
    attempt();
  }

  private void attempt() {
    if (out.isDone()) {
      return;
    }
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (Throwable t) {
      accept(null, t);
      return;
    }
    if (stage == null) {
      finish(Retry.NOT_RETRIED, null, new NullPointerException("supplier returned a null stage"));
      return;
    }
    pending = stage;
    if (out.isDone()) {
      cancel(stage);
      return;
    }
    stage.whenComplete(this);
  }

  /** An attempt ended. */
  @Override
  public void accept(@Nullable T result, @Nullable Throwable failure) {
    if (out.isDone()) {
      return;
    }
    Throwable error = failure == null ? null : unwrap(failure);
    long delay = retry.decide(this, result, error, false);
    if (attempt == 1 && delay != Retry.ACCEPT) {
      retry.countSlowCall();
    }
    if (delay < 0) {
      finish(delay, result, error);
      return;
    }
    retry.notifyRetry(attempt + 1, delay, error);
    lastResult = result;
    lastError = error;
    if (delay == 0) {
      run();
      return;
    }
    Cancellable timer;
    try {
      timer = retry.scheduler().schedule(this, delay);
    } catch (RuntimeException e) {
      Retry.warn("name={} scheduler refused a retry's wait; giving up", retry.name(), e);
      finish(Retry.GIVE_UP_SCHEDULER, result, error);
      return;
    }
    pending = timer;
    if (out.isDone()) {
      boolean unused = timer.cancel();
    }
  }

  /** The wait is over: start the next attempt on the executor. */
  @Override
  public void run() {
    if (out.isDone()) {
      return;
    }
    try {
      retry.executor().execute(this::nextAttempt);
    } catch (RuntimeException e) {
      Retry.warn("name={} executor refused a retry; giving up", retry.name(), e);
      finish(Retry.GIVE_UP_SCHEDULER, lastResult, lastError);
    }
  }

  private void nextAttempt() {
    if (out.isDone()) {
      return;
    }
    remember(lastError);
    lastResult = null;
    lastError = null;
    attempt++;
    retry.countRetry();
    attempt();
  }

  private void finish(long code, @Nullable T result, @Nullable Throwable error) {
    if (!settled.compareAndSet(false, true)) {
      return;
    }
    retry.record(this, code, error);
    if (error == null) {
      out.complete(result);
    } else {
      out.completeExceptionally(error);
    }
  }

  /** The caller cancelled the future: stop the wait or the attempt in flight. */
  private void cancelled() {
    Object p = pending;
    if (p instanceof Cancellable timer) {
      boolean unused = timer.cancel();
    } else if (p instanceof CompletionStage<?> stage) {
      cancel(stage);
    }
    if (settled.compareAndSet(false, true)) {
      retry.record(this, Retry.CANCELLED, null);
    }
  }

  private static void cancel(CompletionStage<?> stage) {
    try {
      boolean unused = stage.toCompletableFuture().cancel(true);
    } catch (UnsupportedOperationException e) {
      // A stage that cannot be seen as a future cannot be cancelled; its outcome is ignored.
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error.getCause();
    return error instanceof CompletionException && cause != null ? cause : error;
  }
}
