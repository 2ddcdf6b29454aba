package dev.ballast.ratelimiter;

/**
 * A snapshot of a {@link RateLimiter}'s figures, taken by {@link RateLimiter#stats()}.
 *
 * <p>{@link #calls()}, {@link #permits()}, {@link #waits()} and {@link #rejections()} count since
 * the limiter was created; {@link #availablePermits()}, {@link #waitingCalls()} and {@link
 * #limit()} are the state of the moment. A rate limiter keeps no window. The figures are read one
 * after another, not atomically. Immutable and thread-safe.
 */
public final class RateLimiterStats {
  private final long calls;
  private final long permits;
  private final long waits;
  private final long rejections;
  private final long availablePermits;
  private final long waitingCalls;
  private final int limit;

  RateLimiterStats(
      long calls,
      long permits,
      long waits,
      long rejections,
      long availablePermits,
      long waitingCalls,
      int limit) {
    this.calls = calls;
    this.permits = permits;
    this.waits = waits;
    this.rejections = rejections;
    this.availablePermits = availablePermits;
    this.waitingCalls = waitingCalls;
    this.limit = limit;
  }

  /**
   * Calls admitted since creation, waited or not.
   *
   * @return the count
   */
  public long calls() {
    return calls;
  }

  /**
   * Permits granted since creation (a call may take several).
   *
   * @return the count
   */
  public long permits() {
    return permits;
  }

  /**
   * Calls admitted after waiting for their permits, since creation.
   *
   * @return the count
   */
  public long waits() {
    return waits;
  }

  /**
   * Calls refused since creation.
   *
   * @return the count
   */
  public long rejections() {
    return rejections;
  }

  /**
   * The permits a call could take now without waiting.
   *
   * @return the count, {@code >= 0}
   */
  public long availablePermits() {
    return availablePermits;
  }

  /**
   * Calls waiting for their permits now.
   *
   * @return the count
   */
  public long waitingCalls() {
    return waitingCalls;
  }

  /**
   * The permits per period now.
   *
   * @return the limit
   */
  public int limit() {
    return limit;
  }

  /**
   * @return the figures, such as {@code RateLimiterStats{calls=10, permits=10, waits=0,
   *     rejections=2, availablePermits=0, waitingCalls=0, limit=10}}
   */
  @Override
  public String toString() {
    return "RateLimiterStats{calls="
        + calls
        + ", permits="
        + permits
        + ", waits="
        + waits
        + ", rejections="
        + rejections
        + ", availablePermits="
        + availablePermits
        + ", waitingCalls="
        + waitingCalls
        + ", limit="
        + limit
        + '}';
  }
}
