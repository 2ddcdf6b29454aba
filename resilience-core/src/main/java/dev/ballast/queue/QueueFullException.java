package dev.ballast.queue;

import dev.ballast.RejectedException;

/**
 * Thrown when a {@link BoundedQueue} refuses an element ({@code add}, {@code put} after {@code
 * close}): the queue's name as the component and the {@linkplain #cause() back pressure's cause}.
 *
 * <p>The reason follows the cause. {@link BackPressure#LOAD} is {@link Reason#OVERLOAD}: consumers
 * work, just slower than producers; shed or slow down. {@link BackPressure#FAILURE} is {@link
 * Reason#DEPENDENCY_FAILURE}: no consumer took anything for the stall time, so the queue is a
 * symptom of a broken downstream, the same situation as an open breaker; retrying into it only
 * waits, and a caller that opens a breaker on {@code DEPENDENCY_FAILURE} stops feeding a dead
 * consumer. A refusal because the queue is closed has cause {@link BackPressure#NONE} and reason
 * {@code OVERLOAD}. Carries no stack trace. Immutable and thread-safe.
 */
public final class QueueFullException extends RejectedException {
  private static final long serialVersionUID = 1L;

  private final BackPressure cause;

  QueueFullException(String name, BackPressure cause, int size, int capacity, boolean closed) {
    super(
        name,
        cause == BackPressure.FAILURE ? Reason.DEPENDENCY_FAILURE : Reason.OVERLOAD,
        null,
        closed
            ? "bounded queue '" + name + "' is closed"
            : "bounded queue '"
                + name
                + "' is full ("
                + size
                + "/"
                + capacity
                + ") because of "
                + (cause == BackPressure.FAILURE ? "a stalled consumer (FAILURE)" : "load (LOAD)"),
        false);
    this.cause = cause;
  }

  /**
   * Why the queue was full: {@link BackPressure#LOAD}, {@link BackPressure#FAILURE}, or {@link
   * BackPressure#NONE} when it refused because it is closed.
   *
   * @return the cause
   */
  public BackPressure cause() {
    return cause;
  }
}
