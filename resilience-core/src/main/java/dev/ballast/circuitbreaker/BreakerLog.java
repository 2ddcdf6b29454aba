package dev.ballast.circuitbreaker;

import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log lines of a {@link CircuitBreaker}: one per transition (WARN when opening, INFO otherwise)
 * and one per shadow-mode report; nothing per call. Events to listeners go through the breaker's
 * {@code internal.Listeners}, not through here. Thread-safe; allocates only when something is
 * logged.
 */
final class BreakerLog {
  static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);

  private final String name;

  BreakerLog(String name) {
    this.name = name;
  }

  /** A DISABLED breaker's rule crossed its threshold: one WARN line. */
  void thresholdCrossed(CircuitBreakerConfig.TripRule rule, TripWindow.Figures f) {
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
  }

  /** A transition that won its CAS. */
  void transition(BreakerState from, BreakerState to, @Nullable String cause) {
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
      if (o.hintNanos >= 0) {
        sb.append(" hintMs=").append(o.hintNanos / 1_000_000);
      }
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
}
