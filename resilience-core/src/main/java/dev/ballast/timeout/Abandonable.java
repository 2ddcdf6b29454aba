package dev.ballast.timeout;

import dev.ballast.Cancellable;
import dev.ballast.internal.Invoker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * One sync call in {@link Timeout.Mode#ABANDON} mode: the executor's task, and the caller's wait
 * for it. Thread-safe: the worker, the timer and the caller meet in one CAS on its state; result
 * and error are published by the worker's CAS.
 *
 * @param <F> the call's function
 * @param <T> its result
 * @param <X> the checked exception it throws
 */
final class Abandonable<F, T extends @Nullable Object, X extends Throwable> implements Runnable {

  /*
   * Implementation notes.
   *
   * The `state` goes RUNNING -> DONE (the worker ended first) or RUNNING -> ABANDONED, by the
   * timer at the deadline (which then unparks the caller) or by the caller itself when it finds
   * its interrupt flag set. As in INTERRUPT mode, the CAS decides: a call is timed out exactly
   * when its timer fired before it ended. The caller parks until the state leaves RUNNING or it is
   * interrupted. The result and error are plain fields written before the worker's CAS and read
   * after the caller's acquire load of DONE.
   *
   * Whoever abandons increments the timeout's `abandonedRunning` before its CAS (and undoes it if
   * the CAS fails), and the worker that finds ABANDONED decrements it, so the count never goes
   * negative; a snapshot may briefly count one call that was not abandoned after all.
   *
   * An executor that refuses the task (RejectedExecutionException) refuses the call: the timer is
   * cancelled and the caller gets a TimeoutRejectedException, counted as a rejection. A timeout
   * whose own executor was closed refuses with IllegalStateException before counting anything,
   * also when the close races with the call and the executor's refusal arrives first.
   *
   * The worker runs the call under the caller's deadline (Context, interrupts = false), so a
   * timeout inside it never waits past it. When the outer deadline fires first and the outer timer
   * interrupts the caller, no timer of our own is set: that interrupt ends the wait.
   */

  static final int RUNNING = 0;
  static final int DONE = 1;
  static final int ABANDONED = 2;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Abandonable.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Timeout owner;
  private final F fn;
  private final Invoker<F, T, X> invoker;
  private final Thread caller;
  private final long start;
  private final Timeout firing;
  private final long deadline;
  private final long firingNanos;

  @SuppressWarnings("UnusedVariable") // read and written through STATE
  private volatile int state; // RUNNING

  // Written by the worker before its CAS to DONE, read by the caller after seeing DONE.
  private @Nullable T result;
  private @Nullable Throwable error;

  private Abandonable(
      Timeout owner,
      F fn,
      Invoker<F, T, X> invoker,
      Thread caller,
      long start,
      Timeout firing,
      long deadline,
      long firingNanos) {
    this.owner = owner;
    this.fn = fn;
    this.invoker = invoker;
    this.caller = caller;
    this.start = start;
    this.firing = firing;
    this.deadline = deadline;
    this.firingNanos = firingNanos;
  }

  /** Runs {@code fn} on {@code ex} under {@code timeout}; waits for it {@code nanos} at most. */
  static <F, T extends @Nullable Object, X extends Throwable> T call(
      Timeout timeout, Executor ex, F fn, Invoker<F, T, X> invoker, long nanos) throws X {
    Context ctx = Context.CURRENT.get();
    long start = timeout.ticker.read();
    if (ctx.thread.isInterrupted()) {
      CancellationException e = interruptedWhileWaiting(timeout);
      timeout.failed(start, e);
      throw e;
    }
    long effective = start + nanos;
    Timeout firing = timeout;
    long firingNanos = nanos;
    boolean wake = true;
    Timeout outer = ctx.owner;
    if (outer != null && ctx.outerFiresFirst(timeout, effective)) {
      firing = outer;
      firingNanos = ctx.nanos;
      effective = ctx.deadline;
      wake = !ctx.interrupts; // an outer timer that interrupts this thread ends the wait itself
    }
    Abandonable<F, T, X> work =
        new Abandonable<>(timeout, fn, invoker, ctx.thread, start, firing, effective, firingNanos);
    Cancellable timer = wake ? timeout.schedule(work::abandon, start, effective) : null;
    try {
      ex.execute(work);
    } catch (RuntimeException | Error e) {
      throw Abandonable.<X>sneaky(work.refused(timer, e)); // unchecked, as e
    }
    return work.await(timer);
  }

  /** The executor refused the work: what the caller gets. */
  private Throwable refused(@Nullable Cancellable timer, Throwable e) {
    if (timer != null) {
      boolean unused = timer.cancel();
    }
    if (!casState(RUNNING, DONE)) {
      owner.abandonedRunning.decrement(); // the timer fired first and counted work never run
    }
    if (owner.closedOwnExecutor()) {
      return owner.closedException(); // the close raced with this call: not counted
    }
    Throwable outcome =
        e instanceof RejectedExecutionException
            ? new TimeoutRejectedException(owner.name, e, owner.stackTraces) // back pressure
            : e;
    owner.failed(start, outcome);
    return outcome;
  }

  /** The caller: parks until the work ends, the timer abandons it, or the caller is interrupted. */
  private T await(@Nullable Cancellable timer) throws X {
    while (true) {
      int s = stateAcquire();
      if (s == DONE) {
        break;
      }
      if (s == ABANDONED) { // the timer won: the deadline passed before the work ended
        owner.timedOut(start);
        throw owner.exceeded(firing, firingNanos, null);
      }
      if (caller.isInterrupted()) { // read, not cleared: the flag stays set
        owner.abandonedRunning.increment();
        if (casState(RUNNING, ABANDONED)) {
          if (timer != null) {
            boolean unused = timer.cancel();
          }
          CancellationException e = interruptedWhileWaiting(owner);
          owner.failed(start, e);
          throw e;
        }
        owner.abandonedRunning.decrement(); // the work ended first after all
        continue;
      }
      LockSupport.park(this);
    }
    if (timer != null) {
      boolean unused = timer.cancel();
    }
    Throwable e = error;
    if (e != null) {
      owner.failed(start, e);
      throw Abandonable.<X>sneaky(e);
    }
    owner.succeeded(start);
    return result();
  }

  /** The timer: abandons the work, if it is still running, and wakes the caller. */
  private void abandon() {
    owner.abandonedRunning.increment();
    if (casState(RUNNING, ABANDONED)) {
      LockSupport.unpark(caller);
    } else {
      owner.abandonedRunning.decrement(); // the work ended first
    }
  }

  /** The work, on the executor's thread, under the caller's deadline. */
  @Override
  public void run() {
    Context ctx = Context.CURRENT.get();
    Timeout savedOwner = ctx.owner;
    long savedDeadline = ctx.deadline;
    long savedNanos = ctx.nanos;
    boolean savedInterrupts = ctx.interrupts;
    ctx.set(firing, deadline, firingNanos, false);
    try {
      result = invoker.invoke(fn);
    } catch (Throwable t) {
      error = t;
    } finally {
      ctx.set(savedOwner, savedDeadline, savedNanos, savedInterrupts);
    }
    if (casState(RUNNING, DONE)) {
      LockSupport.unpark(caller);
    } else {
      owner.abandonedFinished(start); // a listener's VirtualMachineError reaches the executor
    }
  }

  private static CancellationException interruptedWhileWaiting(Timeout timeout) {
    return new CancellationException(
        "timeout '"
            + timeout.name
            + "': the caller was interrupted while waiting; the call is abandoned");
  }

  // The worker stored what the invoker returned for T, null included where T admits it.
  @SuppressWarnings("NullAway")
  private T result() {
    return result;
  }

  // What the invoker threw (an X, or unchecked), or an unchecked refusal.
  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
  private static <X extends Throwable> X sneaky(Throwable error) throws X {
    throw (X) error;
  }

  private boolean casState(int expected, int next) {
    return STATE.compareAndSet(this, expected, next);
  }

  private int stateAcquire() {
    return (int) STATE.getAcquire(this); // acquire: pairs with the worker's CAS to DONE
  }
}
