package dev.ballast.retry;

import dev.ballast.BackOffHint;
import dev.ballast.RejectedException;
import dev.ballast.Ticker;
import dev.ballast.internal.Predicates;
import dev.ballast.internal.ThrottledLog;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows an attempt's outcome, for one {@link Retry}: accept it, end the call with it, or
 * retry after a delay. Shared by the synchronous loop and {@link AsyncCall}. The user's predicates
 * and delay function are called here, each guarded by the one rule for callbacks ({@link
 * ThrottledLog#callbackThrew}): a {@link VirtualMachineError} propagates to the caller of {@link
 * #decide}, anything else is logged (one rate-limited line per kind) and the default applies.
 *
 * <p>Thread-safe: immutable but for the budget, which is lock-free.
 */
final class Decider {

  /*
   * Implementation notes.
   *
   * decide() returns a delay >= 0 to retry after, or one of the negative end codes below. The
   * checks run cheapest and most final first: the outcome's classification (result predicate;
   * abort rules; rejection handling; retry rules), then maxAttempts, then the delay (the delay
   * function, else the backoff; stretched by a rejection's retryAfter and by the outcome's back-off
   * hint, which ends the retry when it asks for more than maxRetryAfter), then maxDuration, then an
   * interrupt, and the budget last, so that a retry that will not happen never takes from it.
   *
   * A throwing predicate never causes a retry: a throwing retryOn/retryWhen predicate means "not
   * retried", a throwing abort predicate means "abort", a throwing result predicate means "accept
   * the result". A throwing delay function means "use the backoff"; a throwing hint function, or
   * one that returns a negative duration, means "no hint".
   */

  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

  /** classify(): the outcome is to be retried and carries no retryAfter. */
  static final long NO_RETRY_AFTER = -1;

  // Ends: negative codes decide() returns instead of a delay.
  static final long ACCEPT = -2; // a result not to retry
  static final long NOT_RETRIED = -3; // an exception not to retry, or an aborting one
  static final long REJECTED = -4; // a rejection not retried: passed through
  static final long GIVE_UP_ATTEMPTS = -5;
  static final long GIVE_UP_DURATION = -6;
  static final long GIVE_UP_INTERRUPTED = -7;
  static final long GIVE_UP_STOPPED = -8; // the delay function said stop
  static final long BUDGET = -9;
  static final long GIVE_UP_SCHEDULER = -10; // the scheduler or executor refused the wait
  static final long CANCELLED = -11; // async: the caller cancelled
  static final long CALLBACK_FAILED = -12; // a callback threw a VirtualMachineError
  static final long GIVE_UP_HINT = -13; // the back-off hint asked for more than maxRetryAfter

  /** The delay function's answer meaning "use the backoff". */
  private static final long USE_BACKOFF = -1;

  /** The delay function's answer meaning "stop". */
  private static final long STOP = -2;

  private final Ticker ticker;
  private final int maxAttempts;
  private final boolean timed;
  private final long maxDurationNanos;
  private final Backoff backoff;
  private final Predicate<? super Throwable> retryOn;
  private final Predicate<? super Throwable> abortOn;
  private final boolean aborts;
  private final @Nullable Predicate<@Nullable Object> retryOnResult;
  private final boolean retryOnOverload;
  private final long maxRetryAfterNanos;
  private final @Nullable DelayFunction delayFunction;
  private final @Nullable BackOffHint hint;
  private final Duration delayFunctionCap;
  private final @Nullable RandomGenerator random;
  private final @Nullable Budget budget;
  private final ThrottledLog retryOnLog;
  private final ThrottledLog abortLog;
  private final ThrottledLog resultLog;
  private final ThrottledLog delayLog;
  private final ThrottledLog hintLog;

  Decider(String name, RetryConfig config, Ticker ticker, @Nullable Budget budget) {
    this.ticker = ticker;
    this.maxAttempts = config.maxAttempts();
    Duration bound = config.maxDuration();
    this.timed = bound != null;
    this.maxDurationNanos = bound == null ? Long.MAX_VALUE : bound.toNanos();
    this.backoff = config.backoff();
    this.retryOn = config.retryOn();
    this.abortOn = config.abortOn();
    this.aborts = config.aborts();
    this.retryOnResult = config.retryOnResult();
    this.retryOnOverload = config.retryOnOverload();
    Duration longest = config.maxRetryAfter();
    this.maxRetryAfterNanos = longest == null ? -1 : longest.toNanos();
    this.delayFunction = config.delayFunction();
    this.hint = config.backOffHint();
    Duration cap = config.delayFunctionCap();
    this.delayFunctionCap = cap == null ? Duration.ZERO : cap;
    this.random = config.random();
    this.budget = budget;
    this.retryOnLog = new ThrottledLog(LOG, name, ticker);
    this.abortLog = new ThrottledLog(LOG, name, ticker);
    this.resultLog = new ThrottledLog(LOG, name, ticker);
    this.delayLog = new ThrottledLog(LOG, name, ticker);
    this.hintLog = new ThrottledLog(LOG, name, ticker);
  }

  /** Whether the first attempt's time must be read: only maxDuration measures from it. */
  boolean timed() {
    return timed;
  }

  /** Whether results are ever retried: the fast path tests them only then. */
  boolean testsResults() {
    return retryOnResult != null;
  }

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
    long retryAfter = classify(result, error);
    return retryAfter < NO_RETRY_AFTER ? retryAfter : next(a, result, error, retryAfter, sync);
  }

  /**
   * Whether an outcome is to be retried.
   *
   * @return a rejection's retryAfter in nanoseconds ({@code >= 0}), {@link #NO_RETRY_AFTER} to
   *     retry, or an end code
   */
  long classify(@Nullable Object result, @Nullable Throwable error) {
    if (error == null) {
      return retriesResult(result) ? NO_RETRY_AFTER : ACCEPT;
    }
    if (aborts && aborts(error)) {
      return error instanceof RejectedException ? REJECTED : NOT_RETRIED;
    }
    if (error instanceof RejectedException r) {
      long asked = retryAfterNanos(r);
      if (maxRetryAfterNanos >= 0 && asked >= 0) {
        return asked > maxRetryAfterNanos ? REJECTED : asked;
      }
      return retryOnOverload && r.reason() == RejectedException.Reason.OVERLOAD
          ? NO_RETRY_AFTER
          : REJECTED;
    }
    if (error instanceof InterruptedException || !retriesError(error)) {
      return NOT_RETRIED;
    }
    return NO_RETRY_AFTER;
  }

  /**
   * Decides the retry of an outcome already classified as one to retry: the bounds, the delay, the
   * budget.
   *
   * @param retryAfter the rejection's retryAfter in nanoseconds, or {@link #NO_RETRY_AFTER}
   * @return the delay before the next attempt, {@code >= 0}, or a negative end code
   */
  long next(
      Attempts a,
      @Nullable Object result,
      @Nullable Throwable error,
      long retryAfter,
      boolean sync) {
    if (a.attempt >= maxAttempts) {
      return GIVE_UP_ATTEMPTS;
    }
    long asked = delayFunction == null ? USE_BACKOFF : askDelay(a.attempt, result, error);
    if (asked == STOP) {
      return GIVE_UP_STOPPED;
    }
    long hinted = hint == null ? NO_RETRY_AFTER : askHint(result, error);
    if (hinted > maxRetryAfterNanos) {
      return GIVE_UP_HINT;
    }
    long delay =
        asked == USE_BACKOFF ? backoff.delayNanos(a.attempt, a.backoffNanos, random()) : asked;
    long wait = Math.max(delay, Math.max(retryAfter, hinted));
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
    if (asked == USE_BACKOFF) {
      a.backoffNanos = delay;
    }
    return wait;
  }

  /**
   * Whether a result is to be retried; a predicate that throws (but for a VirtualMachineError,
   * which propagates) is logged and the result accepted.
   */
  boolean retriesResult(@Nullable Object result) {
    Predicate<@Nullable Object> p = retryOnResult;
    return p != null
        && Predicates.test(
            p, result, false, resultLog, "retryOnResult predicate threw; returning the result");
  }

  private boolean retriesError(Throwable error) {
    return Predicates.testError(
        retryOn, error, false, retryOnLog, "retryOn predicate", "not retrying");
  }

  private boolean aborts(Throwable error) {
    return Predicates.testError(
        abortOn, error, true, abortLog, "abortOn predicate", "not retrying");
  }

  /**
   * Asks the delay function.
   *
   * @return the delay in nanoseconds, clamped to the cap, or {@link #USE_BACKOFF} or {@link #STOP}
   */
  private long askDelay(int attempt, @Nullable Object result, @Nullable Throwable error) {
    DelayFunction f = delayFunction;
    Duration d;
    try {
      d = f == null ? null : f.delay(attempt, result, error);
    } catch (Throwable e) {
      delayLog.callbackThrew(e, "delayFunction threw; using the backoff's delay");
      return USE_BACKOFF;
    }
    if (d == null) {
      return USE_BACKOFF;
    }
    if (d.isNegative()) {
      return STOP;
    }
    // Compared before converting: a huge Duration would overflow toNanos().
    return (d.compareTo(delayFunctionCap) >= 0 ? delayFunctionCap : d).toNanos();
  }

  /**
   * Asks the back-off hint.
   *
   * @return the hint in nanoseconds, saturated, or {@link #NO_RETRY_AFTER} for none
   */
  private long askHint(@Nullable Object result, @Nullable Throwable error) {
    BackOffHint h = hint;
    Duration d;
    try {
      d = h == null ? null : h.backOff(result, error);
    } catch (Throwable e) {
      hintLog.callbackThrew(e, "backOffHint threw; the outcome carries no hint");
      return NO_RETRY_AFTER;
    }
    if (d == null) {
      return NO_RETRY_AFTER;
    }
    if (d.isNegative()) {
      hintLog.warn("backOffHint returned " + d + ", a negative back-off; no hint", null);
      return NO_RETRY_AFTER;
    }
    // Compared before converting: a huge Duration would overflow toNanos().
    return d.compareTo(RetryConfig.MAX_DURATION) > 0 ? Long.MAX_VALUE : d.toNanos();
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
}
