package dev.ballast.queue;

/**
 * Receives a {@link BoundedQueue}'s events. Every method has a no-op default.
 *
 * <p>Events are reported on the thread that caused them, after the queue's state is updated and
 * outside its lock. Methods must be thread-safe and quick. A listener that throws never changes the
 * queue's state or the caller's outcome: what it throws is logged at WARN, naming the queue (the
 * first, then at most one line a minute with a count of those suppressed); a {@link
 * VirtualMachineError} is not hidden and reaches the caller.
 */
public interface BoundedQueueListener {

  /**
   * An element was refused: the queue was full (or closed, with {@link BackPressure#NONE}).
   *
   * @param cause why the queue was full
   * @param size the queue's size then
   */
  default void onRejected(BackPressure cause, long size) {}

  /**
   * An element was accepted and discarded under {@link Overflow#DROP_NEWEST}.
   *
   * @param cause why the queue was full
   */
  default void onDropped(BackPressure cause) {}

  /**
   * An element was evicted: the oldest one under {@link Overflow#DROP_OLDEST}, or one that waited
   * too long under {@link Overflow#SOJOURN}; it was handed to the eviction callback.
   *
   * @param cause why the queue was full ({@link BackPressure#NONE} for a sojourn eviction made by a
   *     consumer)
   * @param waitedNanos how long it waited, or {@code -1} when waits are not measured
   */
  default void onEvicted(BackPressure cause, long waitedNanos) {}
}
