package dev.ballast.shed;

import static dev.ballast.internal.Preconditions.atLeast;
import static dev.ballast.internal.Preconditions.atMost;
import static dev.ballast.internal.Preconditions.notNull;
import static dev.ballast.internal.Preconditions.positive;

import dev.ballast.OutcomeClassifier;
import dev.ballast.Scheduler;
import dev.ballast.Ticker;
import dev.ballast.internal.Choice;
import dev.ballast.internal.Timers;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The settings of an {@link AdaptiveThrottle}: the multiplier {@link #k()} (default 2), the {@link
 * #window()} requests and accepts are counted over (default 2 minutes, in ten buckets), the {@link
 * #minimumRequests()} below which nothing is refused (default 10), the {@link #classifier()} that
 * decides what the backend accepted, and the {@link #random()} source of the refusals. Immutable
 * and thread-safe.
 *
 * <pre>{@code
 * AdaptiveThrottleConfig config =
 *     AdaptiveThrottleConfig.builder()
 *         .k(1.5)
 *         .window(Duration.ofMinutes(1))
 *         .build();
 * }</pre>
 */
public final class AdaptiveThrottleConfig {
  private static final AdaptiveThrottleConfig DEFAULTS = new Builder().build();

  private final double k;
  private final Duration window;
  private final int minimumRequests;
  private final OutcomeClassifier classifier;
  private final RandomGenerator random;
  private final Ticker ticker;
  private final @Nullable Scheduler scheduler;

  private AdaptiveThrottleConfig(Builder b) {
    this.k = b.k;
    this.window = b.window;
    this.minimumRequests = b.minimumRequests;
    this.classifier = b.classifier;
    this.random = b.random;
    this.ticker = b.ticker;
    this.scheduler = b.scheduler;
  }

  /**
   * The default settings: K 2, window 2 minutes, at least 10 requests, the default classifier,
   * thread-local randomness, the system ticker.
   *
   * @return the shared default config
   */
  public static AdaptiveThrottleConfig defaults() {
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
    b.k = k;
    b.window = window;
    b.minimumRequests = minimumRequests;
    b.classifier = classifier;
    b.random = random;
    b.ticker = ticker;
    b.scheduler = scheduler;
    return b;
  }

  /**
   * The multiplier K of the formula {@code max(0, (requests - K * accepts) / (requests + 1))}: how
   * many requests the client may send per request the backend accepts before refusing locally.
   * Lower is more aggressive; 2 is the SRE book's choice.
   *
   * @return K, {@code >= 1}
   */
  public double k() {
    return k;
  }

  /**
   * The span of ticker time requests and accepts are counted over, in ten buckets; it must be
   * longer than the slowest call, or accepts arrive after their requests have left the window.
   *
   * @return the window, {@code > 0}
   */
  public Duration window() {
    return window;
  }

  /**
   * The fewest requests in the window for the throttle to refuse anything.
   *
   * @return the count, {@code >= 1}
   */
  public int minimumRequests() {
    return minimumRequests;
  }

  /**
   * What counts as accepted by the backend: a {@code SUCCESS} of this classifier; a {@code FAILURE}
   * is not accepted, an {@code IGNORED} outcome takes the request back out of the count, and a
   * {@link dev.ballast.RejectedException} (the backend's refusal, mapped) is never accepted.
   *
   * @return the classifier
   */
  public OutcomeClassifier classifier() {
    return classifier;
  }

  /**
   * The source of the local refusals' randomness.
   *
   * @return the generator
   */
  public RandomGenerator random() {
    return random;
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
    return o instanceof AdaptiveThrottleConfig c
        && Double.compare(k, c.k) == 0
        && window.equals(c.window)
        && minimumRequests == c.minimumRequests
        && classifier == c.classifier
        && random == c.random
        && ticker.equals(c.ticker)
        && Objects.equals(scheduler, c.scheduler);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        k,
        window,
        minimumRequests,
        System.identityHashCode(classifier),
        System.identityHashCode(random),
        ticker);
  }

  /**
   * @return the settings, such as {@code AdaptiveThrottleConfig{k=2.0, window=PT2M,
   *     minimumRequests=10}}
   */
  @Override
  public String toString() {
    return "AdaptiveThrottleConfig{k="
        + k
        + ", window="
        + window
        + ", minimumRequests="
        + minimumRequests
        + '}';
  }

  /**
   * Builds an {@link AdaptiveThrottleConfig}. Every setter validates its value, naming the option
   * and the value; a setter called again replaces the value it set. The one conflict: {@link
   * #ticker} and {@link #scheduler} both choose the time source, so the second of the two is
   * refused with an {@link IllegalStateException} naming the first. Not thread-safe.
   */
  public static final class Builder {
    private double k = 2.0;
    private Duration window = Duration.ofMinutes(2);
    private int minimumRequests = 10;
    private OutcomeClassifier classifier = OutcomeClassifier.defaults();
    private RandomGenerator random = ThreadRandom.INSTANCE;
    private Ticker ticker = Ticker.system();
    private @Nullable Scheduler scheduler;
    private final Choice timeSource = new Choice("time source was already set to");

    private Builder() {}

    /**
     * The multiplier K.
     *
     * @param k default 2; a finite number {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException when below 1, NaN or infinite
     */
    public Builder k(double k) {
      this.k = atLeast("k", k, 1.0);
      return this;
    }

    /**
     * The span requests and accepts are counted over; make it longer than the slowest call.
     *
     * @param window default 2 minutes; in {@code [10 ns, 1 day]}
     * @return this builder
     * @throws IllegalArgumentException when under 10 ns or over a day
     */
    public Builder window(Duration window) {
      positive("window", window);
      if (window.toNanos() < Window.BUCKETS) {
        throw new IllegalArgumentException("window must be >= 10 ns, was " + window);
      }
      this.window = atMost("window", window, LoadShedderConfig.MAX_DURATION);
      return this;
    }

    /**
     * The fewest requests in the window for the throttle to refuse anything; 1 applies the formula
     * from the first request.
     *
     * @param requests default 10; {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder minimumRequests(int requests) {
      this.minimumRequests = positive("minimumRequests", requests);
      return this;
    }

    /**
     * What counts as accepted: the pipeline's classification. By default every returned value is
     * accepted and every exception is not; to follow the SRE book to the letter (only the backend's
     * refusals are not accepted), give a classifier that lists those, such as {@code
     * OutcomeClassifier.builder().failureOn(TooManyRequestsException.class).build()}.
     *
     * @param classifier default {@link OutcomeClassifier#defaults()}
     * @return this builder
     * @throws NullPointerException when {@code classifier} is null
     */
    public Builder classifier(OutcomeClassifier classifier) {
      this.classifier = notNull("classifier", classifier);
      return this;
    }

    /**
     * The source of randomness for the local refusals, such as {@code new java.util.Random(42)} in
     * a test; it must be thread-safe ({@link java.util.Random} is, {@link
     * java.util.SplittableRandom} is not).
     *
     * @param random default each thread's {@link ThreadLocalRandom}
     * @return this builder
     * @throws NullPointerException when {@code random} is null
     */
    public Builder random(RandomGenerator random) {
      this.random = notNull("random", random);
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
     * the success path reads no clock. Without one the throttle uses the shared scheduler when its
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
     * Builds the config.
     *
     * @return an immutable config
     */
    public AdaptiveThrottleConfig build() {
      return new AdaptiveThrottleConfig(this);
    }
  }

  /** Each calling thread's {@link ThreadLocalRandom}, as one shareable generator. */
  private enum ThreadRandom implements RandomGenerator {
    INSTANCE;

    @Override
    public long nextLong() {
      return ThreadLocalRandom.current().nextLong();
    }

    @Override
    public double nextDouble() {
      return ThreadLocalRandom.current().nextDouble();
    }
  }
}
