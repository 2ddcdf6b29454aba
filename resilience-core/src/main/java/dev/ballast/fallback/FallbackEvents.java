package dev.ballast.fallback;

import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.ListenerList;
import dev.ballast.internal.Suppression;
import dev.ballast.internal.ThrottledLog;
import java.util.Arrays;
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
   * Listeners: internal.ListenerList keeps a bounded copy-on-write array and publishes one listener
   * to call, the NOOP, the single listener or a FanOut, so nobody listening costs one reference
   * comparison on the fallback path and nothing on the success path. A listener's exception goes
   * through ThrottledLog.callbackThrew: logged (one line per interval on the fallback's ticker,
   * naming it) and ignored, except a VirtualMachineError, rethrown to the reporter: the sync
   * caller, or Fallback.settle, which completes the returned stage with it.
   *
   * A fallback function's exception reaches the caller with the call's exception suppressed, added
   * through internal.Suppression: at most Suppression.MAX, never twice, never to a
   * VirtualMachineError, so a shared exception thrown on every call does not grow.
   */

  static final FallbackListener NOOP = new FallbackListener() {};
  private static final String LISTENER_THREW = "listener threw; ignored";

  final LongAdder calls = new LongAdder();
  private final LongAdder exceptionFallbacks = new LongAdder();
  private final LongAdder resultFallbacks = new LongAdder();
  private final LongAdder rejectionFallbacks = new LongAdder();
  private final LongAdder fallbackFailures = new LongAdder();

  private final Logger log;
  private final String name;
  private final ListenerList<FallbackListener> listeners;
  private final ThrottledLog listenerLog;

  /** What a call's own stage throws when the caller's cancellation is passed on to it. */
  final ThrottledLog stageLog;

  FallbackEvents(Logger log, String name, Ticker ticker) {
    this.log = log;
    this.name = name;
    this.listenerLog = new ThrottledLog(log, name, ticker);
    this.stageLog = new ThrottledLog(log, name, ticker);
    this.listeners =
        new ListenerList<>(
            "fallback '" + name + "'", NOOP, all -> new FanOut(listenerLog, all), () -> {});
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
    FallbackListener l = listeners.current();
    if (l != NOOP) {
      try {
        l.onFallback(trigger, cause);
      } catch (Throwable e) {
        listenerLog.callbackThrew(e, LISTENER_THREW);
      }
    }
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
    FallbackListener l = listeners.current();
    if (l != NOOP) {
      try {
        l.onFallbackFailed(trigger, cause, error);
      } catch (Throwable e) {
        listenerLog.callbackThrew(e, LISTENER_THREW);
      }
    }
  }

  /** Delivers each event to several listeners, each guarded on its own. */
  static final class FanOut implements FallbackListener {
    private final ThrottledLog log;
    private final FallbackListener[] targets;

    FanOut(ThrottledLog log, Object[] targets) {
      this.log = log;
      this.targets = Arrays.copyOf(targets, targets.length, FallbackListener[].class);
    }

    @Override
    public void onFallback(FallbackTrigger trigger, @Nullable Throwable cause) {
      for (FallbackListener t : targets) {
        try {
          t.onFallback(trigger, cause);
        } catch (Throwable e) {
          log.callbackThrew(e, LISTENER_THREW);
        }
      }
    }

    @Override
    public void onFallbackFailed(
        FallbackTrigger trigger, @Nullable Throwable cause, Throwable error) {
      for (FallbackListener t : targets) {
        try {
          t.onFallbackFailed(trigger, cause, error);
        } catch (Throwable e) {
          log.callbackThrew(e, LISTENER_THREW);
        }
      }
    }
  }
}
