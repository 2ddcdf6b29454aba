package dev.ballast.timeout;

import dev.ballast.RejectedException;
import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.ListenerList;
import dev.ballast.internal.ThrottledLog;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/**
 * The figures and the listeners of one {@link Timeout}: counts each ended call, then tells the
 * listeners, guarded. Package-private; the timeout's calls report here.
 *
 * <p>Thread-safe and lock-free.
 */
final class TimeoutEvents {

  /*
   * Implementation notes.
   *
   * Counters are LongAdders, each incremented before the listeners hear of the outcome, so a
   * listener that throws never leaves a count out and stats() stays consistent whatever a
   * listener does.
   *
   * Listeners: internal.ListenerList, a bounded copy-on-write array and one published listener to
   * call (the no-op, the single listener or a FanOut). A listener's exception goes through the
   * one rule, ThrottledLog.callbackThrew: anything but a VirtualMachineError is logged (one line
   * per interval on the timeout's ticker, naming the timeout) and the event's reporter carries on;
   * a VirtualMachineError is rethrown to the reporter. Reporters: the sync caller's thread, where
   * it propagates to the caller once the call's state is settled; AsyncCall, which catches it and
   * completes the returned stage with it; an abandoned worker's thread, where it reaches the
   * executor (no caller is waiting any more).
   *
   * The warning about an outer timeout on another ticker is logged once per (inner) timeout: the
   * first thread to flip `outerTickerLogged` logs it. The misconfiguration does not come and go,
   * and one line names both timeouts.
   */

  static final TimeoutListener NOOP = new TimeoutListener() {};
  private static final String LISTENER_THREW = "listener threw; ignored";

  final LongAdder successes = new LongAdder();
  final LongAdder failures = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder timedOut = new LongAdder();
  final LongAdder abandonedRunning = new LongAdder();

  private final Logger log;
  private final String name;
  private final Ticker ticker;
  private final ListenerList<TimeoutListener> listeners;
  private final ThrottledLog listenerLog;

  /** What a call's own stage throws when the timeout cancels it. */
  final ThrottledLog stageLog;

  private final AtomicBoolean outerTickerLogged = new AtomicBoolean();

  TimeoutEvents(Logger log, String name, Ticker ticker) {
    this.log = log;
    this.name = name;
    this.ticker = ticker;
    this.listenerLog = new ThrottledLog(log, name, ticker);
    this.stageLog = new ThrottledLog(log, name, ticker);
    this.listeners =
        new ListenerList<>(
            "timeout '" + name + "'", NOOP, all -> new FanOut(listenerLog, all), () -> {});
  }

  Subscription add(TimeoutListener listener) {
    return listeners.add(listener);
  }

  TimeoutStats stats(Duration duration) {
    return new TimeoutStats(
        successes.sum(),
        failures.sum(),
        rejected.sum(),
        timedOut.sum(),
        Math.max(0L, abandonedRunning.sum()),
        duration);
  }

  /** A call returned in time. A listener's VirtualMachineError propagates once counted. */
  void succeeded(long start) {
    successes.increment();
    TimeoutListener l = listeners.current();
    if (l != NOOP) {
      try {
        l.onSuccess(ticker.read() - start);
      } catch (Throwable e) {
        listenerLog.callbackThrew(e, LISTENER_THREW);
      }
    }
  }

  /** A call threw in time, or was refused (a rejection is counted apart, never a failure). */
  void failed(long start, Throwable error) {
    boolean refusal = error instanceof RejectedException;
    (refusal ? rejected : failures).increment();
    TimeoutListener l = listeners.current();
    if (l != NOOP) {
      try {
        if (refusal) {
          l.onRejected(ticker.read() - start, (RejectedException) error);
        } else {
          l.onFailure(ticker.read() - start, error);
        }
      } catch (Throwable e) {
        listenerLog.callbackThrew(e, LISTENER_THREW);
      }
    }
  }

  /** A call's deadline passed. */
  void timedOut(long start) {
    timedOut.increment();
    TimeoutListener l = listeners.current();
    if (l != NOOP) {
      try {
        l.onTimeout(ticker.read() - start);
      } catch (Throwable e) {
        listenerLog.callbackThrew(e, LISTENER_THREW);
      }
    }
  }

  /** The work of an abandoned call really ended; reported on the worker's thread. */
  void abandonedFinished(long start) {
    abandonedRunning.decrement();
    TimeoutListener l = listeners.current();
    if (l != NOOP) {
      try {
        l.onAbandonedFinished(ticker.read() - start);
      } catch (Throwable e) {
        listenerLog.callbackThrew(e, LISTENER_THREW);
      }
    }
  }

  /** A call of this timeout runs inside {@code outer}, whose deadline cannot be compared. */
  void outerOnAnotherTicker(String outer) {
    if (!outerTickerLogged.get() && outerTickerLogged.compareAndSet(false, true)) {
      log.warn(
          "name={} runs inside timeout '{}', whose scheduler has another ticker: the outer deadline"
              + " is not enforced on this timeout's calls (give both timeouts schedulers on one"
              + " ticker)",
          name,
          outer);
    }
  }

  /** Delivers each event to several listeners, each guarded on its own. */
  static final class FanOut implements TimeoutListener {
    private final ThrottledLog log;
    private final TimeoutListener[] targets;

    FanOut(ThrottledLog log, Object[] targets) {
      this.log = log;
      this.targets = Arrays.copyOf(targets, targets.length, TimeoutListener[].class);
    }

    @Override
    public void onSuccess(long durationNanos) {
      for (TimeoutListener t : targets) {
        try {
          t.onSuccess(durationNanos);
        } catch (Throwable e) {
          log.callbackThrew(e, LISTENER_THREW);
        }
      }
    }

    @Override
    public void onFailure(long durationNanos, Throwable error) {
      for (TimeoutListener t : targets) {
        try {
          t.onFailure(durationNanos, error);
        } catch (Throwable e) {
          log.callbackThrew(e, LISTENER_THREW);
        }
      }
    }

    @Override
    public void onRejected(long durationNanos, RejectedException rejection) {
      for (TimeoutListener t : targets) {
        try {
          t.onRejected(durationNanos, rejection);
        } catch (Throwable e) {
          log.callbackThrew(e, LISTENER_THREW);
        }
      }
    }

    @Override
    public void onTimeout(long durationNanos) {
      for (TimeoutListener t : targets) {
        try {
          t.onTimeout(durationNanos);
        } catch (Throwable e) {
          log.callbackThrew(e, LISTENER_THREW);
        }
      }
    }

    @Override
    public void onAbandonedFinished(long durationNanos) {
      for (TimeoutListener t : targets) {
        try {
          t.onAbandonedFinished(durationNanos);
        } catch (Throwable e) {
          log.callbackThrew(e, LISTENER_THREW);
        }
      }
    }
  }
}
