package dev.ballast.bulkhead;

import dev.ballast.RejectedException;

/**
 * Thrown when a {@link ThreadPoolBulkhead} refuses a task without running it: every thread was busy
 * and the queue full, the bulkhead was closed, or the caller of a synchronous call was interrupted
 * while its task waited in the queue. Reason {@link RejectedException.Reason#OVERLOAD}, the
 * bulkhead's name as the component, no {@code retryAfter} hint (a pool cannot know when a running
 * task will end); the message says which refusal it was. Never counted as a failure of the
 * dependency. Carries no stack trace. Immutable and thread-safe.
 */
public final class ThreadPoolBulkheadRejectedException extends RejectedException {
  private static final long serialVersionUID = 1L;

  ThreadPoolBulkheadRejectedException(String name, String why) {
    super(name, Reason.OVERLOAD, null, "thread-pool bulkhead '" + name + "' " + why, false);
  }

  static ThreadPoolBulkheadRejectedException full(String name, int maxThreads, int queueCapacity) {
    return new ThreadPoolBulkheadRejectedException(
        name,
        "is full: all "
            + maxThreads
            + " threads are busy and "
            + (queueCapacity == 0
                ? "it has no queue (queueCapacity 0)"
                : "its queue of " + queueCapacity + " is full"));
  }

  static ThreadPoolBulkheadRejectedException closed(String name) {
    return new ThreadPoolBulkheadRejectedException(name, "is closed: it runs no new task");
  }

  static ThreadPoolBulkheadRejectedException closedBeforeRun(String name) {
    return new ThreadPoolBulkheadRejectedException(
        name, "was closed before the task ran: the task was cancelled");
  }

  static ThreadPoolBulkheadRejectedException interruptedWhileQueued(String name) {
    return new ThreadPoolBulkheadRejectedException(
        name, "refused the call: the caller was interrupted while its task waited in the queue");
  }
}
