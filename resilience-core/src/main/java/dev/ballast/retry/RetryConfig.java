package dev.ballast.retry;

import static dev.ballast.internal.Preconditions.atLeast;
import static dev.ballast.internal.Preconditions.atMost;
import static dev.ballast.internal.Preconditions.notNull;
import static dev.ballast.internal.Preconditions.positive;

import dev.ballast.BackOffHint;
import dev.ballast.OutcomeClassifier;
import dev.ballast.RejectedException;
import dev.ballast.Scheduler;
import dev.ballast.internal.Predicates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link Retry}: how many attempts and how long in all, how long to wait between
 * them, which outcomes to retry and which end the retry at once, how to treat rejections, and an
 * optional retry budget. One config may serve many retries.
 *
 * <p>Defaults: 3 attempts (the first call and two retries); no time bound; exponential backoff from
 * 100 ms, doubling, capped at 10 s, with half jitter (each wait uniformly random between half and
 * all of the computed delay); no delay function; every {@link Exception} retried except {@link
 * RejectedException} and {@link InterruptedException}, and no {@link Error}; no abort rule; results
 * never retried; no classifier; rejections not retried; no back-off hint; no budget; first-attempt
 * successes not counted; {@link java.util.concurrent.ThreadLocalRandom} for jitter; {@link
 * Scheduler#shared()}; async retries started on {@link ForkJoinPool#commonPool()}.
 *
 * <p><b>Errors.</b> An {@link Error} is retried only when {@link Builder#retryOn} names its type
 * ({@code Error} or a subclass of it): predicates given to {@link Builder#retryWhen} are never
 * asked about an {@code Error}, and {@code retryOn(Throwable.class)} does not cover one. An
 * out-of-memory or a stack overflow is rarely cured by calling again.
 *
 * <p><b>Classifier.</b> {@link Builder#classifier} takes the retry rule from an {@link
 * OutcomeClassifier} a pipeline's breaker and fallback may share: what it calls a {@code FAILURE}
 * is retried. It replaces {@code retryOn}/{@code retryWhen} (setting both is refused with an {@link
 * IllegalStateException}), and {@code retryOnResult} when it inspects results; the abort rules, the
 * rejection options and the rule for {@link Error}s (never retried through a classifier) stay.
 *
 * <p><b>Callbacks that throw.</b> The predicates, the delay function and the listeners are user
 * code. One that throws is logged at WARN, naming the retry and rate-limited (the first, then at
 * most one line a minute with a count of those suppressed), and the call carries on with the safe
 * default: a retry or abort predicate that throws means "do not retry", a result predicate that
 * throws means "return the result", a delay function that throws means "wait the backoff's delay".
 * A {@link VirtualMachineError} (out of memory, stack overflow) is not caught: once the call is
 * counted, it is thrown to the caller of a synchronous call, and completes the stage of an
 * asynchronous one exceptionally.
 *
 * <p>Immutable and thread-safe. {@link #equals} compares every setting, predicates and functions by
 * identity, so {@code config.toBuilder().build()} equals {@code config}.
 */
public final class RetryConfig {
  static final Duration MAX_DURATION = Duration.ofDays(365);
  private static final RetryConfig DEFAULTS = builder().build();

  private final int maxAttempts;
  private final @Nullable Duration maxDuration;
  private final Backoff backoff;
  private final @Nullable DelayFunction delayFunction;
  private final @Nullable Duration delayFunctionCap;
  private final List<Class<? extends Throwable>> retryTypes;
  private final List<Predicate<? super Throwable>> retryPredicates;
  private final List<Class<? extends Throwable>> abortTypes;
  private final List<Predicate<? super Throwable>> abortPredicates;
  private final List<Predicate<@Nullable Object>> resultPredicates;
  private final @Nullable OutcomeClassifier classifier;
  private final boolean retryOnOverload;
  private final @Nullable Duration maxRetryAfter;
  private final @Nullable BackOffHint backOffHint;
  private final double budgetRatio;
  private final int budgetMinRetriesPerSecond;
  private final @Nullable Duration budgetWindow;
  private final boolean countCalls;
  private final @Nullable RandomGenerator random;
  private final Scheduler scheduler;
  private final Executor executor;

  // Derived from the settings above, never set directly.
  private final Predicate<Throwable> retryOn;
  private final Predicate<Throwable> abortOn;
  private final @Nullable Predicate<@Nullable Object> retryOnResult;

  private RetryConfig(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.maxDuration = b.maxDuration;
    this.backoff = b.backoff;
    this.delayFunction = b.delayFunction;
    this.delayFunctionCap = b.delayFunctionCap;
    this.retryTypes = List.copyOf(b.retryTypes);
    this.retryPredicates = List.copyOf(b.retryPredicates);
    this.abortTypes = List.copyOf(b.abortTypes);
    this.abortPredicates = List.copyOf(b.abortPredicates);
    this.resultPredicates = List.copyOf(b.resultPredicates);
    this.classifier = b.classifier;
    this.retryOnOverload = b.retryOnOverload;
    this.maxRetryAfter = b.maxRetryAfter;
    this.backOffHint = b.backOffHint;
    this.budgetRatio = b.budgetRatio;
    this.budgetMinRetriesPerSecond = b.budgetMinRetriesPerSecond;
    this.budgetWindow = b.budgetWindow;
    this.countCalls = b.countCalls;
    this.random = b.random;
    this.scheduler = b.scheduler;
    this.executor = b.executor;
    OutcomeClassifier c = classifier;
    this.retryOn = c == null ? Rules.retryOn(retryTypes, retryPredicates) : Rules.retryOn(c);
    this.abortOn = Rules.abortOn(abortTypes, abortPredicates);
    this.retryOnResult =
        c != null && c.inspectsResults() ? Rules.onResult(c) : Rules.onResult(resultPredicates);
  }

  /**
   * The default settings.
   *
   * @return the shared default config
   */
  public static RetryConfig defaults() {
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
   * Starts a builder holding this config's settings, as set: a setting derived from others (such as
   * {@link #countCalls()} from a budget, or the default retry rule) stays derived, so changing one
   * option on the copy changes only what it would change on {@link #builder()}. The retry and abort
   * rules copied are added to, as on a builder, by later {@code retryOn}, {@code retryWhen}, {@code
   * abortOn}, {@code abortWhen} and {@code retryOnResult} calls.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.maxDuration = maxDuration;
    b.backoff = backoff;
    b.delayFunction = delayFunction;
    b.delayFunctionCap = delayFunctionCap;
    b.retryTypes.addAll(retryTypes);
    b.retryPredicates.addAll(retryPredicates);
    b.abortTypes.addAll(abortTypes);
    b.abortPredicates.addAll(abortPredicates);
    b.resultPredicates.addAll(resultPredicates);
    b.classifier = classifier;
    b.retryOnOverload = retryOnOverload;
    b.maxRetryAfter = maxRetryAfter;
    b.backOffHint = backOffHint;
    b.budgetRatio = budgetRatio;
    b.budgetMinRetriesPerSecond = budgetMinRetriesPerSecond;
    b.budgetWindow = budgetWindow;
    b.countCalls = countCalls;
    b.random = random;
    b.scheduler = scheduler;
    b.executor = executor;
    return b;
  }

  /**
   * @return the most attempts per call, the first one included
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * @return the time bound on a call and its retries, or {@code null} when there is none
   */
  public @Nullable Duration maxDuration() {
    return maxDuration;
  }

  /**
   * @return the waits between attempts
   */
  public Backoff backoff() {
    return backoff;
  }

  /**
   * @return the function that chooses a retry's wait from the outcome, or {@code null} when the
   *     backoff alone does
   */
  public @Nullable DelayFunction delayFunction() {
    return delayFunction;
  }

  /**
   * @return the longest wait the delay function may ask for (longer ones are clamped to it), or
   *     {@code null} without a delay function
   */
  public @Nullable Duration delayFunctionCap() {
    return delayFunctionCap;
  }

  /**
   * Which exceptions are retried: the default rule, or the types and predicates given to {@code
   * retryOn} and {@code retryWhen}, with the rule for {@link Error}s applied. Never consulted for
   * rejections or interrupts, nor for an exception the {@linkplain #abortOn() abort rules} match.
   *
   * @return the retry rule
   */
  public Predicate<? super Throwable> retryOn() {
    return retryOn;
  }

  /**
   * Which exceptions end the retry at once, whatever the retry rule says: the types and predicates
   * given to {@code abortOn} and {@code abortWhen}; matches nothing by default.
   *
   * @return the abort rule
   */
  public Predicate<? super Throwable> abortOn() {
    return abortOn;
  }

  /** Whether any abort rule is set. */
  boolean aborts() {
    return abortOn != Rules.NEVER;
  }

  /**
   * @return which results are retried, or {@code null} when results never are
   */
  public @Nullable Predicate<@Nullable Object> retryOnResult() {
    return retryOnResult;
  }

  /**
   * @return the classifier whose {@code FAILURE}s are retried, or {@code null} when the retry rules
   *     are {@code retryOn}, {@code retryWhen} and {@code retryOnResult}
   */
  public @Nullable OutcomeClassifier classifier() {
    return classifier;
  }

  /**
   * @return whether {@code OVERLOAD} rejections are retried
   */
  public boolean retryOnOverload() {
    return retryOnOverload;
  }

  /**
   * @return the longest {@code retryAfter()} a rejection may ask to wait for and still be retried,
   *     or {@code null} when the retry does not wait for it
   */
  public @Nullable Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /**
   * @return the function that reads a back-off hint from an outcome about to be retried, or {@code
   *     null} when the retry listens to none
   */
  public @Nullable BackOffHint backOffHint() {
    return backOffHint;
  }

  /**
   * @return the retry budget's window, or {@code null} when there is no budget
   */
  public @Nullable Duration budgetWindow() {
    return budgetWindow;
  }

  /**
   * @return the retries the budget allows per call in its window (0 without a budget)
   */
  public double budgetRatio() {
    return budgetRatio;
  }

  /**
   * @return the retries per second the budget allows whatever the traffic (0 without a budget)
   */
  public int budgetMinRetriesPerSecond() {
    return budgetMinRetriesPerSecond;
  }

  /**
   * @return whether calls whose first attempt succeeds are counted (always with a budget)
   */
  public boolean countCalls() {
    return countCalls || budgetWindow != null;
  }

  /**
   * @return the source of jitter, or {@code null} for {@link
   *     java.util.concurrent.ThreadLocalRandom}
   */
  public @Nullable RandomGenerator random() {
    return random;
  }

  /**
   * @return the scheduler that measures time and runs waits
   */
  public Scheduler scheduler() {
    return scheduler;
  }

  /**
   * @return where asynchronous retries start their attempts after the first
   */
  public Executor executor() {
    return executor;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RetryConfig c)) {
      return false;
    }
    return maxAttempts == c.maxAttempts
        && Objects.equals(maxDuration, c.maxDuration)
        && backoff.equals(c.backoff)
        && delayFunction == c.delayFunction
        && Objects.equals(delayFunctionCap, c.delayFunctionCap)
        && retryTypes.equals(c.retryTypes)
        && retryPredicates.equals(c.retryPredicates)
        && abortTypes.equals(c.abortTypes)
        && abortPredicates.equals(c.abortPredicates)
        && resultPredicates.equals(c.resultPredicates)
        && classifier == c.classifier
        && retryOnOverload == c.retryOnOverload
        && Objects.equals(maxRetryAfter, c.maxRetryAfter)
        && backOffHint == c.backOffHint
        && Double.compare(budgetRatio, c.budgetRatio) == 0
        && budgetMinRetriesPerSecond == c.budgetMinRetriesPerSecond
        && Objects.equals(budgetWindow, c.budgetWindow)
        && countCalls == c.countCalls
        && random == c.random
        && scheduler == c.scheduler
        && executor == c.executor;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        maxAttempts,
        maxDuration,
        backoff,
        System.identityHashCode(delayFunction),
        delayFunctionCap,
        retryTypes,
        retryPredicates,
        abortTypes,
        abortPredicates,
        resultPredicates,
        System.identityHashCode(classifier),
        retryOnOverload,
        maxRetryAfter,
        System.identityHashCode(backOffHint),
        budgetRatio,
        budgetMinRetriesPerSecond,
        budgetWindow,
        countCalls,
        System.identityHashCode(random),
        System.identityHashCode(scheduler),
        System.identityHashCode(executor));
  }

  /**
   * Builds a {@link RetryConfig}. Not thread-safe; every setter validates its value, and {@link
   * #build()} refuses settings that together could never retry.
   */
  public static final class Builder {
    private int maxAttempts = 3;
    private @Nullable Duration maxDuration;
    private Backoff backoff =
        Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(10)).withJitter(0.5);
    private @Nullable DelayFunction delayFunction;
    private @Nullable Duration delayFunctionCap;
    private final List<Class<? extends Throwable>> retryTypes = new ArrayList<>();
    private final List<Predicate<? super Throwable>> retryPredicates = new ArrayList<>();
    private final List<Class<? extends Throwable>> abortTypes = new ArrayList<>();
    private final List<Predicate<? super Throwable>> abortPredicates = new ArrayList<>();
    private final List<Predicate<@Nullable Object>> resultPredicates = new ArrayList<>();
    private @Nullable OutcomeClassifier classifier;
    private boolean retryOnOverload;
    private @Nullable Duration maxRetryAfter;
    private @Nullable BackOffHint backOffHint;
    private double budgetRatio;
    private int budgetMinRetriesPerSecond;
    private @Nullable Duration budgetWindow;
    private boolean countCalls;
    private @Nullable RandomGenerator random;
    private Scheduler scheduler = Scheduler.shared();
    private Executor executor = ForkJoinPool.commonPool();

    private Builder() {}

    /**
     * The most attempts per call, the first one included: 1 never retries.
     *
     * @param attempts at least 1; default 3
     * @return this builder
     */
    public Builder maxAttempts(int attempts) {
      this.maxAttempts = positive("maxAttempts", attempts);
      return this;
    }

    /**
     * Bounds a call and its retries in time, measured on the scheduler's ticker from the start of
     * the first attempt: no retry starts whose wait would end past the bound. It does not cut an
     * attempt short; put a timeout outside the retry for that. Costs one ticker read per call.
     * {@link #build()} refuses a bound shorter than the backoff's shortest first delay (no retry
     * could ever start), unless a {@linkplain #delayFunction delay function} may ask for less.
     *
     * @param bound &gt; 0 and at most 365 days; default none
     * @return this builder
     */
    public Builder maxDuration(Duration bound) {
      positive("maxDuration", bound);
      this.maxDuration = atMost("maxDuration", bound, MAX_DURATION);
      return this;
    }

    /**
     * The waits between attempts, unless the {@linkplain #delayFunction delay function} chooses
     * one. {@link Backoff#delays} shows the schedule it makes.
     *
     * @param backoff default {@code exponential(100 ms, 2.0, 10 s).withJitter(0.5)}
     * @return this builder
     */
    public Builder backoff(Backoff backoff) {
      this.backoff = notNull("backoff", backoff);
      return this;
    }

    /**
     * Lets the outcome choose the wait before each retry: {@code function} is asked for every
     * outcome about to be retried, and returns the wait, {@code null} for the backoff's delay, or a
     * negative duration ({@link DelayFunction#STOP}) to stop retrying. A wait longer than {@code
     * cap} is clamped to {@code cap}. A function that throws is logged and the backoff's delay is
     * used. See {@link DelayFunction}.
     *
     * @param function the delay function
     * @param cap the longest wait it may ask for, &gt; 0 and at most 365 days
     * @return this builder
     */
    public Builder delayFunction(DelayFunction function, Duration cap) {
      notNull("delayFunction", function);
      positive("delayFunctionCap", cap);
      this.delayFunctionCap = atMost("delayFunctionCap", cap, MAX_DURATION);
      this.delayFunction = function;
      return this;
    }

    /**
     * Retries only exceptions of these types (or subtypes). The first of {@code retryOn} and {@link
     * #retryWhen} replaces the default rule; later calls add to it. An {@link Error} is retried
     * only when one of these types is {@code Error} or a subclass of it. A {@link
     * RejectedException} is never tested against this rule ({@link #retryOnOverload} and {@link
     * #waitForRetryAfter} retry rejections), and an {@link InterruptedException} is never retried:
     * naming either is refused.
     *
     * @param types exception types to retry
     * @return this builder
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never exposed
    public final Builder retryOn(Class<? extends Throwable>... types) {
      refuseClassifier("retryOn");
      List<Class<? extends Throwable>> list = Predicates.types("types", types);
      for (Class<? extends Throwable> type : list) {
        if (RejectedException.class.isAssignableFrom(type)) {
          throw new IllegalArgumentException(
              "retryOn can never retry "
                  + type.getName()
                  + ": rejections are retried by retryOnOverload or waitForRetryAfter");
        }
        if (InterruptedException.class.isAssignableFrom(type)) {
          throw new IllegalArgumentException(
              "retryOn can never retry " + type.getName() + ": an interrupt is never retried");
        }
      }
      retryTypes.addAll(list);
      return this;
    }

    /**
     * Retries only exceptions matching {@code predicate}. The first of {@link #retryOn} and {@code
     * retryWhen} replaces the default rule; later calls add to it (either matches). Never asked
     * about an {@link Error} (name its type with {@link #retryOn} to retry one), a {@link
     * RejectedException} (see {@link #retryOnOverload} and {@link #waitForRetryAfter}) or an {@link
     * InterruptedException}, which is never retried. A predicate that throws is logged and the
     * exception is not retried.
     *
     * @param predicate true to retry
     * @return this builder
     */
    public Builder retryWhen(Predicate<? super Throwable> predicate) {
      refuseClassifier("retryWhen");
      retryPredicates.add(notNull("predicate", predicate));
      return this;
    }

    /**
     * Ends the retry at once on exceptions of these types (or subtypes), even where a retry rule
     * matches: "retry {@code IOException} except {@code FileNotFoundException}" is {@code
     * retryOn(IOException.class).abortOn(FileNotFoundException.class)}. Adds to earlier calls.
     * Consulted first, for every exception, rejections included. {@link #build()} refuses a {@code
     * retryOn} type that an abort type covers, which could never be retried.
     *
     * @param types exception types that end the retry
     * @return this builder
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never exposed
    public final Builder abortOn(Class<? extends Throwable>... types) {
      abortTypes.addAll(Predicates.types("types", types));
      return this;
    }

    /**
     * Ends the retry at once on exceptions matching {@code predicate}, even where a retry rule
     * matches. Adds to earlier calls (either matches). Asked first, for every exception, rejections
     * and errors included. A predicate that throws is logged and the exception is not retried.
     *
     * @param predicate true to end the retry
     * @return this builder
     */
    public Builder abortWhen(Predicate<? super Throwable> predicate) {
      abortPredicates.add(notNull("predicate", predicate));
      return this;
    }

    /**
     * Retries a call whose result matches {@code predicate} (an empty answer, a "try later"
     * status); adds to earlier calls. When retries run out, the last result is returned. A
     * predicate that throws is logged and the result is returned.
     *
     * @param predicate true to retry
     * @return this builder
     */
    public Builder retryOnResult(Predicate<@Nullable Object> predicate) {
      OutcomeClassifier c = classifier;
      if (c != null && c.inspectsResults()) {
        throw new IllegalStateException(
            "retryOnResult conflicts with classifier, already set: both choose the results to"
                + " retry");
      }
      resultPredicates.add(notNull("predicate", predicate));
      return this;
    }

    /**
     * Retries what {@code classifier} calls a {@code FAILURE}, the classification a pipeline's
     * breaker and fallback may share: an exception it classifies as a failure is retried, one it
     * classifies as a success or ignores is not; when it inspects results, a result it calls a
     * failure is retried. It is not asked about an {@link Error} (never retried through a
     * classifier), a {@link RejectedException} (see {@link #retryOnOverload}) or an {@link
     * InterruptedException} (never retried). Abort rules still apply first. A classifier predicate
     * that throws is logged and the outcome is not retried, as for any retry predicate. Replaces an
     * earlier classifier.
     *
     * @param classifier the classification
     * @return this builder
     * @throws IllegalStateException when {@code retryOn} or {@code retryWhen} was called, or {@code
     *     retryOnResult} was and {@code classifier} inspects results: both would choose what is
     *     retried
     */
    public Builder classifier(OutcomeClassifier classifier) {
      notNull("classifier", classifier);
      if (!retryTypes.isEmpty() || !retryPredicates.isEmpty()) {
        throw new IllegalStateException(
            "classifier conflicts with "
                + (retryTypes.isEmpty() ? "retryWhen" : "retryOn")
                + ", already set: both choose the exceptions to retry");
      }
      if (!resultPredicates.isEmpty() && classifier.inspectsResults()) {
        throw new IllegalStateException(
            "classifier conflicts with retryOnResult, already set: both choose the results to"
                + " retry");
      }
      this.classifier = classifier;
      return this;
    }

    private void refuseClassifier(String setter) {
      if (classifier != null) {
        throw new IllegalStateException(
            setter
                + " conflicts with classifier, already set: both choose the exceptions to retry");
      }
    }

    /**
     * Whether a {@link RejectedException} with reason {@code OVERLOAD} (a bulkhead full, a call
     * shed or rate limited further in) is retried after the backoff. A {@code DEPENDENCY_FAILURE}
     * rejection (a breaker open) is retried only by {@link #waitForRetryAfter}.
     *
     * @param enabled default {@code false}: the rejection ends the retry and goes to the caller
     * @return this builder
     */
    public Builder retryOnOverload(boolean enabled) {
      this.retryOnOverload = enabled;
      return this;
    }

    /**
     * Retries a {@link RejectedException} that carries a {@code retryAfter()} of at most {@code
     * longest}, whatever its reason, after {@code max(retryAfter, delay)} (the book's Handshaking:
     * the other side says when to come back), within the attempt and time bounds. A rejection
     * asking for a longer wait ends the retry at once. Also the bound on a {@linkplain #backOffHint
     * back-off hint}.
     *
     * @param longest the longest wait to accept, &gt; 0 and at most 365 days; default off
     * @return this builder
     */
    public Builder waitForRetryAfter(Duration longest) {
      positive("maxRetryAfter", longest);
      this.maxRetryAfter = atMost("maxRetryAfter", longest, MAX_DURATION);
      return this;
    }

    /**
     * Listens to the other side (<em>Release It!</em>, Handshaking): before each retry, {@code
     * hint} reads a back-off from the outcome about to be retried (a 503 or 429 with its {@code
     * Retry-After}: {@link dev.ballast.Handshake#hint}; see {@link BackOffHint}), and the retry
     * waits at least that long: {@code max(delay, retryAfter, hint)}, within the attempt and time
     * bounds. The hint never decides whether an outcome is retried (the retry rules do), and it is
     * bounded like a rejection's {@code retryAfter()}: a hint over {@link #waitForRetryAfter}'s
     * {@code longest} ends the retry at once (the caller gets the outcome; the retry gives up,
     * reason {@code backOffHint}). The wait shows in {@link RetryListener#onRetry}. A function that
     * throws, or returns a negative duration, is logged and the outcome carries no hint. Called
     * again, replaces the function.
     *
     * @param hint the function; see {@link BackOffHint}
     * @return this builder
     * @see #build() which refuses a hint without {@code waitForRetryAfter}, its bound
     */
    public Builder backOffHint(BackOffHint hint) {
      this.backOffHint = notNull("backOffHint", hint);
      return this;
    }

    /**
     * Limits retries so that an outage cannot multiply the load on a dependency: over any {@code
     * window}, retries are allowed up to {@code max(ceil(minRetriesPerSecond * windowSeconds),
     * ratio * calls)}. The minimum is rounded up to a whole retry, so that a window shorter than a
     * second still allows one retry per window. A retry the budget refuses is not made: the failure
     * goes to the caller at once. Turns on {@link #countCalls}.
     *
     * @param ratio retries allowed per call, a finite number {@code >= 0} (0.1 is usual)
     * @param minRetriesPerSecond retries allowed per second whatever the traffic, {@code >= 0}
     * @param window the window, 10 ms to 365 days, kept in ten buckets on the scheduler's ticker
     * @return this builder
     */
    public Builder budget(double ratio, int minRetriesPerSecond, Duration window) {
      atLeast("budgetRatio", ratio, 0.0);
      if (minRetriesPerSecond < 0) {
        throw new IllegalArgumentException(
            "minRetriesPerSecond must be >= 0, was " + minRetriesPerSecond);
      }
      if (ratio == 0.0 && minRetriesPerSecond == 0) {
        throw new IllegalArgumentException(
            "budget allows no retry: ratio and minRetriesPerSecond are both 0 (use maxAttempts(1))");
      }
      notNull("budgetWindow", window);
      // Compared as Durations: converting a huge one to a number would overflow.
      if (window.compareTo(Duration.ofMillis(10)) < 0) {
        throw new IllegalArgumentException("budgetWindow must be >= 10 ms, was " + window);
      }
      this.budgetWindow = atMost("budgetWindow", window, MAX_DURATION);
      this.budgetRatio = ratio;
      this.budgetMinRetriesPerSecond = minRetriesPerSecond;
      return this;
    }

    /**
     * Counts every call, so that {@link RetryStats#calls()} and {@link
     * RetryStats#successesWithoutRetry()} include calls whose first attempt succeeded. Costs one
     * striped-counter increment (a few nanoseconds) on that path, which is otherwise free of any
     * shared write. A budget always counts.
     *
     * @param enabled default {@code false}
     * @return this builder
     */
    public Builder countCalls(boolean enabled) {
      this.countCalls = enabled;
      return this;
    }

    /**
     * The source of jitter; seed one to make delays reproducible in tests.
     *
     * @param random a thread-safe generator, such as {@code new java.util.Random(42)}; default
     *     {@link java.util.concurrent.ThreadLocalRandom}
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = notNull("random", random);
      return this;
    }

    /**
     * The scheduler: its ticker measures time, the budget's window and the interval of throttled
     * log lines; synchronous waits sleep on it and asynchronous ones are timed by it.
     *
     * @param scheduler default {@link Scheduler#shared()}
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = notNull("scheduler", scheduler);
      return this;
    }

    /**
     * Where {@link Retry#callAsync} starts the attempts after the first, once their wait is over
     * (the first starts on the caller's thread). The scheduler's own thread is kept for timing.
     *
     * @param executor default {@link ForkJoinPool#commonPool()}; {@code Runnable::run} starts them
     *     on the thread that ended the wait (the scheduler's, or the one that completed the last
     *     attempt when the wait is zero)
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = notNull("executor", executor);
      return this;
    }

    /**
     * Builds the config.
     *
     * @return an immutable config
     * @throws IllegalArgumentException when settings together could never retry: a {@code retryOn}
     *     type that an {@code abortOn} type covers; a {@code maxDuration} shorter than the
     *     backoff's shortest first delay, without a delay function
     * @throws IllegalStateException when {@code backOffHint} is set without {@code
     *     waitForRetryAfter}, the bound on the waits it may ask for
     */
    public RetryConfig build() {
      if (backOffHint != null && maxRetryAfter == null) {
        throw new IllegalStateException(
            "backOffHint(..) needs waitForRetryAfter(longest), the bound on the wait a hint may ask"
                + " for, which was not set");
      }
      Rules.checkCanRetry(retryTypes, abortTypes, maxDuration, backoff, delayFunction != null);
      return new RetryConfig(this);
    }
  }
}
