package dev.ballast.fallback;

import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.Listeners;
import dev.ballast.internal.Suppression;
import dev.ballast.internal.ThrottledLog;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The counts and the listeners of one {@link Fallback}: records each call's way out, then tells the
 * listeners, guarded. Package-private; the fallback reports here.
 *
 * <p>Thread-safe and lock-free.
 */
final class FallbackEvents {

  /*
   * Implementation notes.
   *
   * Counters are LongAdders: calls, one per trigger for substitutes served, and fallback failures.
   * A call is counted once at entry and at most once at exit, each count before the listeners
   * hear of it, so stats() is consistent up to the calls in flight whatever a listener does (each
   * sum() is read separately; the snapshot is not atomic).
   *
   * Listeners: internal.Listeners, the one listener path: nobody listening costs one volatile read
   * on the fallback path and nothing on the success path. A listener's exception is logged (one
   * line per interval on the fallback's ticker, naming it) and ignored, except a
   * VirtualMachineError, rethrown once every listener heard the event, to the reporter: the sync
   * caller, or Fallback.settle, which completes the returned stage with it.
   *
   * A fallback function's exception reaches the caller with the call's exception suppressed, added
   * through internal.Suppression: at most Suppression.MAX, never twice, never to a
   * VirtualMachineError, so a shared exception thrown on every call does not grow.
   */

  private static final Listeners.Event1<FallbackListener, FallbackTrigger> SERVED =
      (l, trigger, cause, unused, unused2) -> l.onFallback(trigger, cause);
  // Three arguments: the trigger travels as a number, the call's exception in the error slot.
  private static final Listeners.Event1<FallbackListener, Throwable> FAILED =
      (l, error, cause, trigger, unused) -> l.onFallbackFailed(trigger(trigger), cause, error);

  final LongAdder calls = new LongAdder();
  private final LongAdder exceptionFallbacks = new LongAdder();
  private final LongAdder resultFallbacks = new LongAdder();
  private final LongAdder rejectionFallbacks = new LongAdder();
  private final LongAdder fallbackFailures = new LongAdder();

  private final Logger log;
  private final String name;
  private final Listeners<FallbackListener> listeners;

  /** What a call's own stage throws when the caller's cancellation is passed on to it. */
  final ThrottledLog stageLog;

  FallbackEvents(Logger log, String name, Ticker ticker) {
    this.log = log;
    this.name = name;
    this.stageLog = new ThrottledLog(log, name, ticker);
    this.listeners =
        new Listeners<>("fallback '" + name + "'", new ThrottledLog(log, name, ticker));
  }

  Subscription add(FallbackListener listener) {
    return listeners.add(listener);
  }

  FallbackStats stats() {
    return new FallbackStats(
        calls.sum(),
        exceptionFallbacks.sum(),
        resultFallbacks.sum(),
        rejectionFallbacks.sum(),
        fallbackFailures.sum());
  }

  /** A fallback function served a substitute. */
  void served(FallbackTrigger trigger, @Nullable Throwable cause) {
    switch (trigger) {
      case EXCEPTION -> exceptionFallbacks.increment();
      case REJECTION -> rejectionFallbacks.increment();
      case RESULT -> resultFallbacks.increment();
    }
    if (log.isDebugEnabled()) {
      log.debug(
          "name={} trigger={} cause={} fallback served",
          name,
          trigger,
          cause == null ? "result" : cause.getClass().getName());
    }
    listeners.emit(SERVED, trigger, cause, 0L, 0L);
  }

  /**
   * A fallback function threw {@code error}, which the caller gets with {@code cause} suppressed.
   */
  void failed(FallbackTrigger trigger, @Nullable Throwable cause, Throwable error) {
    if (cause != null) {
      boolean unused = Suppression.addCapped(error, cause);
    }
    fallbackFailures.increment();
    if (log.isDebugEnabled()) {
      log.debug(
          "name={} trigger={} cause={} fallback threw {}",
          name,
          trigger,
          cause == null ? "result" : cause.getClass().getName(),
          error.getClass().getName());
    }
    listeners.emit(FAILED, error, cause, number(trigger), 0L);
  }

  private static long number(FallbackTrigger trigger) {
    return switch (trigger) {
      case EXCEPTION -> 0;
      case REJECTION -> 1;
      case RESULT -> 2;
    };
  }

  private static FallbackTrigger trigger(long number) {
    return number == 0
        ? FallbackTrigger.EXCEPTION
        : number == 1 ? FallbackTrigger.REJECTION : FallbackTrigger.RESULT;
  }
}
