package dev.ballast.retry;

import static dev.ballast.internal.Preconditions.atLeast;
import static dev.ballast.internal.Preconditions.atMost;
import static dev.ballast.internal.Preconditions.notNull;
import static dev.ballast.internal.Preconditions.positive;

import dev.ballast.RejectedException;
import dev.ballast.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link Retry}: how many attempts and how long in all, how long to wait between
 * them, which outcomes to retry, how to treat rejections, and an optional retry budget. One config
 * may serve many retries.
 *
 * <p>Defaults: 3 attempts (the first call and two retries); no time bound; exponential backoff from
 * 100 ms, doubling, capped at 10 s, with half jitter (each wait uniformly random between half and
 * all of the computed delay); every {@link Exception} retried except {@link RejectedException} and
 * {@link InterruptedException}, and no {@link Error}; results never retried; rejections not
 * retried; no budget; first-attempt successes not counted; {@link
 * java.util.concurrent.ThreadLocalRandom} for jitter; {@link Scheduler#shared()}; async retries
 * started on {@link ForkJoinPool#commonPool()}.
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryConfig {
  static final Duration MAX_DURATION = Duration.ofDays(365);
  private static final Predicate<Throwable> DEFAULT_RETRY_ON = RetryConfig::retriedByDefault;
  private static final RetryConfig DEFAULTS = builder().build();

  private final int maxAttempts;
  private final @Nullable Duration maxDuration;
  private final Backoff backoff;
  private final Predicate<? super Throwable> retryOn;
  private final @Nullable Predicate<@Nullable Object> retryOnResult;
  private final boolean retryOnOverload;
  private final @Nullable Duration maxRetryAfter;
  private final double budgetRatio;
  private final int budgetMinRetriesPerSecond;
  private final @Nullable Duration budgetWindow;
  private final boolean countCalls;
  private final @Nullable RandomGenerator random;
  private final Scheduler scheduler;
  private final Executor executor;

  private RetryConfig(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.maxDuration = b.maxDuration;
    this.backoff = b.backoff;
    this.retryOn = b.retryOn == null ? DEFAULT_RETRY_ON : b.retryOn;
    this.retryOnResult = b.retryOnResult;
    this.retryOnOverload = b.retryOnOverload;
    this.maxRetryAfter = b.maxRetryAfter;
    this.budgetRatio = b.budgetRatio;
    this.budgetMinRetriesPerSecond = b.budgetMinRetriesPerSecond;
    this.budgetWindow = b.budgetWindow;
    this.countCalls = b.countCalls;
    this.random = b.random;
    this.scheduler = b.scheduler;
    this.executor = b.executor;
  }

  private static boolean retriedByDefault(Throwable t) {
    return t instanceof Exception && !(t instanceof RejectedException);
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
   * Starts a builder holding this config's settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.maxDuration = maxDuration;
    b.backoff = backoff;
    b.retryOn = retryOn == DEFAULT_RETRY_ON ? null : retryOn;
    b.retryOnResult = retryOnResult;
    b.retryOnOverload = retryOnOverload;
    b.maxRetryAfter = maxRetryAfter;
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
   * @return which exceptions are retried (never consulted for rejections or interrupts)
   */
  public Predicate<? super Throwable> retryOn() {
    return retryOn;
  }

  /**
   * @return which results are retried, or {@code null} when results never are
   */
  public @Nullable Predicate<@Nullable Object> retryOnResult() {
    return retryOnResult;
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

  /** Builds a {@link RetryConfig}. Not thread-safe; every setter validates its value. */
  public static final class Builder {
    private int maxAttempts = 3;
    private @Nullable Duration maxDuration;
    private Backoff backoff =
        Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(10)).withJitter(0.5);
    private @Nullable Predicate<? super Throwable> retryOn;
    private @Nullable Predicate<@Nullable Object> retryOnResult;
    private boolean retryOnOverload;
    private @Nullable Duration maxRetryAfter;
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
     *
     * @param bound &gt; 0 and at most 365 days; default none
     * @return this builder
     */
    public Builder maxDuration(Duration bound) {
      notNull("maxDuration", bound);
      if (bound.isNegative() || bound.isZero()) {
        throw new IllegalArgumentException("maxDuration must be > 0, was " + bound);
      }
      this.maxDuration = atMost("maxDuration", bound, MAX_DURATION);
      return this;
    }

    /**
     * The waits between attempts.
     *
     * @param backoff default {@code exponential(100 ms, 2.0, 10 s).withJitter(0.5)}
     * @return this builder
     */
    public Builder backoff(Backoff backoff) {
      this.backoff = notNull("backoff", backoff);
      return this;
    }

    /**
     * Retries only exceptions of these types (or subtypes). The first of {@code retryOn} and {@link
     * #retryWhen} replaces the default; later calls add to it.
     *
     * @param types exception types to retry
     * @return this builder
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never exposed
    public final Builder retryOn(Class<? extends Throwable>... types) {
      notNull("types", types);
      if (types.length == 0) {
        throw new IllegalArgumentException("types must name at least one type, was empty");
      }
      List<Class<? extends Throwable>> list = new ArrayList<>(types.length);
      for (int i = 0; i < types.length; i++) {
        list.add(notNull("types[" + i + "]", types[i]));
      }
      List<Class<? extends Throwable>> copy = List.copyOf(list);
      return retryWhen(
          t -> {
            for (Class<? extends Throwable> type : copy) {
              if (type.isInstance(t)) {
                return true;
              }
            }
            return false;
          });
    }

    /**
     * Retries only exceptions matching {@code predicate}. The first of {@link #retryOn} and {@code
     * retryWhen} replaces the default; later calls add to it. A predicate that throws is logged and
     * the exception is not retried. Never consulted for a {@link RejectedException} (see {@link
     * #retryOnOverload} and {@link #waitForRetryAfter}) or an {@link InterruptedException}, which
     * is never retried.
     *
     * @param predicate true to retry
     * @return this builder
     */
    public Builder retryWhen(Predicate<? super Throwable> predicate) {
      notNull("predicate", predicate);
      Predicate<? super Throwable> prior = retryOn;
      retryOn = prior == null ? predicate : t -> prior.test(t) || predicate.test(t);
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
      notNull("predicate", predicate);
      Predicate<@Nullable Object> prior = retryOnResult;
      retryOnResult = prior == null ? predicate : r -> prior.test(r) || predicate.test(r);
      return this;
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
     * longest}, whatever its reason, after {@code max(retryAfter, backoff)} (the book's
     * Handshaking: the other side says when to come back), within the attempt and time bounds. A
     * rejection asking for a longer wait ends the retry at once.
     *
     * @param longest the longest wait to accept, &gt; 0 and at most 365 days; default off
     * @return this builder
     */
    public Builder waitForRetryAfter(Duration longest) {
      notNull("maxRetryAfter", longest);
      if (longest.isNegative() || longest.isZero()) {
        throw new IllegalArgumentException("maxRetryAfter must be > 0, was " + longest);
      }
      this.maxRetryAfter = atMost("maxRetryAfter", longest, MAX_DURATION);
      return this;
    }

    /**
     * Limits retries so that an outage cannot multiply the load on a dependency: over any {@code
     * window}, retries are allowed up to {@code max(minRetriesPerSecond * windowSeconds, ratio *
     * calls)}. A retry the budget refuses is not made: the failure goes to the caller at once.
     * Turns on {@link #countCalls}.
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
      if (window.toMillis() < 10) {
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
     * The scheduler: its ticker measures time and the budget's window; synchronous waits sleep on
     * it and asynchronous ones are timed by it.
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
     *     on the scheduler's thread
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
     */
    public RetryConfig build() {
      return new RetryConfig(this);
    }
  }
}
