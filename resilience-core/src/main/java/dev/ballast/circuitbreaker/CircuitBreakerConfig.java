package dev.ballast.circuitbreaker;

import static dev.ballast.internal.Preconditions.atLeast;
import static dev.ballast.internal.Preconditions.atMost;
import static dev.ballast.internal.Preconditions.fraction;
import static dev.ballast.internal.Preconditions.notNull;
import static dev.ballast.internal.Preconditions.positive;

import dev.ballast.BackOffHint;
import dev.ballast.OutcomeClassifier;
import dev.ballast.Scheduler;
import dev.ballast.Ticker;
import dev.ballast.faultcounter.FaultCounter;
import dev.ballast.internal.Choice;
import dev.ballast.internal.Timers;
import java.time.Duration;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link CircuitBreaker}: one trip rule, an optional slow-call rule, how long to
 * stay open, and how to probe. One config may serve many breakers.
 *
 * <p>Defaults: failure rate &ge; 0.5 over the last 100 calls, at least 20 calls before the rate can
 * trip; no slow-call rule; open for 60 s (no growth); one probe, one success to close; a probe
 * lease of 60 s; every exception a failure; no back-off hint and no open-at-once rule; the system
 * ticker; rejections without stack traces.
 *
 * <p>Two settings are derived from others until set: {@code maxWaitInOpen} is {@code waitInOpen}
 * (no growth) and {@code halfOpenSuccesses} is {@code halfOpenProbes}. {@link #toBuilder()} keeps
 * them derived, so {@code config.toBuilder().halfOpenProbes(5)} needs five successes to close, as
 * {@code builder().halfOpenProbes(5)} does.
 *
 * <p>Immutable and thread-safe.
 */
public final class CircuitBreakerConfig {
  /** The rule that decides when a closed breaker opens. */
  public enum TripRule {
    /** Failure (or slow) rate over the last N calls. */
    FAILURE_RATE_OVER_CALLS,
    /** Failure (or slow) rate over the last T of ticker time, in ten buckets. */
    FAILURE_RATE_OVER_TIME,
    /** N failures in a row. */
    CONSECUTIVE_FAILURES,
    /** Fault density: a leaky bucket that overflows (the book's smarter trip rule). */
    LEAKY_BUCKET
  }

  static final Duration MAX_DURATION = Duration.ofDays(365);

  /** The most probes one half-open period admits: it keeps one slot per probe. */
  static final int MAX_PROBES = 1000;

  private static final CircuitBreakerConfig DEFAULTS = builder().build();

  private final TripRule tripRule;
  private final int windowCalls;
  private final Duration windowDuration;
  private final int consecutiveFailures;
  private final int bucketCapacity;
  private final Duration leakInterval;
  private final double failureRateThreshold;
  private final int minimumCalls;
  private final @Nullable Duration slowCallDuration;
  private final double slowCallRateThreshold;
  private final Duration waitInOpen;
  private final double waitMultiplier;
  private final @Nullable Duration maxWaitInOpenSet; // null: derived from waitInOpen
  private final int halfOpenProbes;
  private final int halfOpenSuccessesSet; // 0: derived from halfOpenProbes
  private final Duration probeLease;
  private final OutcomeClassifier classifier;
  private final @Nullable BackOffHint backOffHint;
  private final @Nullable Duration backOffHintCap;
  private final boolean hintAtLeastOwnWait;
  private final @Nullable Predicate<? super Throwable> openAtOnceOn;
  private final Ticker ticker;
  private final @Nullable Scheduler scheduler; // set with the ticker by Builder.scheduler
  private final boolean stackTraces;

  private CircuitBreakerConfig(Builder b) {
    this.tripRule = b.tripRule;
    this.windowCalls = b.windowCalls;
    this.windowDuration = b.windowDuration;
    this.consecutiveFailures = b.consecutiveFailures;
    this.bucketCapacity = b.bucketCapacity;
    this.leakInterval = b.leakInterval;
    this.failureRateThreshold = b.failureRateThreshold;
    this.minimumCalls = b.minimumCalls;
    this.slowCallDuration = b.slowCallDuration;
    this.slowCallRateThreshold = b.slowCallRateThreshold;
    this.waitInOpen = b.waitInOpen;
    this.waitMultiplier = b.waitMultiplier;
    this.maxWaitInOpenSet = b.maxWaitInOpen;
    this.halfOpenProbes = b.halfOpenProbes;
    this.halfOpenSuccessesSet = b.halfOpenSuccesses;
    this.probeLease = b.probeLease;
    this.classifier = b.classifier;
    this.backOffHint = b.backOffHint;
    this.backOffHintCap = b.backOffHintCap;
    this.hintAtLeastOwnWait = b.hintAtLeastOwnWait;
    this.openAtOnceOn = b.openAtOnceOn;
    this.ticker = b.ticker;
    this.scheduler = b.scheduler;
    this.stackTraces = b.stackTraces;
  }

  /**
   * The default settings.
   *
   * @return the shared default config
   */
  public static CircuitBreakerConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a config from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a builder holding this config's settings, as the builder that built it held them: a
   * derived setting ({@code maxWaitInOpen}, {@code halfOpenSuccesses}) that was never set stays
   * derived, so changing one option changes exactly what it would change on {@link #builder()}.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.tripRule = tripRule;
    b.windowCalls = windowCalls;
    b.windowDuration = windowDuration;
    b.consecutiveFailures = consecutiveFailures;
    b.bucketCapacity = bucketCapacity;
    b.leakInterval = leakInterval;
    b.failureRateThreshold = failureRateThreshold;
    b.minimumCalls = minimumCalls;
    b.slowCallDuration = slowCallDuration;
    b.slowCallRateThreshold = slowCallRateThreshold;
    b.waitInOpen = waitInOpen;
    b.waitMultiplier = waitMultiplier;
    b.maxWaitInOpen = maxWaitInOpenSet;
    b.halfOpenProbes = halfOpenProbes;
    b.halfOpenSuccesses = halfOpenSuccessesSet;
    b.probeLease = probeLease;
    b.classifier = classifier;
    b.backOffHint = backOffHint;
    b.backOffHintCap = backOffHintCap;
    b.hintAtLeastOwnWait = hintAtLeastOwnWait;
    b.openAtOnceOn = openAtOnceOn;
    b.ticker = ticker;
    b.scheduler = scheduler;
    b.stackTraces = stackTraces;
    return b;
  }

  /**
   * @return the trip rule
   */
  public TripRule tripRule() {
    return tripRule;
  }

  /**
   * @return the calls in the count window ({@link TripRule#FAILURE_RATE_OVER_CALLS})
   */
  public int windowCalls() {
    return windowCalls;
  }

  /**
   * @return the length of the time window ({@link TripRule#FAILURE_RATE_OVER_TIME})
   */
  public Duration windowDuration() {
    return windowDuration;
  }

  /**
   * @return failures in a row that trip ({@link TripRule#CONSECUTIVE_FAILURES})
   */
  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  /**
   * @return faults the leaky bucket holds before it overflows ({@link TripRule#LEAKY_BUCKET})
   */
  public int bucketCapacity() {
    return bucketCapacity;
  }

  /**
   * @return the time for one fault to leak out of the bucket ({@link TripRule#LEAKY_BUCKET})
   */
  public Duration leakInterval() {
    return leakInterval;
  }

  /**
   * @return the failure rate at or above which a rate rule trips
   */
  public double failureRateThreshold() {
    return failureRateThreshold;
  }

  /**
   * @return the calls a rate rule needs before it can trip
   */
  public int minimumCalls() {
    return minimumCalls;
  }

  /**
   * @return the duration above which a call is slow, or {@code null} when the slow rule is off
   */
  public @Nullable Duration slowCallDuration() {
    return slowCallDuration;
  }

  /**
   * @return the slow-call rate at or above which a rate rule trips
   */
  public double slowCallRateThreshold() {
    return slowCallRateThreshold;
  }

  /**
   * @return how long the breaker stays open after its first trip
   */
  public Duration waitInOpen() {
    return waitInOpen;
  }

  /**
   * @return the factor the wait grows by on each trip that follows a failed probe
   */
  public double waitMultiplier() {
    return waitMultiplier;
  }

  /**
   * @return the longest wait the growth may reach; {@link #waitInOpen()} unless set
   */
  public Duration maxWaitInOpen() {
    Duration set = maxWaitInOpenSet;
    return set == null ? waitInOpen : set;
  }

  /**
   * @return the probe calls admitted in one half-open period
   */
  public int halfOpenProbes() {
    return halfOpenProbes;
  }

  /**
   * @return the probe successes that close the breaker; {@link #halfOpenProbes()} unless set
   */
  public int halfOpenSuccesses() {
    return halfOpenSuccessesSet == 0 ? halfOpenProbes : halfOpenSuccessesSet;
  }

  /**
   * @return how long a half-open period may wait for its probes before it counts them as failed
   */
  public Duration probeLease() {
    return probeLease;
  }

  /**
   * @return which outcomes are failures
   */
  public OutcomeClassifier classifier() {
    return classifier;
  }

  /**
   * @return the function that reads a back-off hint from an outcome, or {@code null} when the
   *     breaker listens to none
   */
  public @Nullable BackOffHint backOffHint() {
    return backOffHint;
  }

  /**
   * @return the longest wait a back-off hint may set (longer ones are capped to it), or {@code
   *     null} without a hint function
   */
  public @Nullable Duration backOffHintCap() {
    return backOffHintCap;
  }

  /**
   * @return whether a back-off hint opens the breaker for the longer of the hint and its own wait,
   *     rather than for exactly the hint
   */
  public boolean hintAtLeastOwnWait() {
    return hintAtLeastOwnWait;
  }

  /**
   * @return the exceptions that open the breaker at once whatever the trip rule says, or {@code
   *     null} when none do
   */
  public @Nullable Predicate<? super Throwable> openAtOnceOn() {
    return openAtOnceOn;
  }

  /**
   * @return the time source, set by {@link Builder#ticker} or {@link Builder#scheduler}
   */
  public Ticker ticker() {
    return ticker;
  }

  /**
   * The scheduler a breaker's timers run on (the end of an open wait, a time window's buckets): the
   * one given to {@link Builder#scheduler}; else the shared one when the ticker is the system's;
   * else none, and the breaker reads the clock instead.
   */
  @Nullable Scheduler timer() {
    return Timers.of(ticker, scheduler);
  }

  /**
   * @return whether rejections fill in their stack trace
   */
  public boolean stackTraces() {
    return stackTraces;
  }

  /**
   * Builds a {@link CircuitBreakerConfig}. Not thread-safe; every setter validates its value.
   *
   * <p>A setter called again replaces its value. Two setters that choose the same thing in
   * different ways are refused on one builder, with an {@link IllegalStateException} naming the
   * first: the trip rule ({@link #countWindow}, {@link #timeWindow}, {@link #consecutiveFailures},
   * {@link #leakyBucket}) and the time source ({@link #ticker}, {@link #scheduler}). A builder from
   * {@link #toBuilder()} holds the config's choices without having set them, so it may change
   * either to the other kind.
   */
  public static final class Builder {
    private TripRule tripRule = TripRule.FAILURE_RATE_OVER_CALLS;
    private int windowCalls = 100;
    private Duration windowDuration = Duration.ofSeconds(60);
    private int consecutiveFailures = 5;
    private int bucketCapacity = 10;
    private Duration leakInterval = Duration.ofSeconds(1);
    private double failureRateThreshold = 0.5;
    private int minimumCalls = 20;
    private @Nullable Duration slowCallDuration;
    private double slowCallRateThreshold = 1.0;
    private Duration waitInOpen = Duration.ofSeconds(60);
    private double waitMultiplier = 1.0;
    private @Nullable Duration maxWaitInOpen;
    private int halfOpenProbes = 1;
    private int halfOpenSuccesses;
    private Duration probeLease = Duration.ofSeconds(60);
    private OutcomeClassifier classifier = OutcomeClassifier.defaults();
    private @Nullable BackOffHint backOffHint;
    private @Nullable Duration backOffHintCap;
    private boolean hintAtLeastOwnWait;
    private @Nullable Predicate<? super Throwable> openAtOnceOn;
    private Ticker ticker = Ticker.system();
    private @Nullable Scheduler scheduler;
    private boolean stackTraces;
    private final Choice tripRuleChoice = new Choice("trip rule was already set to");
    private final Choice timeSource = new Choice("time source was already set to");

    private Builder() {}

    private void chooseTripRule(TripRule rule, String call) {
      tripRuleChoice.make(rule, call);
      tripRule = rule;
    }

    /**
     * Trips on the failure rate over the last {@code calls} calls.
     *
     * @param calls the window's size, 1 to 1,000,000
     * @return this builder
     */
    public Builder countWindow(int calls) {
      positive("windowCalls", calls);
      if (calls > 1_000_000) {
        throw new IllegalArgumentException("windowCalls must be <= 1000000, was " + calls);
      }
      chooseTripRule(TripRule.FAILURE_RATE_OVER_CALLS, "countWindow(" + calls + ")");
      this.windowCalls = calls;
      return this;
    }

    /**
     * Trips on the failure rate over the last {@code window} of ticker time, kept in ten buckets.
     *
     * @param window the window's length, at least 10 ms and at most 365 days
     * @return this builder
     */
    public Builder timeWindow(Duration window) {
      positive("windowDuration", window);
      atMost("windowDuration", window, MAX_DURATION);
      if (window.toMillis() < 10) {
        throw new IllegalArgumentException("windowDuration must be >= 10 ms, was " + window);
      }
      chooseTripRule(TripRule.FAILURE_RATE_OVER_TIME, "timeWindow(" + window + ")");
      this.windowDuration = window;
      return this;
    }

    /**
     * Trips after {@code failures} failures in a row; a success ends the streak.
     *
     * @param failures the streak that trips, at least 1
     * @return this builder
     */
    public Builder consecutiveFailures(int failures) {
      positive("consecutiveFailures", failures);
      chooseTripRule(TripRule.CONSECUTIVE_FAILURES, "consecutiveFailures(" + failures + ")");
      this.consecutiveFailures = failures;
      return this;
    }

    /**
     * Trips on fault density: each failure adds one to a bucket that leaks one fault every {@code
     * leakInterval}; a failure that would take the level above {@code capacity} trips.
     *
     * @param capacity faults the bucket holds, at least 1
     * @param leakInterval the time for one fault to leak out, &gt; 0; {@code (capacity + 1) *
     *     leakInterval} at most 26,687 days (about 73 years), as {@link FaultCounter#of} requires
     * @return this builder
     */
    public Builder leakyBucket(int capacity, Duration leakInterval) {
      positive("bucketCapacity", capacity);
      positive("leakInterval", leakInterval);
      atMost("leakInterval", leakInterval, MAX_DURATION);
      FaultCounter unused = FaultCounter.of(capacity, leakInterval, () -> 0L); // checks the span
      chooseTripRule(TripRule.LEAKY_BUCKET, "leakyBucket(" + capacity + ", " + leakInterval + ")");
      this.bucketCapacity = capacity;
      this.leakInterval = leakInterval;
      return this;
    }

    /**
     * The failure rate at or above which a rate rule trips, computed exactly.
     *
     * @param rate in {@code (0, 1]}; default 0.5
     * @return this builder
     */
    public Builder failureRateThreshold(double rate) {
      this.failureRateThreshold = fraction("failureRateThreshold", rate);
      return this;
    }

    /**
     * The calls a rate rule needs in its window before it can trip.
     *
     * @param calls at least 1; default 20 (capped by a count window's size)
     * @return this builder
     */
    public Builder minimumCalls(int calls) {
      this.minimumCalls = positive("minimumCalls", calls);
      return this;
    }

    /**
     * Turns on the slow-call rule: a call longer than {@code duration} is slow. Rate rules trip on
     * the slow rate; the consecutive and leaky-bucket rules count a slow call as a fault.
     *
     * @param duration &gt; 0
     * @return this builder
     */
    public Builder slowCallDuration(Duration duration) {
      positive("slowCallDuration", duration);
      this.slowCallDuration = atMost("slowCallDuration", duration, MAX_DURATION);
      return this;
    }

    /**
     * The slow-call rate at or above which a rate rule trips.
     *
     * @param rate in {@code (0, 1]}; default 1.0
     * @return this builder
     */
    public Builder slowCallRateThreshold(double rate) {
      this.slowCallRateThreshold = fraction("slowCallRateThreshold", rate);
      return this;
    }

    /**
     * How long the breaker stays open before it lets a probe through.
     *
     * @param wait &gt; 0; default 60 s
     * @return this builder
     */
    public Builder waitInOpen(Duration wait) {
      positive("waitInOpen", wait);
      this.waitInOpen = atMost("waitInOpen", wait, MAX_DURATION);
      return this;
    }

    /**
     * Grows the wait on repeated trips: the n-th trip in a row without closing waits {@code
     * waitInOpen * multiplier^(n-1)}, capped at {@code max}.
     *
     * @param multiplier at least 1; default 1 (no growth)
     * @param max the cap, at least {@code waitInOpen}
     * @return this builder
     */
    public Builder waitGrowth(double multiplier, Duration max) {
      this.waitMultiplier = atLeast("waitMultiplier", multiplier, 1.0);
      positive("maxWaitInOpen", max);
      this.maxWaitInOpen = atMost("maxWaitInOpen", max, MAX_DURATION);
      return this;
    }

    /**
     * The probe calls admitted in one half-open period; no more run, whatever their outcome.
     *
     * @param probes 1 to 1,000; default 1
     * @return this builder
     */
    public Builder halfOpenProbes(int probes) {
      positive("halfOpenProbes", probes);
      if (probes > MAX_PROBES) {
        throw new IllegalArgumentException(
            "halfOpenProbes must be <= " + MAX_PROBES + ", was " + probes);
      }
      this.halfOpenProbes = probes;
      return this;
    }

    /**
     * The probe successes that close the breaker.
     *
     * @param successes at least 1 and at most {@code halfOpenProbes}; default {@code
     *     halfOpenProbes}
     * @return this builder
     */
    public Builder halfOpenSuccesses(int successes) {
      this.halfOpenSuccesses = positive("halfOpenSuccesses", successes);
      return this;
    }

    /**
     * The lease on half-open probes: when the probes have not decided within this time after the
     * breaker went half-open, the next request reopens it, so a lost or hung probe can never keep
     * the breaker half-open.
     *
     * @param lease &gt; 0; default 60 s
     * @return this builder
     */
    public Builder probeLease(Duration lease) {
      positive("probeLease", lease);
      this.probeLease = atMost("probeLease", lease, MAX_DURATION);
      return this;
    }

    /**
     * Which outcomes count as failures.
     *
     * @param classifier the classification; default every exception a failure
     * @return this builder
     */
    public Builder classifier(OutcomeClassifier classifier) {
      this.classifier = notNull("classifier", classifier);
      return this;
    }

    /**
     * Listens to the other side (<em>Release It!</em>, Handshaking): {@code hint} reads a back-off
     * from each outcome (a 503 or 429 with its {@code Retry-After}: {@link
     * dev.ballast.Handshake#hint}; see {@link BackOffHint}), and an outcome that carries one opens
     * a closed breaker at once, whatever the trip rule says, or reopens a half-open one when it is
     * a probe's, whatever the classifier calls it. The breaker then stays open for exactly the hint
     * (at most {@code cap}), or for the longer of the hint and its own wait with {@link
     * #hintAtLeastOwnWait}; its rejections' {@code retryAfter()} is the time left, and stats and
     * the transition log line show the hint. A hint from a call that ends while the breaker is open
     * or disabled, or that began before the current half-open period, changes nothing. The function
     * is asked on every completion, results included: it must be quick and return {@code null},
     * allocating nothing, for an outcome without a hint. One that throws, or returns a negative
     * duration, is logged and the outcome carries no hint. Called again, replaces the function and
     * the cap.
     *
     * @param hint the function; see {@link BackOffHint}
     * @param cap the longest wait a hint may set, &gt; 0 and at most 365 days
     * @return this builder
     */
    public Builder backOffHint(BackOffHint hint, Duration cap) {
      notNull("backOffHint", hint);
      positive("backOffHintCap", cap);
      this.backOffHintCap = atMost("backOffHintCap", cap, MAX_DURATION);
      this.backOffHint = hint;
      return this;
    }

    /**
     * Whether a back-off hint opens the breaker for the longer of the hint and its own wait ({@code
     * waitInOpen}, grown on repeated trips), so that a server asking for 1 s cannot make a breaker
     * that waits 30 s probe sooner; otherwise it opens for exactly the hint. Needs {@link
     * #backOffHint} (checked by {@link #build()}).
     *
     * @param enabled default {@code false}: exactly the hint
     * @return this builder
     */
    public Builder hintAtLeastOwnWait(boolean enabled) {
      this.hintAtLeastOwnWait = enabled;
      return this;
    }

    /**
     * Opens the breaker at once, for its own wait, on an exception matching {@code predicate},
     * whatever the trip rule and the classifier say: an "account banned" or "API key revoked"
     * answer that no number of calls will cure. Acts where a hint does (a closed breaker, a
     * half-open one's probe); an outcome that carries a back-off hint opens for the hint instead. A
     * predicate that throws is logged and the breaker does not open at once. Called again, replaces
     * the predicate.
     *
     * @param predicate true to open at once
     * @return this builder
     */
    public Builder openAtOnceOn(Predicate<? super Throwable> predicate) {
      this.openAtOnceOn = notNull("openAtOnceOn", predicate);
      return this;
    }

    /**
     * The time source, without a scheduler (see {@link #scheduler(Scheduler)} for what the breaker
     * schedules). Refused after {@link #scheduler(Scheduler) scheduler(..)} on the same builder.
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
     * Takes the time source from a scheduler, so that a pipeline in virtual time passes one
     * scheduler to every policy: its {@linkplain Scheduler#ticker() ticker} becomes the breaker's,
     * and the breaker's timers run on it. They only spare the hot paths a clock read: one tells an
     * open breaker that its wait is over (OPEN still moves to HALF_OPEN on the first request after
     * it), one rolls a time window's buckets. Without a scheduler the breaker uses the shared one
     * when its ticker is {@link Ticker#system()}, and reads the ticker instead of any timer
     * otherwise. Refused after {@link #ticker(Ticker) ticker(..)} on the same builder.
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
     * Whether rejections fill in their stack trace (costly while open under load).
     *
     * @param enabled default {@code false}
     * @return this builder
     */
    public Builder stackTraces(boolean enabled) {
      this.stackTraces = enabled;
      return this;
    }

    /**
     * Builds the config, checking the settings against each other.
     *
     * @return an immutable config
     */
    public CircuitBreakerConfig build() {
      if (halfOpenSuccesses > halfOpenProbes) {
        throw new IllegalArgumentException(
            "halfOpenSuccesses must be <= halfOpenProbes ("
                + halfOpenProbes
                + "), was "
                + halfOpenSuccesses);
      }
      if (hintAtLeastOwnWait && backOffHint == null) {
        throw new IllegalStateException(
            "hintAtLeastOwnWait(true) needs backOffHint(..), which was not set");
      }
      Duration max = maxWaitInOpen;
      if (max != null && max.compareTo(waitInOpen) < 0) {
        throw new IllegalArgumentException(
            "maxWaitInOpen must be >= waitInOpen (" + waitInOpen + "), was " + max);
      }
      return new CircuitBreakerConfig(this);
    }
  }
}
