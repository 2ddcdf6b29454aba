package dev.ballast.retry;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import dev.ballast.internal.Stages;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One call of {@link Retry#callAsync}: starts attempts, waits between them on the scheduler's timer
 * without blocking a thread, and completes the caller's future with the last outcome. The future
 * always completes: with the outcome, or exceptionally with whatever broke the loop (a {@link
 * VirtualMachineError} from a user callback, after the call is counted).
 *
 * <p>Thread-safe: steps run one at a time, in a drain loop that whichever thread hands over the
 * next step may enter (the caller's, the thread completing an attempt's stage, the scheduler's, the
 * executor's); cancellation may come from any thread.
 */
final class AsyncCall<T extends @Nullable Object> extends Attempts
    implements BiConsumer<T, Throwable>, Runnable {

  /*
   * Implementation notes.
   *
   * Trampoline. Every hand-over (the first attempt, an attempt's stage completing, the timer
   * firing, the executor starting the next attempt) posts one step and enters drain() only if no
   * thread is in it: `wip` counts posted steps not yet drained, and the thread that moves it from
   * 0 runs steps until it falls back to 0. A step that hands over at once on the same thread (a
   * stage already complete) only posts, returning to the loop it was called from, so the stack
   * depth does not grow with the attempts.
   *
   * Dispatch. The next attempt after a wait belongs on the executor's thread, not on the timer's or
   * on the thread that completed the last stage. So a step only asks for it (`dispatchRequested`),
   * and the loop's thread calls executor.execute after it has left the loop (wip back to 0): the
   * executor's thread then posts NEXT, finds the loop free and makes the attempt itself. Were
   * execute called inside the loop, a pool thread quick to post would find wip > 0 and the attempt
   * would run on the dispatching thread, the scheduler's. An executor that runs the task inline
   * (executor(Runnable::run)) would recurse one loop per attempt; instead the task sees it runs on
   * the dispatching thread (`dispatching`, written before execute, which orders it before the task
   * on any thread), sets `ranInline`, and that thread takes the loop again and makes the attempt:
   * constant depth. The dispatch fields are written and read only by the loop's owner, or by the
   * task the owner's execute runs inline on the same thread.
   *
   * One step at a time: each step is posted by the processing of the one before (an attempt's
   * completion follows its start, a timer follows an outcome, an attempt follows a timer), so at
   * most one step is ever waiting and a single slot holds it. The poster writes the slot's plain
   * fields, then `step` (volatile), then increments `wip`; the drainer reads `step` first. The
   * `wip` read-modify-writes order every step's writes before the next step's reads, so the state
   * of Attempts and the fields below need no other fence, whichever thread drains.
   *
   * Cancellation. `pending` holds what a cancellation must stop: the attempt's stage while it runs,
   * the timer's Cancellable while waiting. Each step writes `pending` and then reads
   * `out.isDone()`; a cancellation completes `out` and then reads `pending`. Both are volatile
   * accesses, so at least one side sees the other: either the step sees the future done and stops
   * what it just started, or the cancellation sees it and stops it (both may, harmlessly:
   * cancelling is idempotent).
   *
   * `settled` makes the recording of the call's end happen once, whether the last step or the
   * caller's cancellation gets there first. When the cancellation loses (the call settled on its
   * outcome an instant before), the outcome is what is counted and the caller sees the
   * cancellation: the stats say what the dependency did. Counts are recorded before `out` completes, so a caller
   * that joins the future and reads stats() sees its call counted. Anything thrown out of a step
   * (a VirtualMachineError from a callback, by the callback rule) is caught in drain(): the call is
   * counted if it was not, and `out` completes exceptionally with it.
   */

  private static final int NONE = 0;
  private static final int FIRST = 1; // make the first attempt
  private static final int OUTCOME = 2; // an attempt's stage completed
  private static final int DISPATCH = 3; // the wait is over: hand the next attempt to the executor
  private static final int NEXT = 4; // make the next attempt

  private final Decider decider;
  private final Ledger ledger;
  private final Scheduler scheduler;
  private final Executor executor;
  private final Supplier<? extends CompletionStage<T>> supplier;
  private final CompletableFuture<T> out = new CompletableFuture<>();
  private final AtomicBoolean settled = new AtomicBoolean();
  private final AtomicInteger wip = new AtomicInteger();
  private volatile @Nullable Object pending;

  // The step slot: written by the poster before `step`, read by the drainer after it.
  private volatile int step = NONE;
  private @Nullable T stepResult;
  private @Nullable Throwable stepError;

  // The outcome of the attempt before a wait: the caller's if the retry ends during it.
  private @Nullable T lastResult;
  private @Nullable Throwable lastError;
  private boolean slowCounted;

  // Dispatch: asked for by a step, done by the loop's thread once the loop is free. `dispatching`
  // is the thread inside executor.execute; an inline run of the task on it sets `ranInline`.
  private boolean dispatchRequested;
  private boolean ranInline;
  private volatile @Nullable Thread dispatching;

  AsyncCall(
      Decider decider,
      Ledger ledger,
      Scheduler scheduler,
      Executor executor,
      Supplier<? extends CompletionStage<T>> supplier,
      long start) {
    super(start);
    this.decider = decider;
    this.ledger = ledger;
    this.scheduler = scheduler;
    this.executor = executor;
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
    post(FIRST, null, null);
  }

  /** An attempt's stage completed. Never throws: a stage's callback must not. */
  @Override
  public void accept(@Nullable T result, @Nullable Throwable failure) {
    post(OUTCOME, result, failure);
  }

  /** The timer fired: the wait is over. */
  @Override
  public void run() {
    post(DISPATCH, null, null);
  }

  /**
   * The executor starts the next attempt: on its own thread, it posts the step and drains it there;
   * run inline by the dispatching thread, it only says so, and that thread's loop carries on.
   */
  private void postNext() {
    if (Thread.currentThread() == dispatching) {
      ranInline = true;
      return;
    }
    post(NEXT, null, null);
  }

  private void post(int kind, @Nullable T result, @Nullable Throwable error) {
    stepResult = result;
    stepError = error;
    step = kind;
    if (wip.getAndIncrement() == 0) {
      drain();
    }
  }

  private void drain() {
    int missed = 1;
    while (true) {
      int kind = step;
      if (kind != NONE) {
        step = NONE;
        T result = stepResult;
        Throwable error = stepError;
        stepResult = null;
        stepError = null;
        try {
          process(kind, result, error);
        } catch (Throwable t) {
          broke(t);
        }
      }
      missed = wip.addAndGet(-missed);
      if (missed != 0) {
        continue;
      }
      // The loop is free. A wait that ended hands the next attempt to the executor only now, so
      // that the executor's thread finds the loop free and makes the attempt itself.
      if (!dispatchRequested || !dispatchNow()) {
        return;
      }
      // The executor ran the attempt inline: take the loop again and make it here.
      step = NEXT;
      if (wip.getAndIncrement() != 0) {
        return; // cannot happen (one step at a time), but never run two loops
      }
      missed = 1;
    }
  }

  /**
   * Hands the next attempt to the executor, outside the loop.
   *
   * @return whether the executor ran it inline on this thread (the caller's loop makes it)
   */
  private boolean dispatchNow() {
    dispatchRequested = false;
    ranInline = false;
    dispatching = Thread.currentThread();
    try {
      executor.execute(this::postNext);
    } catch (RuntimeException e) {
      ledger.refused("executor", e);
      finish(Decider.GIVE_UP_SCHEDULER, lastResult, lastError);
      return false;
    } catch (Throwable t) {
      broke(t); // an Error from the executor: the caller's future still completes
      return false;
    } finally {
      dispatching = null;
    }
    return ranInline;
  }

  private void process(int kind, @Nullable T result, @Nullable Throwable error) {
    if (out.isDone()) {
      return;
    }
    switch (kind) {
      case FIRST -> attempt();
      case OUTCOME -> outcome(result, error);
      case DISPATCH -> dispatch();
      case NEXT -> {
        remember(lastError);
        lastResult = null;
        lastError = null;
        attempt++;
        ledger.retry();
        attempt();
      }
      default -> throw new IllegalStateException("step " + kind);
    }
  }

  private void attempt() {
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (Throwable t) {
      outcome(null, t);
      return;
    }
    if (stage == null) {
      countSlow();
      finish(Decider.NOT_RETRIED, null, new NullPointerException("supplier returned a null stage"));
      return;
    }
    pending = stage;
    if (out.isDone()) {
      ledger.cancelAttempt(stage);
      return;
    }
    stage.whenComplete(this); // runs accept() now if the stage is complete: it only posts
  }

  private void outcome(@Nullable T result, @Nullable Throwable failure) {
    Throwable error = failure == null ? null : Stages.unwrap(failure);
    // A VirtualMachineError from a predicate, the delay function or a listener propagates to
    // drain(), which counts the call and completes `out` with it.
    long retryAfter = decider.classify(result, error);
    if (retryAfter != Decider.ACCEPT) {
      countSlow(); // before the budget reads the call count, as the synchronous path does
    }
    long delay =
        retryAfter < Decider.NO_RETRY_AFTER
            ? retryAfter
            : decider.next(this, result, error, retryAfter, false);
    if (delay >= 0) {
      ledger.notifyRetry(attempt + 1, delay, error);
    }
    if (delay < 0) {
      finish(delay, result, error);
      return;
    }
    lastResult = result;
    lastError = error;
    if (delay == 0) {
      dispatch();
      return;
    }
    Cancellable timer;
    try {
      timer = scheduler.schedule(this, delay);
    } catch (RuntimeException e) {
      ledger.refused("scheduler", e);
      finish(Decider.GIVE_UP_SCHEDULER, result, error);
      return;
    }
    pending = timer;
    if (out.isDone()) {
      boolean unused = timer.cancel();
    }
  }

  /** The wait is over: the next attempt goes to the executor once this loop is free. */
  private void dispatch() {
    dispatchRequested = true;
  }

  /** Counts the call as one that left the fast path, once. */
  private void countSlow() {
    if (!slowCounted) {
      slowCounted = true;
      ledger.slowCall();
    }
  }

  private void finish(long code, @Nullable T result, @Nullable Throwable error) {
    if (!settled.compareAndSet(false, true)) {
      return;
    }
    try {
      ledger.record(this, code, error);
    } catch (Throwable t) {
      out.completeExceptionally(t); // a listener's VirtualMachineError, after the counts
      return;
    }
    if (error == null) {
      out.complete(result);
    } else {
      out.completeExceptionally(error);
    }
  }

  /** A step threw: count the call if it was not, and complete the caller's future with it. */
  private void broke(Throwable t) {
    if (settled.compareAndSet(false, true)) {
      countSlow();
      ledger.record(this, Decider.CALLBACK_FAILED, t);
    }
    out.completeExceptionally(t);
  }

  /** The caller cancelled the future: stop the wait or the attempt in flight. */
  private void cancelled() {
    Object p = pending;
    if (p instanceof Cancellable timer) {
      boolean unused = timer.cancel();
    } else if (p instanceof CompletionStage<?> stage) {
      ledger.cancelAttempt(stage);
    }
    if (settled.compareAndSet(false, true)) {
      ledger.record(this, Decider.CANCELLED, null);
    }
  }
}
