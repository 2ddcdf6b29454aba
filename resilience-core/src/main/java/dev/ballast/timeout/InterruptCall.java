package dev.ballast.timeout;

import static dev.ballast.timeout.Timeout.ALREADY_INTERRUPTED;
import static dev.ballast.timeout.Timeout.INTERRUPTED;
import static dev.ballast.timeout.Timeout.INTERRUPTING;
import static dev.ballast.timeout.Timeout.RUNNING;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One sync call in INTERRUPT mode, and its timer task ("INTERRUPT mode" in {@link Timeout}'s
 * implementation notes). Thread-safe: the caller and the timer meet in one CAS on its state.
 */
final class InterruptCall implements Runnable {
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
    return (int) STATE.getAcquire(this);
  }

  void setStateRelease(int next) {
    STATE.setRelease(this, next);
  }
}
