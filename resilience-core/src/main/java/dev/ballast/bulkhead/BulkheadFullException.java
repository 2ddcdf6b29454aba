package dev.ballast.bulkhead;

import dev.ballast.RejectedException;

/**
 * Thrown when a {@link Bulkhead} refuses a call because every permit is in use: reason {@link
 * RejectedException.Reason#OVERLOAD}, the bulkhead's name as the component, and no {@code
 * retryAfter} hint (a bulkhead cannot know when a call in flight will end). A refusal through a
 * reserved partition names the partition in its message. Carries no stack trace. Immutable and
 * thread-safe.
 */
public final class BulkheadFullException extends RejectedException {
  private static final long serialVersionUID = 1L;

  BulkheadFullException(String name, long inFlight, int maxConcurrentCalls) {
    super(
        name,
        Reason.OVERLOAD,
        null,
        message("bulkhead '" + name + "'", inFlight, maxConcurrentCalls),
        false);
  }

  /** A refusal of a call of a reserved partition: its permits, and any it may borrow, in use. */
  BulkheadFullException(String name, String partition, long inFlight, int maxConcurrentCalls) {
    super(
        name,
        Reason.OVERLOAD,
        null,
        message(
            "bulkhead '" + name + "' partition '" + partition + "'", inFlight, maxConcurrentCalls),
        false);
  }

  private static String message(String who, long inFlight, int maxConcurrentCalls) {
    return who
        + " is full: "
        + inFlight
        + " calls in flight, maxConcurrentCalls "
        + maxConcurrentCalls;
  }
}
