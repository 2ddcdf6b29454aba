package dev.ballast.timeout;

import static dev.ballast.timeout.Timeout.ABANDONED;
import static dev.ballast.timeout.Timeout.DONE;
import static dev.ballast.timeout.Timeout.RUNNING;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * One sync call in ABANDON mode: the executor's task ("ABANDON mode" in {@link Timeout}'s
 * implementation notes). Thread-safe: the worker, the timer and the caller meet in one CAS on its
 * state; result and error are published by the worker's CAS.
 */
final class Abandonable implements Runnable {
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Abandonable.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Timeout owner;
  private final Object fn;
  private final int kind;
  private final Thread caller;
  private final long start;
  private final Timeout firing;
  private final long deadline;
  private final long firingNanos;

  @SuppressWarnings("UnusedVariable") // read and written through STATE
  private volatile int state; // RUNNING

  // Written by the worker before its CAS to DONE, read by the caller after seeing DONE.
  @Nullable Object result;
  @Nullable Throwable error;

  Abandonable(
      Timeout owner,
      Object fn,
      int kind,
      Thread caller,
      long start,
      Timeout firing,
      long deadline,
      long firingNanos) {
    this.owner = owner;
    this.fn = fn;
    this.kind = kind;
    this.caller = caller;
    this.start = start;
    this.firing = firing;
    this.deadline = deadline;
    this.firingNanos = firingNanos;
  }

  /** The timer: abandons the work, if it is still running, and wakes the caller. */
  void abandon() {
    owner.events.abandonedRunning.increment();
    if (casState(RUNNING, ABANDONED)) {
      LockSupport.unpark(caller);
    } else {
      owner.events.abandonedRunning.decrement(); // the work ended first
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
      result = Timeout.invoke(fn, kind);
    } catch (Throwable t) {
      error = t;
    } finally {
      ctx.set(savedOwner, savedDeadline, savedNanos, savedInterrupts);
    }
    if (casState(RUNNING, DONE)) {
      LockSupport.unpark(caller);
    } else {
      owner.events.abandonedFinished(
          start); // a listener's VirtualMachineError reaches the executor
    }
  }

  boolean casState(int expected, int next) {
    return STATE.compareAndSet(this, expected, next);
  }

  int stateAcquire() {
    return (int) STATE.getAcquire(this);
  }
}
