package dev.ballast.shed;

import java.time.Duration;

/**
 * A snapshot of a {@link LoadShedder}'s figures, taken by {@link LoadShedder#stats()}.
 *
 * <p>{@link #calls()}, {@link #probes()} and {@link #rejections()} count since the shedder was
 * created; {@link #windowSamples()} and {@link #windowMean()} are over the window ending now, and
 * {@link #shedding()} is the state of the moment. The figures are read one after another, not
 * atomically. Immutable and thread-safe.
 */
public final class LoadShedderStats {
  private final long calls;
  private final long probes;
  private final long rejections;
  private final long windowSamples;
  private final long windowMeanNanos;
  private final boolean shedding;

  LoadShedderStats(
      long calls,
      long probes,
      long rejections,
      long windowSamples,
      long windowMeanNanos,
      boolean shedding) {
    this.calls = calls;
    this.probes = probes;
    this.rejections = rejections;
    this.windowSamples = windowSamples;
    this.windowMeanNanos = windowMeanNanos;
    this.shedding = shedding;
  }

  /**
   * Calls admitted (given a permit) since creation, probes included.
   *
   * @return the count
   */
  public long calls() {
    return calls;
  }

  /**
   * Calls admitted as probes while shedding, since creation.
   *
   * @return the count
   */
  public long probes() {
    return probes;
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
   * Samples (timed calls, or reported queueing delays) in the window ending now.
   *
   * @return the count
   */
  public long windowSamples() {
    return windowSamples;
  }

  /**
   * The mean of the samples in the window ending now; zero without samples.
   *
   * @return the mean
   */
  public Duration windowMean() {
    return Duration.ofNanos(windowMeanNanos);
  }

  /**
   * Whether the shedder refuses new work now (but for its probes).
   *
   * @return {@code true} while shedding
   */
  public boolean shedding() {
    return shedding;
  }

  /**
   * @return the figures, such as {@code LoadShedderStats{calls=10, probes=0, rejections=2,
   *     windowSamples=10, windowMean=PT0.05S, shedding=false}}
   */
  @Override
  public String toString() {
    return "LoadShedderStats{calls="
        + calls
        + ", probes="
        + probes
        + ", rejections="
        + rejections
        + ", windowSamples="
        + windowSamples
        + ", windowMean="
        + windowMean()
        + ", shedding="
        + shedding
        + '}';
  }
}
