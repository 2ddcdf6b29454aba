package dev.ballast.shed;

import dev.ballast.RejectedException;
import java.time.Duration;

/**
 * Thrown when a {@link LoadShedder} refuses a call because the mean of what it measures exceeds its
 * target: reason {@link RejectedException.Reason#OVERLOAD}, the shedder's name as the component,
 * the measured mean and the target, and a {@code retryAfter} hint: the time until the window's
 * current bucket ends, when the oldest samples leave the window. Carries no stack trace. Immutable
 * and thread-safe.
 */
public final class LoadShedException extends RejectedException {
  private static final long serialVersionUID = 1L;

  private final long measuredNanos;
  private final long targetNanos;

  LoadShedException(
      String name,
      LoadShedderConfig.Measure measure,
      long measuredNanos,
      long samples,
      long targetNanos,
      long retryAfterNanos) {
    super(
        name,
        Reason.OVERLOAD,
        Duration.ofNanos(retryAfterNanos),
        "load shedder '"
            + name
            + "' is shedding: mean "
            + (measure == LoadShedderConfig.Measure.LATENCY ? "latency " : "queueing delay ")
            + Duration.ofNanos(measuredNanos)
            + " over "
            + samples
            + " samples in the window, target "
            + Duration.ofNanos(targetNanos),
        false);
    this.measuredNanos = measuredNanos;
    this.targetNanos = targetNanos;
  }

  /**
   * The mean over the window when the call was refused.
   *
   * @return the measured mean
   */
  public Duration measured() {
    return Duration.ofNanos(measuredNanos);
  }

  /**
   * The shedder's target.
   *
   * @return the target
   */
  public Duration target() {
    return Duration.ofNanos(targetNanos);
  }
}
