package dev.ballast.bulkhead;

/**
 * An adaptive limit's algorithm: given the figures of one window of completed calls, decides the
 * next limit. Called by one thread at a time (the one {@link AdaptiveController} elects per
 * window), so its state needs no synchronisation; the election's CAS and the release of its flag
 * order one evaluation before the next.
 *
 * <p>Both algorithms keep the limit as a {@code double} (so that a fractional back-off adds up) and
 * publish it rounded, within {@code [minLimit, maxLimit]}. Both judge a smoothed latency: an
 * exponentially weighted moving average of the windows' mean round-trip times. Both grow the limit
 * only when the window's highest in-flight count reached half of the limit: a limit the callers do
 * not use is not evidence of room, and raising it anyway is how adaptive limits drift to their
 * maximum under light load.
 */
abstract class LimitAlgorithm {
  final int minLimit;
  final int maxLimit;
  final double smoothing;
  final int increase;
  final double backoffRatio;

  /** The limit, unrounded. */
  double limit;

  /** The smoothed window latency in nanoseconds; NaN before the first window with samples. */
  double latency = Double.NaN;

  LimitAlgorithm(AdaptiveLimit config) {
    this.minLimit = config.minLimit();
    this.maxLimit = config.maxLimit();
    this.smoothing = config.smoothing();
    this.increase = config.increase();
    this.backoffRatio = config.backoffRatio();
    this.limit = config.initialLimit();
  }

  static LimitAlgorithm of(AdaptiveLimit config) {
    return config.algorithm() == AdaptiveLimit.Algorithm.AIMD
        ? new Aimd(config)
        : new GradientAlgorithm(config);
  }

  /**
   * Takes one window's figures and returns the limit to set.
   *
   * @param samples timed calls that completed and were not dropped
   * @param rttSumNanos their round-trip times, summed
   * @param drops calls dropped (a rejection or a Ballast timeout), timed or not
   * @param inUse how many calls the window kept in flight: the mean by Little's law, or {@code
   *     Integer.MAX_VALUE} when the bulkhead refused a call in it
   * @return the new limit, in {@code [minLimit, maxLimit]}
   */
  final int update(long samples, long rttSumNanos, int drops, int inUse) {
    double mean = samples > 0 ? (double) rttSumNanos / samples : Double.NaN;
    if (samples > 0) {
      latency = Double.isNaN(latency) ? mean : latency + smoothing * (mean - latency);
    }
    decide(samples > 0, mean, drops, inUse);
    limit = Math.max(minLimit, Math.min(maxLimit, limit));
    return current();
  }

  /** Changes {@link #limit} for one window; {@code mean} is NaN when {@code timed} is false. */
  abstract void decide(boolean timed, double mean, int drops, int inUse);

  /** The limit, rounded. */
  final int current() {
    return (int) Math.round(limit);
  }

  /** Multiplies the limit by {@code factor}, taking at least one off. */
  final void backOff(double factor) {
    limit = Math.min(limit - 1, limit * factor);
  }

  /**
   * Whether the callers used the limit: the window's mean in flight reached half of it, or the
   * bulkhead refused a call.
   */
  final boolean used(int inUse) {
    return 2.0 * inUse >= limit;
  }

  /** Additive increase, multiplicative decrease, on a latency threshold and on drops. */
  static final class Aimd extends LimitAlgorithm {
    private final long thresholdNanos;

    Aimd(AdaptiveLimit config) {
      super(config);
      this.thresholdNanos = config.latencyThreshold().toNanos();
    }

    @Override
    void decide(boolean timed, double mean, int drops, int inUse) {
      if (drops > 0 || (timed && latency > thresholdNanos)) {
        backOff(backoffRatio);
      } else if (timed && used(inUse)) {
        limit += increase;
      }
    }
  }
}
