package dev.ballast.circuitbreaker;

import dev.ballast.Ticker;
import dev.ballast.internal.ThrottledLog;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link CircuitBreaker} tells the outside world: its transition and shadow-mode log lines,
 * and the delivery of events to its listeners, each listener guarded on its own.
 *
 * <p>The one rule for a listener that throws: anything but a {@link VirtualMachineError} is logged
 * through a {@link ThrottledLog} naming the breaker (at most one line per interval, with a count of
 * those suppressed) and ignored; a {@code VirtualMachineError} is rethrown once every listener has
 * heard the event. Callers invoke these methods only after the state change they report, so the
 * breaker is consistent whatever propagates. Thread-safe; allocates only when something is logged.
 */
final class BreakerEvents {
  static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);
  private static final String LISTENER_THREW = "listener threw; ignored";
  static final CircuitBreakerListener NOOP = new CircuitBreakerListener() {};
  static final int SUCCESS = 0;
  static final int FAILURE = 1;
  static final int IGNORED = 2;

  private final String name;
  final ThrottledLog listenerLog;

  BreakerEvents(String name, Ticker ticker) {
    this.name = name;
    this.listenerLog = new ThrottledLog(LOG, name, ticker);
  }

  /** The listener that delivers to every one of {@code targets}, each guarded on its own. */
  CircuitBreakerListener fanOut(Object[] targets) {
    return new FanOut(this, targets);
  }

  void rejected(CircuitBreakerListener l, CircuitBreakerState state) {
    try {
      l.onRejected(state);
    } catch (Throwable e) {
      threw(e);
    }
  }

  void outcome(
      CircuitBreakerListener l,
      int outcome,
      long duration,
      boolean slow,
      @Nullable Throwable error) {
    try {
      if (outcome == SUCCESS) {
        l.onSuccess(duration);
      } else if (outcome == FAILURE) {
        l.onFailure(duration, error);
      } else {
        l.onIgnored(duration, error);
      }
      if (slow) {
        l.onSlowCall(duration);
      }
    } catch (Throwable e) {
      threw(e);
    }
  }

  /** Logs a transition that won its CAS, then tells the listener. */
  void transition(
      CircuitBreakerListener l, BreakerState from, BreakerState to, @Nullable String cause) {
    log(from, to, cause);
    if (l != NOOP) {
      try {
        l.onStateTransition(from.kind, to.kind);
      } catch (Throwable e) {
        threw(e);
      }
    }
  }

  /** A DISABLED breaker's rule crossed its threshold: one WARN line, then the listener. */
  void thresholdCrossed(
      CircuitBreakerListener l, CircuitBreakerConfig.TripRule rule, TripWindow.Figures f) {
    if (LOG.isWarnEnabled()) {
      StringBuilder sb =
          new StringBuilder(160)
              .append("name=")
              .append(name)
              .append(" state=DISABLED threshold crossed, not enforced: rule=")
              .append(rule);
      figures(sb, f);
      LOG.warn(sb.toString());
    }
    if (l != NOOP) {
      try {
        l.onThresholdCrossed(f.failureRate(), f.slowCallRate(), f.calls);
      } catch (Throwable e) {
        threw(e);
      }
    }
  }

  /** The one rule: a VirtualMachineError propagates, anything else is logged and ignored. */
  private void threw(Throwable e) {
    listenerLog.callbackThrew(e, LISTENER_THREW);
  }

  private void log(BreakerState from, BreakerState to, @Nullable String cause) {
    boolean warn =
        to.kind == CircuitBreakerState.OPEN || to.kind == CircuitBreakerState.FORCED_OPEN;
    if (warn ? !LOG.isWarnEnabled() : !LOG.isInfoEnabled()) {
      return;
    }
    StringBuilder sb = new StringBuilder(160);
    sb.append("name=")
        .append(name)
        .append(" from=")
        .append(from.kind)
        .append(" to=")
        .append(to.kind);
    if (from instanceof BreakerState.Measuring m) {
      CircuitBreakerStats.Trip trip = to.lastTrip;
      // A trip carries the figures that caused it; otherwise read the window now.
      figures(
          sb,
          trip != null && trip != from.lastTrip ? trip.figures() : m.window.figures(to.enteredAt));
    } else if (from instanceof BreakerState.HalfOpen h) {
      sb.append(" probes=")
          .append(h.granted.get())
          .append(" probeSuccesses=")
          .append(h.successes.get());
    }
    if (to instanceof BreakerState.Open o) {
      sb.append(" trips=")
          .append(o.trips)
          .append(" waitMs=")
          .append((o.until - o.enteredAt) / 1_000_000);
    }
    if (cause != null) {
      sb.append(" cause=\"").append(cause).append('"');
    }
    if (warn) {
      LOG.warn(sb.toString());
    } else {
      LOG.info(sb.toString());
    }
  }

  private static void figures(StringBuilder sb, TripWindow.Figures f) {
    sb.append(" failureRate=")
        .append(String.format(Locale.ROOT, "%.2f", f.failureRate()))
        .append(" slowCallRate=")
        .append(String.format(Locale.ROOT, "%.2f", f.slowCallRate()))
        .append(" calls=")
        .append(f.calls)
        .append(" failures=")
        .append(f.failures);
  }

  /** Delivers each event to several listeners, each guarded on its own. */
  static final class FanOut implements CircuitBreakerListener {
    private final BreakerEvents events;
    private final CircuitBreakerListener[] targets;

    FanOut(BreakerEvents events, Object[] targets) {
      this.events = events;
      this.targets = Arrays.copyOf(targets, targets.length, CircuitBreakerListener[].class);
    }

    /** Logs a non-fatal throw; keeps the first VirtualMachineError to rethrow at the end. */
    private @Nullable VirtualMachineError guard(
        Throwable e, @Nullable VirtualMachineError pending) {
      VirtualMachineError fatal = events.listenerLog.callbackThrewDeferred(e, LISTENER_THREW);
      return pending != null ? pending : fatal;
    }

    private static void rethrow(@Nullable VirtualMachineError pending) {
      if (pending != null) {
        throw pending;
      }
    }

    @Override
    public void onStateTransition(CircuitBreakerState from, CircuitBreakerState to) {
      VirtualMachineError pending = null;
      for (CircuitBreakerListener t : targets) {
        try {
          t.onStateTransition(from, to);
        } catch (Throwable e) {
          pending = guard(e, pending);
        }
      }
      rethrow(pending);
    }

    @Override
    public void onRejected(CircuitBreakerState state) {
      VirtualMachineError pending = null;
      for (CircuitBreakerListener t : targets) {
        try {
          t.onRejected(state);
        } catch (Throwable e) {
          pending = guard(e, pending);
        }
      }
      rethrow(pending);
    }

    @Override
    public void onSuccess(long durationNanos) {
      VirtualMachineError pending = null;
      for (CircuitBreakerListener t : targets) {
        try {
          t.onSuccess(durationNanos);
        } catch (Throwable e) {
          pending = guard(e, pending);
        }
      }
      rethrow(pending);
    }

    @Override
    public void onFailure(long durationNanos, @Nullable Throwable error) {
      VirtualMachineError pending = null;
      for (CircuitBreakerListener t : targets) {
        try {
          t.onFailure(durationNanos, error);
        } catch (Throwable e) {
          pending = guard(e, pending);
        }
      }
      rethrow(pending);
    }

    @Override
    public void onIgnored(long durationNanos, @Nullable Throwable error) {
      VirtualMachineError pending = null;
      for (CircuitBreakerListener t : targets) {
        try {
          t.onIgnored(durationNanos, error);
        } catch (Throwable e) {
          pending = guard(e, pending);
        }
      }
      rethrow(pending);
    }

    @Override
    public void onSlowCall(long durationNanos) {
      VirtualMachineError pending = null;
      for (CircuitBreakerListener t : targets) {
        try {
          t.onSlowCall(durationNanos);
        } catch (Throwable e) {
          pending = guard(e, pending);
        }
      }
      rethrow(pending);
    }

    @Override
    public void onThresholdCrossed(double failureRate, double slowCallRate, long calls) {
      VirtualMachineError pending = null;
      for (CircuitBreakerListener t : targets) {
        try {
          t.onThresholdCrossed(failureRate, slowCallRate, calls);
        } catch (Throwable e) {
          pending = guard(e, pending);
        }
      }
      rethrow(pending);
    }
  }
}
