package dev.ballast.bulkhead;

import dev.ballast.CheckedCallable;
import dev.ballast.internal.Stages;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One task of a {@link ThreadPoolBulkhead}: a node of the pool's queue, the state its worker, its
 * caller and {@code close()} race on, and the stage returned to the caller. Package-private.
 *
 * <p>Thread-safe: the submitter creates it, one worker runs it, and any thread may cancel it.
 */
final class PoolTask<T extends @Nullable Object> implements Runnable {

  /*
   * Implementation notes.
   *
   * State: QUEUED -> RUNNING -> DONE is the life of a task that runs; QUEUED -> CANCELLED of one
   * that never will (its caller gave up, close cancelled it, or its thread could not start).
   * RUNNING -> INTERRUPTING -> INTERRUPTED is a cancellation that interrupts the worker. One CAS
   * decides each step, so a task is run or cancelled, never both, and counted once (the winner of
   * QUEUED -> CANCELLED counts the cancellation).
   *
   * Interrupting the right task: the canceller CASes RUNNING -> INTERRUPTING, reads `runner`
   * (written before the worker's QUEUED -> RUNNING CAS, so it is visible), interrupts it, then
   * writes INTERRUPTED. The worker, once the task returns, CASes RUNNING -> DONE; failing that, it
   * waits for INTERRUPTED and clears its interrupt flag before it touches another task, so an
   * interrupt meant for this task never reaches the next one (FutureTask's protocol).
   *
   * The outcome (result, error) is written by the worker before its CAS to DONE and read by the
   * same worker in deliver(), after it made itself free again (Workers' notes say why). A caller
   * that completes or cancels `out` first wins `out`; the worker's later delivery changes nothing.
   *
   * An async task's outcome is a stage, relayed to `out`. `relay` is written before `out.isDone()`
   * is read, and the caller's cancel writes `out` before it reads `relay`, so one of the two
   * cancels the relayed stage.
   *
   * `prev`, `next` and `linked` are the queue's, guarded by Workers' lock.
   */

