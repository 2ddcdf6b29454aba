package dev.ballast.circuitbreaker;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Trips after {@code consecutiveFailures} faults in a row (the threshold read from the settings at
 * each fault). Thread-safe and lock-free.
 *
 * <p>A success ends the streak. On the success path it only reads the streak, and writes when the
 * streak is not already zero; a success racing with a failure may erase that failure from the
 * streak, which is the order the two could have happened in anyway.
 */
final class ConsecutiveWindow extends TripWindow {
  private final AtomicInteger streak = new AtomicInteger();

  @Override
  boolean onSuccess(long now, BreakerSettings s) {
    // Plain read first: the common case, a streak of zero, writes nothing.
    if (streak.getPlain() != 0) {
      streak.set(0);
    }
    return false;
  }

  @Override
  boolean onFault(long now, boolean failure, boolean slow, BreakerSettings s) {
    return streak.incrementAndGet() >= s.consecutiveFailures;
  }

  @Override
  Figures figures(long now) {
    int s = streak.get();
    return new Figures(s, s, 0);
  }

  @Override
  boolean fits(BreakerSettings s) {
    return s.config.tripRule() == CircuitBreakerConfig.TripRule.CONSECUTIVE_FAILURES;
  }
}
