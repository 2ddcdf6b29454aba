package dev.ballast.shed;

/**
 * A snapshot of an {@link AdaptiveThrottle}'s figures, taken by {@link AdaptiveThrottle#stats()}.
 *
 * <p>{@link #calls()} and {@link #rejections()} count since the throttle was created; the {@code
 * window} figures are over the window ending now. The figures are read one after another, not
 * atomically. Immutable and thread-safe.
 */
public final class AdaptiveThrottleStats {
  private final long calls;
  private final long rejections;
  private final long windowRequests;
  private final long windowAccepts;
  private final double windowRejectionProbability;

  AdaptiveThrottleStats(
      long calls,
      long rejections,
      long windowRequests,
      long windowAccepts,
      double windowRejectionProbability) {
    this.calls = calls;
    this.rejections = rejections;
    this.windowRequests = windowRequests;
    this.windowAccepts = windowAccepts;
    this.windowRejectionProbability = windowRejectionProbability;
  }

  /**
   * Requests let through (given a permit) since creation.
   *
   * @return the count
   */
  public long calls() {
    return calls;
  }

  /**
   * Requests refused locally since creation.
   *
   * @return the count
   */
  public long rejections() {
    return rejections;
  }

  /**
   * Requests counted in the window ending now, those refused locally included.
   *
   * @return the count
   */
  public long windowRequests() {
    return windowRequests;
  }

  /**
   * Requests the backend accepted in the window ending now.
   *
   * @return the count
   */
  public long windowAccepts() {
    return windowAccepts;
  }

  /**
   * The probability the next request is refused, from the window's counts.
   *
   * @return the probability, in {@code [0, 1)}
   */
  public double windowRejectionProbability() {
    return windowRejectionProbability;
  }

  /**
   * @return the figures, such as {@code AdaptiveThrottleStats{calls=10, rejections=2,
   *     windowRequests=12, windowAccepts=4, windowRejectionProbability=0.307}}
   */
  @Override
  public String toString() {
    return "AdaptiveThrottleStats{calls="
        + calls
        + ", rejections="
        + rejections
        + ", windowRequests="
        + windowRequests
        + ", windowAccepts="
        + windowAccepts
        + ", windowRejectionProbability="
        + windowRejectionProbability
        + '}';
  }
}
