package dev.ballast.retry;

import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.CheckedCallable;
import dev.ballast.Policy;
import dev.ballast.RejectedException;
import dev.ballast.Scheduler;
import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.Invoker;
import dev.ballast.internal.Reconfigurer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
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
 * {@linkplain RetryConfig#retryOn() retries} (and its {@linkplain RetryConfig#abortOn() abort
 * rules} do not end), or returns a result it {@linkplain RetryConfig#retryOnResult() retries}, is
 * made again after the {@linkplain Backoff backoff}'s delay (or the {@linkplain DelayFunction delay
 * function}'s), until an attempt succeeds or one of these ends it: {@code maxAttempts}; {@code
 * maxDuration} (no retry starts whose wait would end past it); the delay function saying stop; the
 * budget; an interrupt during the wait. The caller then gets the last outcome: the last result, or
 * the last exception, unchanged (checked exceptions are never wrapped), with the distinct
 * exceptions of earlier attempts added as {@linkplain Throwable#addSuppressed suppressed}: none it
 * holds already, and none to an exception that holds 8 already, so that a shared exception thrown
 * call after call does not grow without bound.
 *
 * <p>A {@link RejectedException} from further in (a breaker open, a bulkhead full) ends the retry
 * and goes to the caller, unless the config {@linkplain RetryConfig.Builder#retryOnOverload retries
 * overload} or {@linkplain RetryConfig.Builder#waitForRetryAfter waits for} the {@code
 * retryAfter()} it carries. An {@link InterruptedException} is never retried. A null call is
 * refused with a {@link NullPointerException} before anything is counted.
 *
 * <p>Synchronous waits go through the scheduler's {@link Scheduler#sleep}; an interrupt during one
 * stops the retry: the interrupt flag is set again and the caller gets the last outcome. {@link
 * #callAsync} waits on the scheduler's timer without blocking a thread, runs its attempts in a loop
 * whose stack depth does not grow with their number, and stops retrying when the caller cancels the
 * returned future, cancelling the pending wait and the attempt in flight. The returned stage always
 * completes.
 *
 * <p>Callbacks (predicates, the delay function, listeners) that throw are logged and the call
 * carries on with a safe default; a {@link VirtualMachineError} one throws reaches the caller once
 * the call is counted: thrown by a synchronous call, completing the stage of an asynchronous one.
 * See {@link RetryConfig}.
 *
 * <p>Logs through SLF4J: nothing per call; a call that gives up at DEBUG; an exhausted budget at
 * WARN, at most once per budget window; a throwing callback, or a scheduler or executor that
 * refuses a wait, at WARN, at most once a minute per kind with a count of those suppressed.
 * Thread-safe and lock-free: one instance serves every thread. A call whose first attempt succeeds
 * takes no lock, allocates nothing and writes nothing shared (one striped-counter increment when
 * calls are counted, one ticker read with {@code maxDuration}).
 */
public final class Retry implements Policy {

  /*
   * Implementation notes.
   *
   * Fast path. call(), get() and run() check their argument and pass it with its adapter to
   * attempt(), which makes the first attempt directly, with no object or lambda built (the rule in
   * Policy's documentation). If it returns a value the result predicate (if any) does not
   * retry, the call is done: the only shared write is `successesWithoutRetry` (a LongAdder), and
   * only when calls are counted. The path reads only final fields of this object (no volatile),
   * and the ticker only when maxDuration is set, because the bound is measured from the first
   * attempt's start.
   *
   * Slow path. The first failure builds an Attempts (the per-call state: attempt number, start,
   * previous backoff, earlier exceptions) and loops. Three package-private classes share the work
   * with AsyncCall, along these seams:
   *   Decider  what follows an outcome: a delay >= 0 to retry after, or a negative end code. Owns
   *            the user's predicates and delay function, guarded by the callback rule.
   *   Ledger   the counts, the listeners and the log lines: record() counts how a call ended, then
   *            suppresses, then notifies, then logs. Owns the budget, which reads its call count.
   *   AsyncCall the asynchronous loop, a trampoline (see its notes).
   * RetryConfig derives its retry, abort and result rules, and checks that its settings can retry
   * at all, through Rules.
   *
   * Callbacks. A VirtualMachineError from a callback propagates out of Decider or Ledger. On the
   * synchronous path retrying() catches it around decide() and the retry listener, records the
   * call as a failure (CALLBACK_FAILED: no suppression, no event) and rethrows; a listener called
   * by record() throws only after the counts. On the fast path, a result predicate's error counts
   * the call a failure without retry before it is rethrown.
   */

  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

  private final String name;
  private volatile RetryConfig config;
  private final Scheduler scheduler;
  private final Ticker ticker;
  private final Executor executor;
  private volatile Decider decider; // replaced whole by reconfigure: a call reads it once
  private final Ledger ledger;
  private final boolean countCalls;
  private final Reconfigurer reconfigurer;
  private final LongAdder successesWithoutRetry;

  private Retry(String name, RetryConfig config) {
    this.name = name;
    this.config = config;
    this.scheduler = config.scheduler();
    this.ticker = scheduler.ticker();
    this.executor = config.executor();
    this.ledger = new Ledger(name, config, ticker);
    this.decider = new Decider(name, config, ticker, ledger.budget());
    this.countCalls = ledger.countsCalls();
    this.reconfigurer =
        new Reconfigurer(
            "retry",
            name,
            LOG,
            "scheduler",
            "executor",
            "budgetWindow",
            "budgetRatio",
            "budgetMinRetriesPerSecond",
            "countCalls");
    this.successesWithoutRetry = ledger.successesWithoutRetry;
  }

  /**
   * Creates a retry.
   *
   * @param name the retry's name, used in logs and metrics; not blank
   * @param config its settings
   * @return the retry
   */
  public static Retry of(String name, RetryConfig config) {
    notBlank("name", name);
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
   * Applies a new config. The name stays; {@link #config()} returns {@code config} afterwards
   * (docs/reconfiguration.md has the table).
   *
   * <ul>
   *   <li>Attempts, durations, backoff, delay function, predicates, classifier, hints and random
   *       apply to calls that start from now on; a call already retrying finishes under the config
   *       it started with, so no call sees a mix of the two.
   *   <li>The counters and the retry budget's history are kept.
   *   <li>The scheduler, the executor, the budget's settings and {@code countCalls} cannot change:
   *       a config with another one is refused with an {@link IllegalArgumentException} naming it
   *       and both values, and nothing changes.
   * </ul>
   *
   * <p>Logged once at INFO with the changed settings, old and new. Reconfigurations of one retry
   * run one at a time.
   *
   * @param config the new settings
   * @throws IllegalArgumentException when {@code config} changes a setting that cannot change
   */
  public void reconfigure(RetryConfig config) {
    reconfigurer.apply(this::config, config, this::apply);
  }

  private void apply(RetryConfig next) {
    decider = new Decider(name, next, ticker, ledger.budget());
    this.config = next;
  }

  /**
   * A snapshot of the retry's counts.
   *
   * @return the stats
   */
  public RetryStats stats() {
    return ledger.stats();
  }

  // ---------------------------------------------------------------- calls

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException when {@code callable} is null, before anything is counted
   */
  @Override
  public <T extends @Nullable Object, X extends Throwable> T call(CheckedCallable<T, X> callable)
      throws X {
    return attempt(CheckedCallable::call, notNull("callable", callable));
  }

  /**
   * Makes the first attempt directly: no adapter is allocated unless it fails.
   *
   * @throws NullPointerException when {@code supplier} is null, before anything is counted
   */
  @Override
  public <T extends @Nullable Object> T get(Supplier<T> supplier) {
    return attempt(Supplier::get, notNull("supplier", supplier));
  }

  /**
   * Makes the first attempt directly: no adapter is allocated unless it fails.
   *
   * @throws NullPointerException when {@code runnable} is null, before anything is counted
   */
  @Override
  public void run(Runnable runnable) {
    attempt(Invoker.RUNNABLE, notNull("runnable", runnable));
  }

  /**
   * The first attempt, for every shape of call (see {@link Policy}); the retry loop, entered only
   * when it fails, gets the attempt as a callable.
   */
  private <F, T extends @Nullable Object, X extends Throwable> T attempt(Invoker<F, T, X> how, F fn)
      throws X {
    Decider d = decider; // the whole call runs under one config
    long start = d.timed() ? ticker.read() : 0L;
    T result;
    try {
      result = how.invoke(fn);
    } catch (Throwable t) {
      return retrying(d, () -> how.invoke(fn), start, null, t);
    }
    if (d.testsResults() && retriesFirstResult(d, result)) {
      return retrying(d, () -> how.invoke(fn), start, result, null);
    }
    if (countCalls) {
      successesWithoutRetry.increment();
    }
    return result;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The returned stage always completes: with the last outcome, or exceptionally with a {@link
   * VirtualMachineError} a callback threw; provided the scheduler is not closed during a wait (it
   * drops the timer) and the executor does not discard the next attempt it accepted.
   *
   * @throws NullPointerException when {@code supplier} is null, before anything is counted
   */
  @Override
  public <T extends @Nullable Object> CompletionStage<T> callAsync(
      Supplier<? extends CompletionStage<T>> supplier) {
    notNull("supplier", supplier);
    Decider d = decider;
    AsyncCall<T> call =
        new AsyncCall<>(d, ledger, scheduler, executor, supplier, d.timed() ? ticker.read() : 0L);
    call.start();
    return call.future();
  }

  /**
   * Asks the result predicate about the first attempt's result. Its VirtualMachineError counts the
   * call as a failure without retry before it reaches the caller.
   */
  private boolean retriesFirstResult(Decider decider, @Nullable Object result) {
    try {
      return decider.retriesResult(result);
    } catch (VirtualMachineError e) {
      ledger.failedOnFastPath();
      throw e;
    }
  }

  /**
   * The synchronous retry loop, entered after the first attempt threw, or returned a result the
   * result predicate retries ({@code first} null).
   */
  private <T extends @Nullable Object, X extends Throwable> T retrying(
      Decider decider,
      CheckedCallable<T, X> callable,
      long start,
      @Nullable T firstResult,
      @Nullable Throwable first)
      throws X {
    ledger.slowCall();
    Attempts a = new Attempts(start);
    @Nullable T result = firstResult;
    @Nullable Throwable error = first;
    boolean classified = first == null; // the fast path asked the result predicate already
    while (true) {
      long delay;
      try {
        delay =
            classified
                ? decider.next(a, result, null, Decider.NO_RETRY_AFTER, true)
                : decider.decide(a, result, error, true);
        if (delay >= 0) {
          ledger.notifyRetry(a.attempt + 1, delay, error);
        }
      } catch (VirtualMachineError e) {
        ledger.record(a, Decider.CALLBACK_FAILED, e);
        throw e;
      }
      classified = false;
      if (delay < 0) {
        return end(a, delay, result, error);
      }
      if (delay > 0) {
        try {
          scheduler.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return end(a, Decider.GIVE_UP_INTERRUPTED, result, error);
        } catch (RuntimeException e) {
          ledger.refused("scheduler", e);
          return end(a, Decider.GIVE_UP_SCHEDULER, result, error);
        }
      }
      a.remember(error);
      a.attempt++;
      ledger.retry();
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
    ledger.record(a, code, error);
    if (error == null) {
      return result;
    }
    @SuppressWarnings("unchecked") // error is what the callable threw: an X or unchecked
    X x = (X) error;
    throw x;
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
    return ledger.addListener(listener);
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
}
