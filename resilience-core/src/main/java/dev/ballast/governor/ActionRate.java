package dev.ballast.governor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The rate state of one action kind: one long, the instant at which the kind's spent permits will
 * all be free again (the "theoretical arrival time" of the generic cell rate algorithm), updated by
 * compare-and-set. Because the whole state is one number, a later module can keep it in a shared
 * store (a fleet-wide governor) with the same arithmetic.
 *
 * <p>An action of cost {@code c} moves the instant {@code c * interval} forward from {@code
 * max(instant, now)}; it is allowed when the instant stays within one period of now, so at most
 * {@code permits} actions fit in any period and, once the burst is spent, one per interval. An
 * action costing more than a whole period waits until every permit is free, then takes them.
 */
final class ActionRate {
  /** The answer when the action fits: no instant to wait for. */
  static final long NOW = Long.MIN_VALUE;

  /** The longest step, a century: far enough, and no overflow when added to a ticker instant. */
  private static final long MAX_STEP = 100L * 365 * 24 * 3600 * 1_000_000_000L;

  private final long intervalNanos;
  private final long periodNanos;
  private final AtomicLong freeAt;

  ActionRate(GovernorConfig.Rate rate, long now) {
    this(rate, new AtomicLong(now));
  }

  private ActionRate(GovernorConfig.Rate rate, AtomicLong freeAt) {
    this.periodNanos = rate.period().toNanos();
    this.intervalNanos = Math.max(1, periodNanos / rate.permits());
    this.freeAt = freeAt;
  }

  /** This kind at {@code rate}, sharing what it has spent: its next free time stays. */
  ActionRate retuned(GovernorConfig.Rate rate) {
    return new ActionRate(rate, freeAt);
  }

  /**
   * Takes an action of {@code cost} permits if it fits.
   *
   * @return {@link #NOW} when taken, else the ticker instant from which it would fit
   */
  long tryTake(long now, double cost) {
    long step = cost == 1 ? intervalNanos : step(cost);
    while (true) {
      long at = freeAt.get();
      long next = Math.max(at, now) + step;
      long over = next - now - Math.max(periodNanos, step);
      if (over > 0) {
        return now + over;
      }
      if (freeAt.compareAndSet(at, next)) {
        return NOW;
      }
    }
  }

  private long step(double cost) {
    double raw = (double) intervalNanos * cost;
    return raw >= (double) MAX_STEP ? MAX_STEP : (long) raw;
  }

  /** Takes an action whatever the rate (a person confirmed it). */
  void force(long now, double cost) {
    long step = step(cost);
    freeAt.getAndUpdate(at -> Math.max(at, now) + step);
  }
}
