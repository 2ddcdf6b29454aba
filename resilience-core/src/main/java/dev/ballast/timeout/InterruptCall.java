package dev.ballast.timeout;

import dev.ballast.Cancellable;
import dev.ballast.internal.Invoker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * One sync call in {@link Timeout.Mode#INTERRUPT} mode, run on the caller's thread, and its timer
 * task. Thread-safe: the caller and the timer meet in one CAS on its state.
 */
final class InterruptCall implements Runnable {

  /*
   * Implementation notes.
   *
   * A per-call state machine. Each call allocates one InterruptCall, which is also the Runnable
   * handed to the scheduler, so that a timer can only ever act on the call it was scheduled for.
   * Its `state` moves by compare-and-set:
   *
   *   RUNNING --caller returns--> DONE                          (the caller won: normal outcome)
   *   RUNNING --timer fires--> INTERRUPTING --> INTERRUPTED     (the timer interrupted the thread)
   *                                         --> ALREADY_INTERRUPTED (the flag was set already)
   *
   * Exactly one of the caller and the timer wins the CAS out of RUNNING. The caller that wins
   * cancels the timer; if the cancel comes too late, the timer runs, fails its CAS and does
   * nothing, so a late timer never interrupts a later call on the same thread. The timer that
   * wins reads the thread's interrupt flag, interrupts the thread only if the flag was clear, and
   * publishes INTERRUPTED or ALREADY_INTERRUPTED with a release store. The caller that lost sees
   * INTERRUPTING or later; it spins (acquire loads) until the timer's store, because only then is
   * the interrupt delivered, and clears the flag (Thread.interrupted()) iff the state is
   * INTERRUPTED. It returns only after that, so the interrupt never reaches its next call.
   *
   * The interrupt-flag rule that follows: the timeout clears exactly the interrupt it set. An
   * interrupt from elsewhere, set before the timer fired (before the call, or during it), is left
   * set: the timer saw it and did not interrupt. An interrupt from elsewhere arriving after the
   * timer fired, during the same call, lands on a flag the timer set and is cleared with it (the
   * flag is one bit); the caller still learns that the call was cut short. The same window
   * exists between the timer's read of the flag and its interrupt().
   *
   * A call that returns normally after the timer won is a timeout (its result is dropped), like a
   * call that threw: the outcome is decided by which side wins the CAS, not by a second read of
   * the clock, so a call is timed out exactly when its timer fired before it returned.
   *
   * Nested deadlines: see Context. The outcome is reported (counted, then heard by listeners)
   * only after the call's state is settled: the Context restored, the timer cancelled, and the
   * interrupt the timer set cleared.
   */

  static final int RUNNING = 0;
  static final int DONE = 1;
  static final int INTERRUPTING = 2;
  static final int INTERRUPTED = 3;
  static final int ALREADY_INTERRUPTED = 4;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(InterruptCall.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Thread thread;

  @SuppressWarnings("UnusedVariable") // read and written through STATE
  private volatile int state; // RUNNING

  InterruptCall(Thread thread) {
    this.thread = thread;
  }

  /** Runs {@code fn} on this thread under {@code timeout}, for {@code nanos} at most. */
  static <F, T extends @Nullable Object, X extends Throwable> T call(
      Timeout timeout, F fn, Invoker<F, T, X> invoker, long nanos) throws X {
    Context ctx = Context.CURRENT.get();
    long start = timeout.ticker.read();
    long effective = start + nanos;
    Timeout firing = timeout;
    long firingNanos = nanos;
    Timeout outer = ctx.owner;
    long outerDeadline = ctx.deadline;
    long outerNanos = ctx.nanos;
    boolean outerInterrupts = ctx.interrupts;
    if (outer != null && ctx.outerFiresFirst(timeout, effective)) {
      if (outerInterrupts) {
        // The outer timer interrupts this thread no later than our deadline would; it reports.
        return passThrough(timeout, fn, invoker, start);
      }
      firing = outer;
      firingNanos = outerNanos;
      effective = outerDeadline;
    }
    InterruptCall call = new InterruptCall(ctx.thread);
    Cancellable timer = timeout.schedule(call, start, effective);
    ctx.set(firing, effective, firingNanos, true);
    T result;
    try {
      result = invoker.invoke(fn);
    } catch (Throwable t) {
      ctx.set(outer, outerDeadline, outerNanos, outerInterrupts);
      if (!call.casState(RUNNING, DONE)) {
        throw call.timedOut(timeout, t, start, firing, firingNanos);
      }
      boolean unused = timer.cancel();
      timeout.failed(start, t);
      throw t;
    }
    ctx.set(outer, outerDeadline, outerNanos, outerInterrupts);
    if (!call.casState(RUNNING, DONE)) {
      throw call.timedOut(timeout, null, start, firing, firingNanos);
    }
    boolean unused = timer.cancel();
    timeout.succeeded(start);
    return result;
  }

  private static <F, T extends @Nullable Object, X extends Throwable> T passThrough(
      Timeout timeout, F fn, Invoker<F, T, X> invoker, long start) throws X {
    T result;
    try {
      result = invoker.invoke(fn);
    } catch (Throwable t) {
      timeout.failed(start, t);
      throw t;
    }
    timeout.succeeded(start);
    return result;
  }

  /** The timer won: waits for its interrupt to land, clears it if it was ours, and reports. */
  @SuppressWarnings("ThreadPriorityCheck") // yield only if the timer thread was descheduled
  private TimeoutExceededException timedOut(
      Timeout timeout, @Nullable Throwable cause, long start, Timeout firing, long firingNanos) {
    int s;
    int spins = 0;
    while ((s = stateAcquire()) == INTERRUPTING) {
      if (++spins < 64) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
    if (s == INTERRUPTED) {
      boolean unused = Thread.interrupted(); // the interrupt this timeout set, and only it
    }
    if (cause instanceof VirtualMachineError vme) {
      throw vme;
    }
    timeout.timedOut(start);
    return timeout.exceeded(firing, firingNanos, cause);
  }

  /** The timer: fires at the deadline, on the scheduler's thread. */
  @Override
  public void run() {
    if (casState(RUNNING, INTERRUPTING)) {
      if (thread.isInterrupted()) {
        setStateRelease(ALREADY_INTERRUPTED); // from elsewhere: not ours to clear
      } else {
        thread.interrupt();
        setStateRelease(INTERRUPTED);
      }
    }
  }

  boolean casState(int expected, int next) {
    return STATE.compareAndSet(this, expected, next);
  }

  int stateAcquire() {
    return (int) STATE.getAcquire(this); // acquire: pairs with the timer's setStateRelease
  }

  void setStateRelease(int next) {
    STATE.setRelease(this, next); // release: publishes that the interrupt was delivered
  }
}