  static final int QUEUED = 0;
  static final int RUNNING = 1;
  static final int DONE = 2;
  static final int CANCELLED = 3;
  static final int INTERRUPTING = 4;
  static final int INTERRUPTED = 5;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(PoolTask.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Nullable PoolTask<?> prev;
  @Nullable PoolTask<?> next;
  boolean linked;

  final Stage<T> out = new Stage<>(this);
  private final ThreadPoolBulkhead owner;
  private final CheckedCallable<?, ?> work;
  private final boolean async;
  private Runnable body = this;
  private volatile @Nullable Thread runner;
  private volatile @Nullable CompletionStage<T> relay;
  private @Nullable Object result;
  private @Nullable Throwable error;
  private boolean ran;

  @SuppressWarnings("UnusedVariable") // read and written through STATE
  private volatile int state;

  PoolTask(ThreadPoolBulkhead owner, CheckedCallable<?, ?> work, boolean async) {
    this.owner = owner;
    this.work = work;
    this.async = async;
  }

  /**
   * On the submitting thread: lets the context hook wrap the task. Returns a VirtualMachineError it
   * threw; logs anything else, and the task then runs without the context.
   */
  @Nullable VirtualMachineError decorate(UnaryOperator<Runnable> propagator) {
    try {
      Runnable wrapped = propagator.apply(this);
      if (wrapped != null) {
        body = wrapped;
      } else {
        owner.hookLog.warn("contextPropagator returned null; the task runs without it", null);
      }
      return null;
    } catch (Throwable t) {
      return owner.hookLog.callbackThrewDeferred(
          t, "contextPropagator threw on the submitting thread; the task runs without it");
    }
  }

  /** The task itself, as the context hook's runnable calls it: runs the work once. */
  @Override
  public void run() {
    if (ran) {
      return;
    }
    ran = true;
    try {
      result = work.call();
    } catch (Throwable t) {
      error = t;
    }
  }

  /** On the worker: runs the task unless it was cancelled first. */
  void runHere() {
    runner = Thread.currentThread();
    if (!STATE.compareAndSet(this, QUEUED, RUNNING)) {
      runner = null;
      return;
    }
    VirtualMachineError fatal = null;
    try {
      body.run();
    } catch (Throwable t) {
      fatal =
          owner.hookLog.callbackThrewDeferred(
              t, "the contextPropagator's runnable threw; the task's own outcome is kept");
    }
    if (!ran) {
      owner.hookLog.warn(
          "the contextPropagator's runnable did not run the task; ran it bare", null);
      run();
    }
    if (fatal != null) {
      error = fatal; // a VirtualMachineError is never hidden: it becomes the caller's outcome
    }
    runner = null;
    if (!STATE.compareAndSet(this, RUNNING, DONE)) {
      while ((int) STATE.getVolatile(this) == INTERRUPTING) {
        Thread.onSpinWait(); // the canceller is between its CAS and its interrupt
      }
      boolean unused = Thread.interrupted(); // the interrupt was for this task only
    }
  }

  /** On the worker, after it is free again: completes {@code out} with the outcome. */
  @SuppressWarnings("unchecked") // an async task's work returns a CompletionStage<T>, a sync T
  void deliver() {
    if (!ran) {
      return; // cancelled before it ran: whoever cancelled it settled `out`
    }
    Throwable e = error;
    if (e != null) {
      out.fail(e);
    } else if (!async) {
      out.succeed(syncResult());
    } else if (result == null) {
      out.fail(new NullPointerException("supplier returned a null stage"));
    } else {
      CompletionStage<T> stage = (CompletionStage<T>) result;
      relay = stage;
      if (out.isDone()) {
        Stages.cancelAfterSettled(stage, owner.hookLog);
      } else {
        stage.whenComplete(
            (r, x) -> {
              if (x == null) {
                out.succeed(r);
              } else {
                out.fail(Stages.unwrap(x));
              }
            });
      }
    }
  }

  // The work returned a T, null included where T admits it.
  @SuppressWarnings({"unchecked", "NullAway"})
  private T syncResult() {
    return (T) result;
  }

  /** Cancels the task if it has not started: true for the one caller that did (and counted it). */
  boolean cancelQueued() {
    if (!STATE.compareAndSet(this, QUEUED, CANCELLED)) {
      return false;
    }
    owner.workers.unlink(this);
    owner.cancelled();
    return true;
  }

  /** Interrupts the task's thread if the task is running now. */
  void interruptRunning() {
    if (!STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
      return;
    }
    try {
      Thread r = runner;
      if (r != null) {
        r.interrupt();
      }
    } finally {
      STATE.setVolatile(this, INTERRUPTED);
    }
  }

  /** Its caller gave up: a queued task never runs; a running one is interrupted if asked. */
  void giveUp(boolean interrupt) {
    if (cancelQueued()) {
      return;
    }
    if (interrupt && owner.config().interruptOnCancel()) {
      interruptRunning();
    }
    CompletionStage<T> r = relay;
    if (r != null) {
      Stages.cancelAfterSettled(r, owner.hookLog);
    }
  }

  /** close() drops the task if it has not started; its caller gets the closed rejection. */
  void cancelByClose() {
    if (cancelQueued()) {
      out.fail(ThreadPoolBulkheadRejectedException.closedBeforeRun(owner.name()));
    }
  }

  /** Its thread could not be started: the task never runs, and its caller gets why. */
  void failToStart(Throwable why) {
    if (cancelQueued()) {
      out.fail(why);
    }
  }

  /**
   * The stage returned to the caller. Cancelling or completing it (the caller gives up; {@code
   * orTimeout} does this) removes a queued task so that it never runs, and interrupts a running one
   * when {@link ThreadPoolBulkheadConfig#interruptOnCancel()} says so.
   */
  static final class Stage<T extends @Nullable Object> extends CompletableFuture<T> {
    private final PoolTask<T> task;

    Stage(PoolTask<T> task) {
      this.task = task;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        task.giveUp(mayInterruptIfRunning);
      }
      return cancelled;
    }

    @Override
    public boolean complete(T value) {
      boolean completed = super.complete(value);
      if (completed) {
        task.giveUp(true);
      }
      return completed;
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
      boolean completed = super.completeExceptionally(ex);
      if (completed) {
        task.giveUp(true);
      }
      return completed;
    }

    void succeed(T value) {
      boolean unused = super.complete(value);
    }

    void fail(Throwable error) {
      boolean unused = super.completeExceptionally(error);
    }
  }
}
