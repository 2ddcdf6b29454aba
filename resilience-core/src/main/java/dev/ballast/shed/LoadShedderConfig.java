package dev.ballast.shed;

import static dev.ballast.internal.Preconditions.atMost;
import static dev.ballast.internal.Preconditions.notNull;
import static dev.ballast.internal.Preconditions.positive;

import dev.ballast.Scheduler;
import dev.ballast.Ticker;
import dev.ballast.internal.Choice;
import dev.ballast.internal.Timers;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link LoadShedder}: what it measures ({@link #measure()}, default the latency
 * of the guarded calls), the {@link #target()} the mean of that measure must stay under (default
 * 100 ms), over what {@link #window()} (default 10 s, in ten buckets), from at least how many
 * samples ({@link #minimumSamples()}, default 20), how many calls it times per window ({@link
 * #samplesPerWindow()}, default 200) and how many probes it admits per window while shedding
 * ({@link #probesPerWindow()}, default 10). Immutable and thread-safe.
 *
 * <pre>{@code
 * LoadShedderConfig config =
 *     LoadShedderConfig.builder()
 *         .target(Duration.ofMillis(200))
 *         .window(Duration.ofSeconds(5))
 *         .build();
 * }</pre>
 */
public final class LoadShedderConfig {

  /** What a load shedder measures. */
  public enum Measure {
    /**
     * How long the guarded calls take, from the permit to its completion; the shedder times some
     * calls of each bucket itself ({@link #samplesPerWindow()}).
     */
    LATENCY,
    /**
     * How long requests waited in a queue before asking for a permit, as the caller reports it to
     * {@link LoadShedder#acquire(long)}: every report is a sample, admitted or not.
     */
    QUEUEING_DELAY
  }

  static final Duration MAX_DURATION = Duration.ofDays(1);
  private static final LoadShedderConfig DEFAULTS = new Builder().build();

  private final Measure measure;
  private final Duration target;
  private final Duration window;
  private final int minimumSamples;
  private final int samplesPerWindow;
  private final int probesPerWindow;
  private final Ticker ticker;
  private final @Nullable Scheduler scheduler;

  private LoadShedderConfig(Builder b) {
    this.measure = b.measure;
    this.target = b.target;
    this.window = b.window;
    this.minimumSamples = b.minimumSamples;
    this.samplesPerWindow = b.samplesPerWindow;
    this.probesPerWindow = b.probesPerWindow;
    this.ticker = b.ticker;
    this.scheduler = b.scheduler;
  }

  /**
   * The default settings: latency, target 100 ms, window 10 s, at least 20 samples, 200 timed calls
   * and 10 probes per window, the system ticker.
   *
   * @return the shared default config
   */
  public static LoadShedderConfig defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.measure = measure;
    b.target = target;
    b.window = window;
    b.minimumSamples = minimumSamples;
    b.samplesPerWindow = samplesPerWindow;
    b.probesPerWindow = probesPerWindow;
    b.ticker = ticker;
    b.scheduler = scheduler;
    return b;
  }

  /**
   * What the shedder measures.
   *
   * @return the measure
   */
  public Measure measure() {
    return measure;
  }

  /**
   * The mean over the window above which the shedder refuses new work.
   *
   * @return the target, {@code > 0}
   */
  public Duration target() {
    return target;
  }

  /**
   * The span of ticker time the mean is taken over, kept in ten buckets.
   *
   * @return the window, {@code > 0}
   */
  public Duration window() {
    return window;
  }

  /**
   * The fewest samples in the window for the shedder to judge: with fewer it admits every call.
   *
   * @return the count, {@code >= 1}
   */
  public int minimumSamples() {
    return minimumSamples;
  }

  /**
   * How many calls per window the shedder times when measuring {@link Measure#LATENCY}: the first
   * {@code samplesPerWindow / 10} (rounded up) of each bucket, so that the other calls read no
   * clock. Probes are always timed.
   *
   * @return the count, {@code >= minimumSamples}
   */
  public int samplesPerWindow() {
    return samplesPerWindow;
  }

  /**
   * How many calls per window the shedder admits while shedding, so that it keeps measuring and
   * recovers: the first {@code probesPerWindow / 10} (rounded up, at least one) of each bucket.
   *
   * @return the count, {@code >= 1}
   */
  public int probesPerWindow() {
    return probesPerWindow;
  }

  /**
   * The time source.
   *
   * @return the ticker, set by {@link Builder#ticker} or {@link Builder#scheduler}
   */
  public Ticker ticker() {
    return ticker;
  }

  /** The scheduler that rolls the window's buckets: the config's, the shared one, or none. */
  @Nullable Scheduler timer() {
    return Timers.of(ticker, scheduler);
  }

  /** Whether {@code o} is a config with the same settings. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof LoadShedderConfig c
        && measure == c.measure
        && target.equals(c.target)
        && window.equals(c.window)
        && minimumSamples == c.minimumSamples
        && samplesPerWindow == c.samplesPerWindow
        && probesPerWindow == c.probesPerWindow
        && ticker.equals(c.ticker)
        && Objects.equals(scheduler, c.scheduler);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        measure, target, window, minimumSamples, samplesPerWindow, probesPerWindow, ticker);
  }

  /**
   * @return the settings, such as {@code LoadShedderConfig{measure=LATENCY, target=PT0.1S,
   *     window=PT10S, minimumSamples=20, samplesPerWindow=200, probesPerWindow=10}}
   */
  @Override
  public String toString() {
    return "LoadShedderConfig{measure="
        + measure
        + ", target="
        + target
        + ", window="
        + window
        + ", minimumSamples="
        + minimumSamples
        + ", samplesPerWindow="
        + samplesPerWindow
        + ", probesPerWindow="
        + probesPerWindow
        + '}';
  }

  /**
   * Builds a {@link LoadShedderConfig}. Every setter validates its value, naming the option and the
   * value; a setter called again replaces the value it set. The one conflict: {@link #ticker} and
   * {@link #scheduler} both choose the time source, so the second of the two is refused with an
   * {@link IllegalStateException} naming the first. Not thread-safe.
   */
  public static final class Builder {
    private Measure measure = Measure.LATENCY;
    private Duration target = Duration.ofMillis(100);
    private Duration window = Duration.ofSeconds(10);
    private int minimumSamples = 20;
    private int samplesPerWindow = 200;
    private int probesPerWindow = 10;
    private Ticker ticker = Ticker.system();
    private @Nullable Scheduler scheduler;
    private final Choice timeSource = new Choice("time source was already set to");

    private Builder() {}

    /**
     * What to measure.
     *
     * @param measure default {@link Measure#LATENCY}
     * @return this builder
     * @throws NullPointerException when {@code measure} is null
     */
    public Builder measure(Measure measure) {
      this.measure = notNull("measure", measure);
      return this;
    }

    /**
     * The mean over the window above which new work is refused.
     *
     * @param target default 100 ms; in {@code (0, 1 day]}
     * @return this builder
     * @throws IllegalArgumentException when zero, negative or over a day
     */
    public Builder target(Duration target) {
      this.target = atMost("target", positive("target", target), MAX_DURATION);
      return this;
    }

    /**
     * The span the mean is taken over, in ten buckets: a longer window reacts more slowly and
     * recovers more slowly (slow samples take a window to leave it).
     *
     * @param window default 10 s; in {@code [10 ns, 1 day]}
     * @return this builder
     * @throws IllegalArgumentException when under 10 ns or over a day
     */
    public Builder window(Duration window) {
      positive("window", window);
      if (window.toNanos() < Window.BUCKETS) {
        throw new IllegalArgumentException("window must be >= 10 ns, was " + window);
      }
      this.window = atMost("window", window, MAX_DURATION);
      return this;
    }

    /**
     * The fewest samples in the window for the shedder to judge.
     *
     * @param samples default 20; {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder minimumSamples(int samples) {
      this.minimumSamples = positive("minimumSamples", samples);
      return this;
    }

    /**
     * How many calls per window to time when measuring latency.
     *
     * @param samples default 200; {@code >= 1}, and at least {@code minimumSamples} at build
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder samplesPerWindow(int samples) {
      this.samplesPerWindow = positive("samplesPerWindow", samples);
      return this;
    }

    /**
     * How many calls per window to admit while shedding.
     *
     * @param probes default 10; {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder probesPerWindow(int probes) {
      this.probesPerWindow = positive("probesPerWindow", probes);
      return this;
    }

    /**
     * The time source, without a scheduler: every call then reads it. Refused after {@link
     * #scheduler(Scheduler) scheduler(..)} on the same builder.
     *
     * @param ticker default {@link Ticker#system()}
     * @return this builder
     * @throws IllegalStateException when {@code scheduler(..)} chose the time source already
     */
    public Builder ticker(Ticker ticker) {
      notNull("ticker", ticker);
      timeSource.make("ticker", "ticker(" + ticker + ")");
      this.ticker = ticker;
      this.scheduler = null;
      return this;
    }

    /**
     * Takes the time source from a scheduler, whose timer then rolls the window's buckets so that
     * the success path reads no clock. Without one the shedder uses the shared scheduler when its
     * ticker is {@link Ticker#system()}. Refused after {@link #ticker(Ticker) ticker(..)}.
     *
     * @param scheduler the scheduler whose {@link Scheduler#ticker() ticker} to use
     * @return this builder
     * @throws IllegalStateException when {@code ticker(..)} chose the time source already
     */
    public Builder scheduler(Scheduler scheduler) {
      notNull("scheduler", scheduler);
      Ticker t = notNull("scheduler.ticker()", scheduler.ticker());
      timeSource.make("scheduler", "scheduler(" + scheduler + ")");
      this.ticker = t;
      this.scheduler = scheduler;
      return this;
    }

    /**
     * Builds the config, checking the settings against each other.
     *
     * @return an immutable config
     * @throws IllegalArgumentException when {@code samplesPerWindow < minimumSamples} (the shedder
     *     could never judge)
     */
    public LoadShedderConfig build() {
      if (samplesPerWindow < minimumSamples) {
        throw new IllegalArgumentException(
            "samplesPerWindow must be >= minimumSamples ("
                + minimumSamples
                + "), was "
                + samplesPerWindow);
      }
      return new LoadShedderConfig(this);
    }
  }
}
