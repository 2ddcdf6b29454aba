package dev.ballast.shed;

import dev.ballast.RejectedException;
import java.time.Duration;

/**
 * Thrown when an {@link AdaptiveThrottle} refuses a request locally, without sending it: reason
 * {@link RejectedException.Reason#OVERLOAD}, the throttle's name as the component, the window's
 * requests and accepts and the rejection probability, and a {@code retryAfter} hint: the time until
 * the window's current bucket ends, when the oldest counts leave it. Carries no stack trace.
 * Immutable and thread-safe.
 */
public final class ThrottledException extends RejectedException {
  private static final long serialVersionUID = 1L;

  private final double probability;

  ThrottledException(
      String name, long requests, long accepts, double k, double probability, long retryNanos) {
    super(
        name,
        Reason.OVERLOAD,
        Duration.ofNanos(retryNanos),
        "adaptive throttle '"
            + name
            + "' refused the request locally: "
            + requests
            + " requests and "
            + accepts
            + " accepted in the window, k "
            + k
            + ", rejection probability "
            + String.format(java.util.Locale.ROOT, "%.3f", probability),
        false);
    this.probability = probability;
  }

  /**
   * The rejection probability the request was refused with.
   *
   * @return the probability, in {@code (0, 1)}
   */
  public double probability() {
    return probability;
  }
}
