package dev.ballast.ratelimiter;

/**
 * Receives a {@link RateLimiter}'s events. Every method has a no-op default, so implement only what
 * you need.
 *
 * <p>Events are reported on the thread that caused them, after the limiter's state is updated.
 * Methods must be thread-safe and quick. A listener that throws never changes the limiter's state
 * or the caller's outcome: what it throws is logged at WARN, naming the limiter (the first, then at
 * most one line a minute with a count of those suppressed); a {@link VirtualMachineError} is not
 * hidden and reaches the caller.
 */
public interface RateLimiterListener {

  /**
   * A call was refused.
   *
   * @param permits the permits it asked for
   * @param retryAfterNanos how long until they will be free, in nanoseconds
   */
  default void onRejected(long permits, long retryAfterNanos) {}

  /**
   * A call was admitted after waiting for its permits.
   *
   * @param permits the permits it took
   * @param waitedNanos how long it was made to wait, in nanoseconds
   */
  default void onWaited(long permits, long waitedNanos) {}

  /**
   * The limit was changed at run time by {@link RateLimiter#changeLimit(int)}.
   *
   * @param oldLimit the permits per period before
   * @param newLimit the permits per period now
   */
  default void onLimitChanged(long oldLimit, long newLimit) {}
}
