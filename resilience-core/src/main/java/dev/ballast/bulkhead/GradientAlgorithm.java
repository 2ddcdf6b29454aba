package dev.ballast.bulkhead;

/**
 * The gradient algorithm: judges the window latency against the dependency's no-load latency.
 *
 * <p>Implementation notes. The no-load latency is the lowest window mean of the last {@code
 * longWindow} windows (a ring of them). While the smoothed latency stays within {@code tolerance}
 * times it, the limit grows by {@code increase} (when used); beyond, the limit is cut to {@code
 * limit * noLoad / latency * backoffRatio}, the concurrency the dependency served without queueing
 * scaled a little lower, the ratio clamped at 0.5 so that one outlier window cannot halve the limit
 * twice over. A drop backs off by {@code backoffRatio}.
 *
 * <p>Why a windowed minimum and a cut below the estimate, rather than Gradient2's long-term average
 * latency: an average follows sustained queueing, so the gradient returns to 1 while the dependency
 * is overloaded, the limit grows again, latency rises, the average follows, and the limit drifts to
 * its maximum although latency looks flat. Here the cut lands under the dependency's concurrency,
 * so every cycle of the saw-tooth holds a window without queueing, which keeps the minimum at the
 * true no-load latency: the no-load latency cannot creep up while the limit cycles. It rises only
 * when no window of the long window was as fast, which is how a dependency that became slower for
 * good is accepted (after {@code longWindow} windows at the minimum limit, at worst).
 */
final class GradientAlgorithm extends LimitAlgorithm {
  private final double tolerance;
  private final double[] means;
  private int count;
  private int next;

  GradientAlgorithm(AdaptiveLimit config) {
    super(config);
    this.tolerance = config.tolerance();
    this.means = new double[config.longWindow()];
  }

  @Override
  void decide(boolean timed, double mean, int drops, int inUse) {
    if (timed) {
      means[next] = mean;
      next = (next + 1) % means.length;
      count = Math.min(count + 1, means.length);
    }
    if (drops > 0) {
      backOff(backoffRatio);
    } else if (timed) {
      double noLoad = noLoadLatency();
      if (latency > tolerance * noLoad) {
        backOff(Math.max(0.5, noLoad / latency) * backoffRatio);
      } else if (used(inUse)) {
        limit += increase;
      }
    }
  }

  /** The lowest window mean of the long window; only called after a timed window. */
  double noLoadLatency() {
    double min = Double.MAX_VALUE;
    for (int i = 0; i < count; i++) {
      min = Math.min(min, means[i]);
    }
    return min;
  }
}
