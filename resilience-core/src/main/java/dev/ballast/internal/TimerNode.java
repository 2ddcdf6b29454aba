package dev.ballast.internal;

import dev.ballast.Cancellable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * A scheduled task, and its handle. Thread-safe: {@link #cancel()} from any thread; the other
 * fields belong to the wheel's driver (see the implementation notes of {@link TimerWheel}).
 */
final class TimerNode implements Cancellable {
  private static final VarHandle TASK;
  private static final VarHandle PREV;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TASK = lookup.findVarHandle(TimerNode.class, "task", Runnable.class);
      PREV = lookup.findVarHandle(TimerNode.class, "prev", TimerNode.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final TimerWheel wheel;

  /** Nanoseconds since the wheel's origin at which the task is due; saturated. */
  final long deadline;

  /** The task, then CANCELLED or EXPIRED; written plain here, then only by CAS. */
  @SuppressWarnings("UnusedVariable") // read and written through TASK
  private Runnable task;

  /** Submission stack link, then bucket link; the driver's once the node is published. */
  @Nullable TimerNode next;

  /**
   * Bucket link; non-null exactly while the node is in a bucket. The driver's; a winning cancel()
   * reads it (volatile) to learn whether the node must be handed back for unlinking.
   */
  @Nullable TimerNode prev;

  /** Cancelled stack link; written by the winning canceller before its push. */
  @Nullable TimerNode link;

  TimerNode(TimerWheel wheel, Runnable task, long deadline) {
    this.wheel = wheel;
    this.task = task; // plain: published by the push CAS in schedule()
    this.deadline = deadline;
  }

  static TimerNode sentinel(TimerWheel wheel) {
    TimerNode s = new TimerNode(wheel, TimerWheel.CANCELLED, Long.MAX_VALUE);
    s.prev = s;
    s.next = s;
    return s;
  }

  @Override
  public boolean cancel() {
    Runnable current = taskAcquire();
    if (current == TimerWheel.CANCELLED || current == TimerWheel.EXPIRED) {
      return false;
    }
    if (!casTask(current, TimerWheel.CANCELLED)) {
      return false; // the driver expired it, or another cancel() won
    }
    if (prevVolatile() != null) { // volatile: the Dekker pair of the driver's place()
      wheel.retire(this); // in a bucket: the driver unlinks it at its next tick
    } // else not placed yet: the driver sees CANCELLED when it takes the node, and drops it
    return true;
  }

  Runnable taskAcquire() {
    return (Runnable) TASK.getAcquire(this); // acquire: pairs with the CASes on task
  }

  Runnable taskVolatile() {
    return (Runnable) TASK.getVolatile(this); // volatile: after the driver's setPrevVolatile
  }

  @Nullable TimerNode prevVolatile() {
    return (TimerNode) PREV.getVolatile(this);
  }

  void setPrevVolatile(TimerNode value) {
    PREV.setVolatile(this, value); // volatile: ordered before the driver's taskVolatile()
  }

  boolean casTask(Runnable expected, Runnable next) {
    return TASK.compareAndSet(this, expected, next);
  }

  @Override
  public String toString() {
    Runnable t = taskAcquire();
    String status =
        t == TimerWheel.CANCELLED ? "cancelled" : t == TimerWheel.EXPIRED ? "expired" : "pending";
    return "TimerWheel.Node[" + status + "]";
  }
}
