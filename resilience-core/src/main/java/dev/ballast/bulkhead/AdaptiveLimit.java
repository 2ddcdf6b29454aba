package dev.ballast.bulkhead;

import static dev.ballast.internal.Preconditions.atLeast;
import static dev.ballast.internal.Preconditions.atMost;
import static dev.ballast.internal.Preconditions.fraction;
import static dev.ballast.internal.Preconditions.positive;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a bulkhead's adaptive limit: a limit that follows the latency the bulkhead
 * measures, so that it settles near the number of calls the dependency can really serve at once,
 * backs off when the dependency slows down, and grows again when it recovers. Given to {@link
 * BulkheadConfig.Builder#adaptiveLimit(AdaptiveLimit)}. Immutable and thread-safe.
 *
 * <pre>{@code
 * AdaptiveLimit limit =
 *     AdaptiveLimit.gradient().initialLimit(20).minLimit(5).maxLimit(200).build();
 * Bulkhead bulkhead =
 *     Bulkhead.of("inventory", BulkheadConfig.builder().adaptiveLimit(limit).build());
 * }</pre>
 *
 * <p>Two algorithms, each started by its factory; both evaluate once per {@linkplain #window()
 * window} of completed calls and grow the limit only while the calls in flight reach at least half
 * of it (a limit nobody uses is not raised):
 *
 * <ul>
 *   <li>{@link #aimd()}: additive increase, multiplicative decrease. The limit grows by {@link
 *       #increase()} per window while the window's latency stays at or under {@link
 *       #latencyThreshold()} and no call was dropped, and is multiplied by {@link #backoffRatio()}
 *       otherwise. For a dependency whose acceptable latency you know.
 *   <li>{@link #gradient()}: compares the window's latency to the dependency's no-load latency (the
 *       lowest window latency of the last {@link #longWindow()} windows). While the ratio stays
 *       within {@link #tolerance()} the limit grows by {@link #increase()}; beyond it the limit is
 *       cut to what the ratio says the dependency serves without queueing ({@code limit * noLoad /
 *       latency}), times {@link #backoffRatio()}. Needs no latency figure from you.
 * </ul>
 *
 * <p>A call counts as <em>dropped</em> when it ends with a {@link dev.ballast.RejectedException}
 * (an inner policy or the dependency refused it) or with a Ballast timeout: both algorithms then
 * back off by {@link #backoffRatio()}. Any other exception is a sample like a returned value (the
 * dependency answered, and its latency counts); a permit returned with {@code release} (a call not
 * made, or cancelled) is not a sample.
 */
public final class AdaptiveLimit {

  /** The adaptive algorithms. */
  enum Algorithm {
    AIMD,
    GRADIENT
  }

  /** Completed calls a window needs before it is evaluated, however long it has lasted. */
  static final int MIN_WINDOW_SAMPLES = 10;

  private static final Duration MAX_DURATION = Duration.ofDays(1);

  private final Algorithm algorithm;
  private final int initialLimit;
  private final int minLimit;
  private final int maxLimit;
  private final Duration window;
  private final double smoothing;
  private final int sampling;
  private final int increase;
  private final double backoffRatio;
  private final Duration latencyThreshold;
  private final double tolerance;
  private final int longWindow;

  private AdaptiveLimit(Builder b) {
    this.algorithm = b.algorithm;
    this.initialLimit = b.initialLimit;
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
    this.window = b.window;
    this.smoothing = b.smoothing;
    this.sampling = b.sampling;
    this.increase = b.increase;
    this.backoffRatio = b.backoffRatio;
    this.latencyThreshold = b.latencyThreshold;
    this.tolerance = b.tolerance;
    this.longWindow = b.longWindow;
  }

  /**
   * Starts an AIMD limit: grows by {@link #increase()} (default 1) per window while latency stays
   * at or under {@link #latencyThreshold()} (default 5 s), multiplied by {@link #backoffRatio()}
   * (default 0.9) when it does not or a call was dropped.
   *
   * @return a new builder
   */
  public static Builder aimd() {
    return new Builder(Algorithm.AIMD);
  }

  /**
   * Starts a gradient limit: grows by {@link #increase()} (default 4) per window while latency
   * stays within {@link #tolerance()} (default 1.2) times the no-load latency, and is cut towards
   * the concurrency the dependency serves without queueing when it does not.
   *
   * @return a new builder
   */
  public static Builder gradient() {
    return new Builder(Algorithm.GRADIENT);
  }

  /**
   * A builder holding these settings, of the same algorithm.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(algorithm);
    b.initialLimit = initialLimit;
    b.minLimit = minLimit;
    b.maxLimit = maxLimit;
    b.window = window;
    b.smoothing = smoothing;
    b.sampling = sampling;
    b.increase = increase;
    b.backoffRatio = backoffRatio;
    b.latencyThreshold = latencyThreshold;
    b.tolerance = tolerance;
    b.longWindow = longWindow;
    return b;
  }

  Algorithm algorithm() {
    return algorithm;
  }

  /**
   * The limit the bulkhead starts with.
   *
   * @return in {@code [minLimit, maxLimit]}
   */
  public int initialLimit() {
    return initialLimit;
  }

  /**
   * The lowest limit the algorithm sets.
   *
   * @return at least 1
   */
  public int minLimit() {
    return minLimit;
  }

  /**
   * The highest limit the algorithm sets.
   *
   * @return at most {@link BulkheadConfig#MAX_CONCURRENT_CALLS}
   */
  public int maxLimit() {
    return maxLimit;
  }

  /**
   * How often the limit is evaluated: once a window has lasted this long and at least ten timed
   * calls completed in it.
   *
   * @return the window's length
   */
  public Duration window() {
    return window;
  }

  /**
   * The weight of the newest window in the latency the algorithm judges (an exponentially weighted
   * moving average of the windows' mean latencies); 1 takes each window as it is.
   *
   * @return in {@code (0, 1]}
   */
  public double smoothing() {
    return smoothing;
  }

  /**
   * One call in how many (per permit) is timed: timing reads the clock twice, so timing every call
   * would cost more than the bulkhead itself. Dropped calls are counted whether timed or not.
   *
   * @return at least 1
   */
  public int sampling() {
    return sampling;
  }

  /**
   * How much the limit grows in a window that shows room.
   *
   * @return at least 1
   */
  public int increase() {
    return increase;
  }

  /**
   * What the limit is multiplied by when a call was dropped and, for AIMD, when latency exceeds the
   * threshold; the gradient multiplies its cut by it as well, so that the limit dips under the
   * dependency's capacity and the no-load latency is measured again.
   *
   * @return in {@code [0.5, 1)}
   */
  public double backoffRatio() {
    return backoffRatio;
  }

  /**
   * AIMD only: the window latency above which the limit backs off.
   *
   * @return the threshold
   */
  public Duration latencyThreshold() {
    return latencyThreshold;
  }

  /**
   * Gradient only: how many times the no-load latency a window's latency may reach before it counts
   * as queueing.
   *
   * @return at least 1
   */
  public double tolerance() {
    return tolerance;
  }

  /**
   * Gradient only: over how many windows the no-load latency is the lowest window latency. A
   * dependency that became slower for good is recognised after this many windows.
   *
   * @return at least 2
   */
  public int longWindow() {
    return longWindow;
  }

  /** Whether {@code o} is an adaptive limit of the same algorithm with the same settings. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof AdaptiveLimit a
        && algorithm == a.algorithm
        && initialLimit == a.initialLimit
        && minLimit == a.minLimit
        && maxLimit == a.maxLimit
        && window.equals(a.window)
        && Double.compare(smoothing, a.smoothing) == 0
        && sampling == a.sampling
        && increase == a.increase
        && Double.compare(backoffRatio, a.backoffRatio) == 0
        && latencyThreshold.equals(a.latencyThreshold)
        && Double.compare(tolerance, a.tolerance) == 0
        && longWindow == a.longWindow;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        algorithm,
        initialLimit,
        minLimit,
        maxLimit,
        window,
        smoothing,
        sampling,
        increase,
        backoffRatio,
        latencyThreshold,
        tolerance,
        longWindow);
  }

  /**
   * @return the settings, such as {@code AdaptiveLimit.gradient{initialLimit=20, ...}}
   */
  @Override
  public String toString() {
    String common =
        "initialLimit="
            + initialLimit
            + ", minLimit="
            + minLimit
            + ", maxLimit="
            + maxLimit
            + ", window="
            + window
            + ", smoothing="
            + smoothing
            + ", sampling="
            + sampling
            + ", increase="
            + increase
            + ", backoffRatio="
            + backoffRatio;
    return algorithm == Algorithm.AIMD
        ? "AdaptiveLimit.aimd{" + common + ", latencyThreshold=" + latencyThreshold + '}'
        : "AdaptiveLimit.gradient{"
            + common
            + ", tolerance="
            + tolerance
            + ", longWindow="
            + longWindow
            + '}';
  }

  /**
   * Builds an {@link AdaptiveLimit} of the algorithm its factory chose. Every setter validates its
   * value, naming the option and the value; a setter called again replaces its value. An option of
   * the other algorithm is refused with an {@link IllegalStateException} naming both. Limits are
   * checked against each other at {@link #build()}. Not thread-safe.
   */
  public static final class Builder {
    private final Algorithm algorithm;
    private int initialLimit = 20;
    private int minLimit = 1;
    private int maxLimit = 200;
    private Duration window = Duration.ofSeconds(1);
    private double smoothing = 0.5;
    private int sampling = 8;
    private int increase;
    private double backoffRatio = 0.9;
    private Duration latencyThreshold = Duration.ofSeconds(5);
    private double tolerance = 1.2;
    private int longWindow = 60;

    private Builder(Algorithm algorithm) {
      this.algorithm = algorithm;
      this.increase = algorithm == Algorithm.AIMD ? 1 : 4;
    }

    private void only(Algorithm owner, String call) {
      if (algorithm != owner) {
        throw new IllegalStateException(
            "the algorithm was already set to "
                + algorithm.name().toLowerCase(Locale.ROOT)
                + "(); "
                + call
                + " is an option of "
                + owner.name().toLowerCase(Locale.ROOT)
                + "()");
      }
    }

    /**
     * The limit to start with; default 20.
     *
     * @param limit in {@code [minLimit, maxLimit]}, checked at {@link #build()}
     * @return this builder
     */
    public Builder initialLimit(int limit) {
      this.initialLimit = BulkheadConfig.checkLimit("initialLimit", limit);
      return this;
    }

    /**
     * The lowest limit; default 1.
     *
     * @param limit at least 1
     * @return this builder
     */
    public Builder minLimit(int limit) {
      this.minLimit = BulkheadConfig.checkLimit("minLimit", limit);
      return this;
    }

    /**
     * The highest limit; default 200.
     *
     * @param limit at most {@link BulkheadConfig#MAX_CONCURRENT_CALLS}
     * @return this builder
     */
    public Builder maxLimit(int limit) {
      this.maxLimit = BulkheadConfig.checkLimit("maxLimit", limit);
      return this;
    }

    /**
     * The evaluation window; default 1 s. Make it many times the dependency's latency, so that a
     * window holds many calls.
     *
     * @param window in {@code [1 ms, 1 day]}
     * @return this builder
     */
    public Builder window(Duration window) {
      positive("window", window);
      atMost("window", window, MAX_DURATION);
      if (window.toMillis() < 1) {
        throw new IllegalArgumentException("window must be >= 1 ms, was " + window);
      }
      this.window = window;
      return this;
    }

    /**
     * The weight of the newest window in the judged latency; default 0.5.
     *
     * @param smoothing in {@code (0, 1]}
     * @return this builder
     */
    public Builder smoothing(double smoothing) {
      this.smoothing = fraction("smoothing", smoothing);
      return this;
    }

    /**
     * Times one call in {@code oneIn} per permit; default 8. 1 times every call (tests, or calls
     * slow enough that two clock reads do not matter).
     *
     * @param oneIn in {@code [1, 1024]}
     * @return this builder
     */
    public Builder sampling(int oneIn) {
      positive("sampling", oneIn);
      if (oneIn > 1024) {
        throw new IllegalArgumentException("sampling must be <= 1024, was " + oneIn);
      }
      this.sampling = oneIn;
      return this;
    }

    /**
     * The growth per window that shows room; default 1 for AIMD, 4 for the gradient.
     *
     * @param increase in {@code [1, MAX_CONCURRENT_CALLS]}
     * @return this builder
     */
    public Builder increase(int increase) {
      this.increase = BulkheadConfig.checkLimit("increase", increase);
      return this;
    }

    /**
     * The factor of a back-off; default 0.9.
     *
     * @param ratio in {@code [0.5, 1)}
     * @return this builder
     */
    public Builder backoffRatio(double ratio) {
      if (!(ratio >= 0.5 && ratio < 1.0)) {
        throw new IllegalArgumentException("backoffRatio must be in [0.5, 1), was " + ratio);
      }
      this.backoffRatio = ratio;
      return this;
    }

    /**
     * AIMD only: the window latency above which the limit backs off; default 5 s. Set it to the
     * latency at which you consider the dependency overloaded, such as twice its usual latency.
     *
     * @param threshold in {@code (0, 1 day]}
     * @return this builder
     * @throws IllegalStateException on a {@link AdaptiveLimit#gradient()} builder
     */
    public Builder latencyThreshold(Duration threshold) {
      positive("latencyThreshold", threshold);
      atMost("latencyThreshold", threshold, MAX_DURATION);
      only(Algorithm.AIMD, "latencyThreshold(" + threshold + ")");
      this.latencyThreshold = threshold;
      return this;
    }

    /**
     * Gradient only: how many times the no-load latency still counts as no queueing; default 1.2.
     *
     * @param tolerance a finite number in {@code [1, 100]}
     * @return this builder
     * @throws IllegalStateException on an {@link AdaptiveLimit#aimd()} builder
     */
    public Builder tolerance(double tolerance) {
      atLeast("tolerance", tolerance, 1.0);
      if (tolerance > 100) {
        throw new IllegalArgumentException("tolerance must be <= 100, was " + tolerance);
      }
      only(Algorithm.GRADIENT, "tolerance(" + tolerance + ")");
      this.tolerance = tolerance;
      return this;
    }

    /**
     * Gradient only: over how many windows the no-load latency is the lowest; default 60.
     *
     * @param windows in {@code [2, 10000]}
     * @return this builder
     * @throws IllegalStateException on an {@link AdaptiveLimit#aimd()} builder
     */
    public Builder longWindow(int windows) {
      if (windows < 2 || windows > 10_000) {
        throw new IllegalArgumentException("longWindow must be in [2, 10000], was " + windows);
      }
      only(Algorithm.GRADIENT, "longWindow(" + windows + ")");
      this.longWindow = windows;
      return this;
    }

    /**
     * Builds the settings, checking the limits against each other.
     *
     * @return the adaptive limit
     * @throws IllegalArgumentException when {@code minLimit > maxLimit} or {@code initialLimit}
     *     lies outside {@code [minLimit, maxLimit]}
     */
    public AdaptiveLimit build() {
      if (minLimit > maxLimit) {
        throw new IllegalArgumentException(
            "minLimit must be <= maxLimit (" + maxLimit + "), was " + minLimit);
      }
      if (initialLimit < minLimit || initialLimit > maxLimit) {
        throw new IllegalArgumentException(
            "initialLimit must be in [minLimit, maxLimit] = ["
                + minLimit
                + ", "
                + maxLimit
                + "], was "
                + initialLimit);
      }
      return new AdaptiveLimit(this);
    }
  }
}
