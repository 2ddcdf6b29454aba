package dev.ballast.bulkhead;

import dev.ballast.RejectedException;

/**
 * Thrown when a {@link Bulkhead} refuses a call because every permit is in use: reason {@link
 * RejectedException.Reason#OVERLOAD}, the bulkhead's name as the component, and no {@code
 * retryAfter} hint (a bulkhead cannot know when a call in flight will end). Carries no stack trace.
 * Immutable and thread-safe.
 */
public final class BulkheadFullException extends RejectedException {
  private static final long serialVersionUID = 1L;

  BulkheadFullException(String name, long inFlight, int maxConcurrentCalls) {
    super(
        name,
        Reason.OVERLOAD,
        null,
        "bulkhead '"
            + name
            + "' is full: "
            + inFlight
            + " calls in flight, maxConcurrentCalls "
            + maxConcurrentCalls,
        false);
  }
}
