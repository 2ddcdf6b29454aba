package dev.ballast.retry;

import static dev.ballast.retry.Decider.ACCEPT;
import static dev.ballast.retry.Decider.BUDGET;
import static dev.ballast.retry.Decider.CALLBACK_FAILED;
import static dev.ballast.retry.Decider.CANCELLED;
import static dev.ballast.retry.Decider.GIVE_UP_ATTEMPTS;
import static dev.ballast.retry.Decider.GIVE_UP_DURATION;
import static dev.ballast.retry.Decider.GIVE_UP_HINT;
import static dev.ballast.retry.Decider.GIVE_UP_INTERRUPTED;
import static dev.ballast.retry.Decider.GIVE_UP_STOPPED;
import static dev.ballast.retry.Decider.REJECTED;

import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.Listeners;
import dev.ballast.internal.Stages;
import dev.ballast.internal.ThrottledLog;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counts, listeners and log lines of one {@link Retry}: how each call ended, told once to the
 * counters, then the listeners, then the log. Also owns the retry budget, which reads the call
 * count kept here.
 *
 * <p>Thread-safe and lock-free: striped counters, a copy-on-write listener list, throttled log
 * lines.
 */
final class Ledger {

  /*
   * Implementation notes.
   *
   * Each call that ends is counted in exactly one outcome counter, by record() (or, on the fast
   * path, by the retry incrementing `successesWithoutRetry` itself); `retries` counts attempts
   * after the first as they start, so attempts = calls + retries once no call is in flight.
   * `slowCalls` counts calls that left the fast path; with `successesWithoutRetry` it is the call
   * count the budget reads.
   *
   * Order in record(): counters first, then the suppressed exceptions, then listeners, then the
   * log. A listener runs after the counts, so whatever it throws (a VirtualMachineError
   * propagates, per the callback rule) the counts are already consistent.
   */

  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
  private static final Listeners.Event<RetryListener> RETRY =
      (l, cause, attempt, delayNanos) -> l.onRetry((int) attempt, delayNanos, cause);
  private static final Listeners.Event<RetryListener> GIVE_UP =
      (l, cause, attempts, unused) -> l.onGiveUp((int) attempts, cause);
  private static final Listeners.Event<RetryListener> BUDGET_EXHAUSTED =
      (l, unused, unused2, unused3) -> l.onBudgetExhausted();

  private final String name;
  private final Ticker ticker;
  private final boolean countCalls;
  private final @Nullable Budget budget;
  private final Listeners<RetryListener> listeners;
  private final ThrottledLog schedulerLog;
  private final ThrottledLog stageLog;

  final LongAdder successesWithoutRetry = new LongAdder();
  private final LongAdder slowCalls = new LongAdder();
  private final LongAdder successesAfterRetry = new LongAdder();
  private final LongAdder failuresWithoutRetry = new LongAdder();
  private final LongAdder failuresAfterRetry = new LongAdder();
  private final LongAdder rejections = new LongAdder();
  private final LongAdder budgetRefusals = new LongAdder();
  private final LongAdder retries = new LongAdder();

  Ledger(String name, RetryConfig config, Ticker ticker) {
    this.name = name;
    this.ticker = ticker;
    this.countCalls = config.countCalls();
    this.schedulerLog = new ThrottledLog(LOG, name, ticker);
    this.stageLog = new ThrottledLog(LOG, name, ticker);
    this.listeners = new Listeners<>("retry '" + name + "'", new ThrottledLog(LOG, name, ticker));
    Duration window = config.budgetWindow();
    LongAdder fast = successesWithoutRetry;
    LongAdder slow = slowCalls;
    this.budget =
        window == null
            ? null
            : new Budget(
                config.budgetRatio(),
                config.budgetMinRetriesPerSecond(),
                window.toNanos(),
                ticker.read(),
                () -> fast.sum() + slow.sum());
  }

  @Nullable Budget budget() {
    return budget;
  }

  boolean countsCalls() {
    return countCalls;
  }

  RetryStats stats() {
    return new RetryStats(
        countCalls,
        successesWithoutRetry.sum(),
        successesAfterRetry.sum(),
        failuresWithoutRetry.sum(),
        failuresAfterRetry.sum(),
        rejections.sum(),
        budgetRefusals.sum(),
        retries.sum());
  }

  Subscription addListener(RetryListener listener) {
    return listeners.add(listener);
  }

  /** A call left the fast path: its first attempt did not end in an accepted result. */
  void slowCall() {
    slowCalls.increment();
  }

  /** A retry starts. */
  void retry() {
    retries.increment();
  }

  /**
   * A call ended on its first attempt because the result predicate threw a VirtualMachineError on
   * the fast path: counted as a failure without retry, before the error goes to the caller.
   */
  void failedOnFastPath() {
    slowCalls.increment();
    failuresWithoutRetry.increment();
  }

  /**
   * Counts how a call ended, adds earlier exceptions to the last as suppressed, notifies the
   * listeners and logs. Called once per call that left the fast path. A listener's
   * VirtualMachineError propagates, after the counts.
   *
   * @param error the exception the caller gets, or null
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
      budgetRefusals.increment();
    } else {
      (retried ? failuresAfterRetry : failuresWithoutRetry).increment();
    }
    if (code == CALLBACK_FAILED || code == CANCELLED) {
      return; // no suppression into an error Ballast did not see coming, no event, no log
    }
    if (error != null) {
      a.suppressInto(error);
    }
    if (code == BUDGET) {
      budgetExhausted();
    }
    if (code <= GIVE_UP_ATTEMPTS) {
      gaveUp(a, code, error);
    }
  }

  /**
   * Tells the listeners a retry was decided.
   *
   * @param attempt the number of the attempt about to be made
   */
  void notifyRetry(int attempt, long delayNanos, @Nullable Throwable cause) {
    listeners.emit(RETRY, cause, attempt, delayNanos);
  }

  /** Cancels an attempt's stage once the caller's future is settled; what it throws is logged. */
  void cancelAttempt(CompletionStage<?> stage) {
    Stages.cancelAfterSettled(stage, stageLog);
  }

  /** Logs, rate-limited, that the scheduler or the executor refused a retry. */
  void refused(String what, RuntimeException e) {
    schedulerLog.warn(what + " refused a retry; giving up", e);
  }

  private void budgetExhausted() {
    listeners.emit(BUDGET_EXHAUSTED, null, 0L, 0L);
    Budget b = budget;
    if (b != null && LOG.isWarnEnabled()) {
      long now = ticker.read();
      if (b.shouldWarn(now)) {
        LOG.warn(
            "name={} retry budget exhausted: {} budgetRefusalsTotal={};"
                + " failures go to callers without retry",
            name,
            b.describe(now),
            budgetRefusals.sum());
      }
    }
  }

  private void gaveUp(Attempts a, long code, @Nullable Throwable error) {
    listeners.emit(GIVE_UP, error, a.attempt, 0L);
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

  /** What ended a call that gave up: record() passes only the give-up codes, -5 to -10 and -13. */
  private static String reason(long code) {
    if (code == GIVE_UP_ATTEMPTS) {
      return "maxAttempts";
    } else if (code == GIVE_UP_DURATION) {
      return "maxDuration";
    } else if (code == GIVE_UP_INTERRUPTED) {
      return "interrupted";
    } else if (code == GIVE_UP_STOPPED) {
      return "delayFunction";
    } else if (code == GIVE_UP_HINT) {
      return "backOffHint";
    } else if (code == BUDGET) {
      return "budget";
    }
    return "scheduler"; // GIVE_UP_SCHEDULER, the one code left
  }
}
