package dev.ballast.circuitbreaker;

import static dev.ballast.circuitbreaker.CircuitBreaker.FAILURE;
import static dev.ballast.circuitbreaker.CircuitBreaker.IGNORED;
import static dev.ballast.circuitbreaker.CircuitBreaker.SUCCESS;

import dev.ballast.BackOffHint;
import dev.ballast.OutcomeClassifier;
import dev.ballast.Ticker;
import dev.ballast.internal.ThrottledLog;
import java.time.Duration;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The user callbacks that judge one outcome for a {@link CircuitBreaker}: the classifier's
 * predicates (success, failure or ignored), the {@linkplain BackOffHint back-off hint} and the
 * open-at-once predicate. It hands the verdict to the breaker, which records it. Thread-safe:
 * immutable but for its throttled logs.
 */
final class Judge {

  /*
   * Implementation notes.
   *
   * User callbacks. A classifier predicate, hint function or open-at-once predicate that throws
   * anything but a VirtualMachineError is logged through a ThrottledLog naming the breaker and
   * ignored: the classifier's default applies (an exception is a failure, a result a success), the
   * outcome carries no hint, the breaker does not open at once. A VirtualMachineError is rethrown
   * only after the breaker recorded the outcome (complete() returned), so the state is consistent
   * whatever propagates; once one was caught, no further callback is asked about that outcome.
   *
   * Verdicts. complete() takes the outcome (SUCCESS, FAILURE or IGNORED, as the classifier said)
   * and a hint: NO_HINT; OPEN_AT_ONCE (the open-at-once predicate matched: open for the breaker's
   * own wait); or the hint in nanoseconds, >= 0 and at most the configured cap. The hint function
   * is asked first; the open-at-once predicate only about an error that carries no hint.
   *
   * Success path. The breaker asks the judge about a result only when the classifier inspects
   * results or a hint function is set; otherwise a success never comes here. With a hint function,
   * every completion asks it, so its usual answer (null) must cost nothing: here a null answer is
   * one comparison, and nothing is allocated.
   */

  static final long NO_HINT = -1;
  static final long OPEN_AT_ONCE = -2;

  private static final String RESULT_PREDICATE_THREW =
      "classifier's result predicate threw; counting a success";
  private static final String HINT_THREW = "backOffHint threw; the outcome carries no hint";

  private final OutcomeClassifier classifier;
  private final boolean inspectsResults;
  private final @Nullable BackOffHint hint;
  private final Duration cap;
  private final @Nullable Predicate<? super Throwable> openAtOnce;
  private final ThrottledLog resultPredicateLog;
  private final ThrottledLog errorPredicateLog;
  private final ThrottledLog hintLog;
  private final ThrottledLog openAtOnceLog;

  Judge(String name, CircuitBreakerConfig config, Ticker ticker) {
    this.classifier = config.classifier();
    this.inspectsResults = classifier.inspectsResults();
    this.hint = config.backOffHint();
    Duration c = config.backOffHintCap();
    this.cap = c == null ? Duration.ZERO : c;
    this.openAtOnce = config.openAtOnceOn();
    this.resultPredicateLog = new ThrottledLog(BreakerLog.LOG, name, ticker);
    this.errorPredicateLog = new ThrottledLog(BreakerLog.LOG, name, ticker);
    this.hintLog = new ThrottledLog(BreakerLog.LOG, name, ticker);
    this.openAtOnceLog = new ThrottledLog(BreakerLog.LOG, name, ticker);
  }

  /** Whether a returned value must be judged: otherwise it is a success without a hint. */
  boolean judgesResults() {
    return inspectsResults || hint != null;
  }

  /** Judges a returned value and has the breaker record it. */
  void onResult(CircuitBreaker breaker, long permit, @Nullable Object result) {
    int outcome = SUCCESS;
    VirtualMachineError fatal = null;
    if (inspectsResults) {
      try {
        if (classifier.classifyResult(result) == OutcomeClassifier.Outcome.FAILURE) {
          outcome = FAILURE;
        }
      } catch (Throwable e) {
        fatal = resultPredicateLog.callbackThrewDeferred(e, RESULT_PREDICATE_THREW);
      }
    }
    long hinted = NO_HINT;
    BackOffHint h = hint;
    if (h != null && fatal == null) {
      try {
        hinted = nanos(h.backOff(result, null));
      } catch (Throwable e) {
        fatal = hintLog.callbackThrewDeferred(e, HINT_THREW);
      }
    }
    breaker.complete(permit, outcome, null, hinted);
    if (fatal != null) {
      throw fatal;
    }
  }

  /** Judges an exception and has the breaker record it. */
  void onError(CircuitBreaker breaker, long permit, Throwable error) {
    int outcome;
    VirtualMachineError fatal = null;
    try {
      OutcomeClassifier.Outcome o = classifier.classifyError(error);
      outcome =
          o == OutcomeClassifier.Outcome.FAILURE
              ? FAILURE
              : o == OutcomeClassifier.Outcome.SUCCESS ? SUCCESS : IGNORED;
    } catch (Throwable e) {
      // Built only on this error path (a predicate that throws), never on a call's own path.
      fatal =
          errorPredicateLog.callbackThrewDeferred(
              e,
              "classifier's predicate threw on "
                  + error.getClass().getName()
                  + "; counting a failure");
      outcome = FAILURE;
    }
    long hinted = NO_HINT;
    BackOffHint h = hint;
    if (h != null && fatal == null) {
      try {
        hinted = nanos(h.backOff(null, error));
      } catch (Throwable e) {
        fatal = hintLog.callbackThrewDeferred(e, HINT_THREW);
      }
    }
    Predicate<? super Throwable> open = openAtOnce;
    if (open != null && hinted == NO_HINT && fatal == null) {
      try {
        if (open.test(error)) {
          hinted = OPEN_AT_ONCE;
        }
      } catch (Throwable e) {
        fatal =
            openAtOnceLog.callbackThrewDeferred(
                e,
                "openAtOnceOn predicate threw on "
                    + error.getClass().getName()
                    + "; not opening at once");
      }
    }
    breaker.complete(permit, outcome, error, hinted);
    if (fatal != null) {
      throw fatal;
    }
  }

  /** A hint in nanoseconds, capped; NO_HINT for none, or for a negative one (logged). */
  private long nanos(@Nullable Duration d) {
    if (d == null) {
      return NO_HINT;
    }
    if (d.isNegative()) {
      hintLog.warn("backOffHint returned " + d + ", a negative back-off; no hint", null);
      return NO_HINT;
    }
    // Compared before converting: a huge Duration would overflow toNanos().
    return (d.compareTo(cap) > 0 ? cap : d).toNanos();
  }
}
