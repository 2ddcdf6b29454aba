package dev.ballast.retry;

import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.CheckedCallable;
import dev.ballast.Policy;
import dev.ballast.RejectedException;
import dev.ballast.Scheduler;
import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.ListenerList;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A retry (<em>Release It!</em>: don't retry immediately; Dogpile; Handshaking): it makes a failed
 * call again, after a growing, jittered wait, a bounded number of times, and within a budget so
 * that an outage cannot multiply the load on the dependency.
 *
 * <pre>{@code
 * Retry retry = Retry.of("inventory", RetryConfig.builder()
 *     .maxAttempts(3)
 *     .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(2))
 *         .withFullJitter())
 *     .budget(0.1, 10, Duration.ofSeconds(10))
 *     .build());
 * Item item = retry.call(() -> client.get(id));   // throws what get() throws
 * }</pre>
 *
 * <p>Each call runs its first attempt at once. An attempt that throws an exception the config
 * {@linkplain RetryConfig#retryOn() retries}, or returns a result it {@linkplain
 * RetryConfig#retryOnResult() retries}, is made again after the {@linkplain Backoff backoff}'s
 * delay, until an attempt succeeds or one of these ends it: {@code maxAttempts}; {@code
 * maxDuration} (no retry starts whose wait would end past it); the budget; an interrupt during the
 * wait. The caller then gets the last outcome: the last result, or the last exception, unchanged
 * (checked exceptions are never wrapped), with the distinct exceptions of earlier attempts added as
 * {@linkplain Throwable#addSuppressed suppressed}, at most 8 per exception.
 *
 * <p>A {@link RejectedException} from further in (a breaker open, a bulkhead full) ends the retry
 * and goes to the caller, unless the config {@linkplain RetryConfig.Builder#retryOnOverload retries
 * overload} or {@linkplain RetryConfig.Builder#waitForRetryAfter waits for} the {@code
 * retryAfter()} it carries. An {@link InterruptedException} is never retried.
 *
 * <p>Synchronous waits go through the scheduler's {@link Scheduler#sleep}; an interrupt during one
 * stops the retry: the interrupt flag is set again and the caller gets the last outcome. {@link
 * #callAsync} waits on the scheduler's timer without blocking a thread, and stops retrying when the
 * caller cancels the returned future, cancelling the pending wait and the attempt in flight.
 *
 * <p>Logs through SLF4J: nothing per call; a call that gives up at DEBUG; an exhausted budget at
 * WARN, at most once per budget window. Thread-safe and lock-free: one instance serves every
 * thread. A call whose first attempt succeeds takes no lock, allocates nothing and writes nothing
 * shared (one striped-counter increment when calls are counted, one ticker read with {@code
 * maxDuration}).
 */
public final class Retry implements Policy {

  /*
   * Implementation notes.
   *
   * Fast path. call(), get() and run() make the first attempt directly, with no object or lambda
   * built. If it returns a value the result predicate (if any) does not retry, the call is done:
   * the only shared write is `successesWithoutRetry` (a LongAdder), and only when calls are
   * counted. The path reads only final fields of this object (no volatile), and the ticker only
   * when maxDuration is set, because the bound is measured from the first attempt's start.
   *
   * Slow path. The first failure builds an Attempts (the per-call state: attempt number, start,
   * previous backoff, earlier exceptions) and loops: decide() says what follows an outcome (a
   * delay >= 0 to retry after, or a negative END code), record() counts the ending outcome,
   * notifies and logs. Both are shared by the sync loop and AsyncCall. Each call ends in exactly
   * one outcome counter; `retries` counts attempts after the first when they start, so
   * attempts = calls + retries once no call is in flight. `slowCalls` counts calls that entered
   * the slow path; with `successesWithoutRetry` it is the call count the budget reads.
   *
   * Budget. Consulted last in decide(), after every other reason to stop, so that a retry that
   * will not happen never takes from it. See Budget's notes.
   *
   * Listeners. internal.ListenerList keeps a bounded copy-on-write array and publishes one
   * listener to call: the NOOP, the single listener, or a fan-out. Listeners are called
   * only on the slow path, after the counters, so a throwing listener changes nothing.
   */

  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
  static final int MAX_SUPPRESSED = 8;
  private static final RetryListener NOOP = new RetryListener() {};

  // Ends: negative codes decide() returns instead of a delay.
  static final long ACCEPT = -1; // a result not to retry
  static final long NOT_RETRIED = -2; // an exception not to retry
  static final long REJECTED = -3; // a rejection not retried: passed through
  static final long GIVE_UP_ATTEMPTS = -4;
  static final long GIVE_UP_DURATION = -5;
  static final long GIVE_UP_INTERRUPTED = -6;
  static final long BUDGET = -7;
  static final long GIVE_UP_SCHEDULER = -8; // async: the scheduler or executor refused the wait
  static final long CANCELLED = -9; // async: the caller cancelled

  private final String name;
  private final RetryConfig config;
  private final Scheduler scheduler;
  private final Ticker ticker;
  private final int maxAttempts;
  private final boolean timed;
  private final long maxDurationNanos;
  private final Backoff backoff;
  private final Predicate<? super Throwable> retryOn;
  private final @Nullable Predicate<@Nullable Object> retryOnResult;
  private final boolean retryOnOverload;
  private final long maxRetryAfterNanos;
  private final @Nullable RandomGenerator random;
  private final Executor executor;
  private final boolean countCalls;
  private final @Nullable Budget budget;

  private final LongAdder successesWithoutRetry = new LongAdder();
  private final LongAdder slowCalls = new LongAdder();
  private final LongAdder successesAfterRetry = new LongAdder();
  private final LongAdder failuresWithoutRetry = new LongAdder();
  private final LongAdder failuresAfterRetry = new LongAdder();
  private final LongAdder rejections = new LongAdder();
  private final LongAdder budgetExhausted = new LongAdder();
  private final LongAdder retries = new LongAdder();

  private final ListenerList<RetryListener> listeners;

  private Retry(String name, RetryConfig config) {
    this.name = name;
    this.listeners =
        new ListenerList<>("retry '" + name + "'", NOOP, all -> new FanOut(name, all), () -> {});
    this.config = config;
    this.scheduler = config.scheduler();
    this.ticker = scheduler.ticker();
    this.maxAttempts = config.maxAttempts();
    Duration bound = config.maxDuration();
    this.timed = bound != null;
    this.maxDurationNanos = bound == null ? Long.MAX_VALUE : bound.toNanos();
    this.backoff = config.backoff();
    this.retryOn = config.retryOn();
    this.retryOnResult = config.retryOnResult();
    this.retryOnOverload = config.retryOnOverload();
    Duration longest = config.maxRetryAfter();
    this.maxRetryAfterNanos = longest == null ? -1 : longest.toNanos();
    this.random = config.random();
    this.executor = config.executor();
    this.countCalls = config.countCalls();
    Duration window = config.budgetWindow();
    this.budget =
        window == null
            ? null
            : new Budget(
                config.budgetRatio(),
                config.budgetMinRetriesPerSecond(),
                window.toNanos(),
                ticker.read(),
                () -> successesWithoutRetry.sum() + slowCalls.sum());
  }

  /**
   * Creates a retry.
   *
   * @param name the retry's name, used in logs and metrics; not blank
   * @param config its settings
   * @return the retry
   */
  public static Retry of(String name, RetryConfig config) {
    notNull("name", name);
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
    }
    return new Retry(name, notNull("config", config));
  }

  /**
   * Creates a retry with {@linkplain RetryConfig#defaults() default settings}.
   *
   * @param name the retry's name
   * @return the retry
   */
  public static Retry ofDefaults(String name) {
    return of(name, RetryConfig.defaults());
  }

  /**
   * @return the retry's name
   */
  public String name() {
    return name;
  }

  /**
   * @return the retry's settings
   */
  public RetryConfig config() {
    return config;
  }

  /**
   * A snapshot of the retry's counts.
   *
   * @return the stats
   */
  public RetryStats stats() {
    return new RetryStats(
        countCalls,
        successesWithoutRetry.sum(),
        successesAfterRetry.sum(),
        failuresWithoutRetry.sum(),
        failuresAfterRetry.sum(),
        rejections.sum(),
        budgetExhausted.sum(),
        retries.sum());
  }

  // ---------------------------------------------------------------- calls

  @Override
  public <T extends @Nullable Object, X extends Throwable> T call(CheckedCallable<T, X> callable)
      throws X {
    long start = timed ? ticker.read() : 0L;
    T result;
    try {
      result = callable.call();
    } catch (Throwable t) {
      return retrying(callable, start, null, t);
    }
    if (retryOnResult != null && retriesResult(result)) {
      return retrying(callable, start, result, null);
    }
    if (countCalls) {
      successesWithoutRetry.increment();
    }
    return result;
  }

  /** Makes the first attempt directly: no lambda is allocated unless it fails. */
  @Override
  public <T extends @Nullable Object> T get(Supplier<T> supplier) {
    long start = timed ? ticker.read() : 0L;
    T result;
    try {
      result = supplier.get();
    } catch (Throwable t) {
      return this.<T, RuntimeException>retrying(supplier::get, start, null, t);
    }
    if (retryOnResult != null && retriesResult(result)) {
      return this.<T, RuntimeException>retrying(supplier::get, start, result, null);
    }
    if (countCalls) {
      successesWithoutRetry.increment();
    }
    return result;
  }

  /** Makes the first attempt directly: no lambda is allocated unless it fails. */
  @Override
  public void run(Runnable runnable) {
    long start = timed ? ticker.read() : 0L;
    try {
      runnable.run();
    } catch (Throwable t) {
      @Nullable Object unused =
          this.<@Nullable Object, RuntimeException>retrying(asCallable(runnable), start, null, t);
      return;
    }
    if (retryOnResult != null && retriesResult(null)) {
      @Nullable Object unused =
          this.<@Nullable Object, RuntimeException>retrying(
              asCallable(runnable), start, null, null);
      return;
    }
    if (countCalls) {
      successesWithoutRetry.increment();
    }
  }

  @Override
  public <T extends @Nullable Object> CompletionStage<T> callAsync(
      Supplier<? extends CompletionStage<T>> supplier) {
    notNull("supplier", supplier);
    AsyncCall<T> call = new AsyncCall<>(this, supplier, timed ? ticker.read() : 0L);
    call.start();
    return call.future();
  }

  private static CheckedCallable<@Nullable Object, RuntimeException> asCallable(Runnable r) {
    return () -> {
      r.run();
      return null;
    };
  }

  /** The synchronous retry loop, entered after the first attempt failed or was retried. */
  private <T extends @Nullable Object, X extends Throwable> T retrying(
      CheckedCallable<T, X> callable,
      long start,
      @Nullable T firstResult,
      @Nullable Throwable first)
      throws X {
    slowCalls.increment();
    Attempts a = new Attempts(start);
    @Nullable T result = firstResult;
    @Nullable Throwable error = first;
    while (true) {
      long delay = decide(a, result, error, true);
      if (delay < 0) {
        return end(a, delay, result, error);
      }
      notifyRetry(a.attempt + 1, delay, error);
      if (delay > 0) {
        try {
          scheduler.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return end(a, GIVE_UP_INTERRUPTED, result, error);
        }
      }
      a.remember(error);
      a.attempt++;
      retries.increment();
      try {
        result = callable.call();
        error = null;
      } catch (Throwable t) {
        result = null;
        error = t;
      }
    }
  }

  /**
   * Records how a synchronous call ended and hands the caller its outcome. A null result is one the
   * callable returned, so {@code T} admits it.
   */
  @SuppressWarnings("NullAway")
  private <T extends @Nullable Object, X extends Throwable> T end(
      Attempts a, long code, @Nullable T result, @Nullable Throwable error) throws X {
    record(a, code, error);
    if (error == null) {
      return result;
    }
    @SuppressWarnings("unchecked") // error is what the callable threw: an X or unchecked
    X x = (X) error;
    throw x;
  }

  // ---------------------------------------------------------------- deciding, shared with async

  /**
   * Decides what follows an attempt's outcome.
   *
   * @param a the call's state; its attempt number is the attempt that just ended
   * @param result what the attempt returned, when {@code error} is null
   * @param error what the attempt threw, or null
   * @param sync whether a thread will wait (and may be interrupted)
   * @return the delay before the next attempt, {@code >= 0}, or a negative end code
   */
  long decide(Attempts a, @Nullable Object result, @Nullable Throwable error, boolean sync) {
    long retryAfter = -1;
    if (error == null) {
      if (!retriesResult(result)) {
        return ACCEPT;
      }
    } else if (error instanceof RejectedException r) {
      long asked = retryAfterNanos(r);
      if (maxRetryAfterNanos >= 0 && asked >= 0) {
        if (asked > maxRetryAfterNanos) {
          return REJECTED;
        }
        retryAfter = asked;
      } else if (!(retryOnOverload && r.reason() == RejectedException.Reason.OVERLOAD)) {
        return REJECTED;
      }
    } else if (error instanceof InterruptedException || !retriesError(error)) {
      return NOT_RETRIED;
    }
    if (a.attempt >= maxAttempts) {
      return GIVE_UP_ATTEMPTS;
    }
    long delay = backoff.delayNanos(a.attempt, a.backoffNanos, random());
    long wait = Math.max(delay, retryAfter);
    long now = timed || budget != null ? ticker.read() : 0L;
    if (timed && now - a.start > maxDurationNanos - wait) {
      return GIVE_UP_DURATION;
    }
    if (sync && Thread.currentThread().isInterrupted()) {
      return GIVE_UP_INTERRUPTED;
    }
    Budget b = budget;
    if (b != null && !b.tryAcquire(now)) {
      return BUDGET;
    }
    a.backoffNanos = delay;
    return wait;
  }

  /**
   * Counts how a call ended, adds earlier exceptions to the last as suppressed, notifies the
   * listeners and logs. Called once per call that reached the slow path.
   */
  void record(Attempts a, long code, @Nullable Throwable error) {
    boolean retried = a.attempt > 1;
    if (code == ACCEPT) {
      if (retried) {
        successesAfterRetry.increment();
      } else if (countCalls) {
        successesWithoutRetry.increment(); // an async call's first attempt
      }
    } else if (code == REJECTED) {
      rejections.increment();
    } else if (code == BUDGET) {
      budgetExhausted.increment();
    } else {
      (retried ? failuresAfterRetry : failuresWithoutRetry).increment();
    }
    if (error != null) {
      a.suppressInto(error);
    }
    if (code == BUDGET) {
      budgetExhausted();
    }
    if (code <= GIVE_UP_ATTEMPTS && code != CANCELLED) {
      gaveUp(a, code, error);
    }
  }

  private void budgetExhausted() {
    RetryListener l = listeners.current();
    if (l != NOOP) {
      try {
        l.onBudgetExhausted();
      } catch (RuntimeException | Error e) {
        failed(name, e);
      }
    }
    Budget b = budget;
    if (b != null && LOG.isWarnEnabled()) {
      long now = ticker.read();
      if (b.shouldWarn(now)) {
        LOG.warn(
            "name={} retry budget exhausted: {} budgetExhaustedTotal={};"
                + " failures go to callers without retry",
            name,
            b.describe(now),
            budgetExhausted.sum());
      }
    }
  }

  private void gaveUp(Attempts a, long code, @Nullable Throwable error) {
    RetryListener l = listeners.current();
    if (l != NOOP) {
      try {
        l.onGiveUp(a.attempt, error);
      } catch (RuntimeException | Error e) {
        failed(name, e);
      }
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "name={} gave up after {} attempt{} reason={} cause={}",
          name,
          a.attempt,
          a.attempt == 1 ? "" : "s",
          reason(code),
          error == null ? "result" : error.toString());
    }
  }

  private static String reason(long code) {
    if (code == GIVE_UP_ATTEMPTS) {
      return "maxAttempts";
    } else if (code == GIVE_UP_DURATION) {
      return "maxDuration";
    } else if (code == GIVE_UP_INTERRUPTED) {
      return "interrupted";
    } else if (code == BUDGET) {
      return "budget";
    }
    return "scheduler";
  }

  void notifyRetry(int attempt, long delayNanos, @Nullable Throwable cause) {
    RetryListener l = listeners.current();
    if (l != NOOP) {
      try {
        l.onRetry(attempt, delayNanos, cause);
      } catch (RuntimeException | Error e) {
        failed(name, e);
      }
    }
  }

  void countRetry() {
    retries.increment();
  }

  void countSlowCall() {
    slowCalls.increment();
  }

  Scheduler scheduler() {
    return scheduler;
  }

  Executor executor() {
    return executor;
  }

  boolean retriesResult(@Nullable Object result) {
    Predicate<@Nullable Object> p = retryOnResult;
    if (p == null) {
      return false;
    }
    try {
      return p.test(result);
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError) {
        throw e;
      }
      LOG.warn("name={} retryOnResult predicate threw; returning the result", name, e);
      return false;
    }
  }

  private boolean retriesError(Throwable error) {
    try {
      return retryOn.test(error);
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError) {
        throw e;
      }
      LOG.warn(
          "name={} retryOn predicate threw on {}; not retrying",
          name,
          error.getClass().getName(),
          e);
      return false;
    }
  }

  private RandomGenerator random() {
    RandomGenerator r = random;
    return r != null ? r : ThreadLocalRandom.current();
  }

  private static long retryAfterNanos(RejectedException r) {
    Optional<Duration> after = r.retryAfter();
    if (after.isEmpty()) {
      return -1;
    }
    try {
      return Math.max(0, after.get().toNanos());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  // ---------------------------------------------------------------- listeners

  /**
   * Adds a listener. At most 64 listeners per retry.
   *
   * @param listener the listener
   * @return the subscription; closing it removes the listener
   * @throws IllegalStateException when 64 listeners are already registered
   */
  public Subscription addListener(RetryListener listener) {
    return listeners.add(listener);
  }

  /**
   * Logs a listener's exception. A {@link VirtualMachineError} is rethrown: the JVM is in trouble
   * and hiding it would be worse than losing the call's outcome.
   */
  static void failed(String name, Throwable e) {
    ListenerList.threw(LOG, name, e);
  }

  static void warn(String message, Object... args) {
    LOG.warn(message, args);
  }

  /**
   * The retry as it appears in a pipeline's nesting expression.
   *
   * @return {@code retry[name]}
   */
  @Override
  public String toString() {
    return "retry[" + name + "]";
  }

  /** Delivers each event to several listeners, each guarded on its own. */
  private static final class FanOut implements RetryListener {
    private final String name;
    private final RetryListener[] targets;

    FanOut(String name, Object[] targets) {
      this.name = name;
      this.targets = Arrays.copyOf(targets, targets.length, RetryListener[].class);
    }

    @Override
    public void onRetry(int attempt, long delayNanos, @Nullable Throwable cause) {
      for (RetryListener t : targets) {
        try {
          t.onRetry(attempt, delayNanos, cause);
        } catch (RuntimeException | Error e) {
          failed(name, e);
        }
      }
    }

    @Override
    public void onGiveUp(int attempts, @Nullable Throwable cause) {
      for (RetryListener t : targets) {
        try {
          t.onGiveUp(attempts, cause);
        } catch (RuntimeException | Error e) {
          failed(name, e);
        }
      }
    }

    @Override
    public void onBudgetExhausted() {
      for (RetryListener t : targets) {
        try {
          t.onBudgetExhausted();
        } catch (RuntimeException | Error e) {
          failed(name, e);
        }
      }
    }
  }
}
