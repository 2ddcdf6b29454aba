package dev.ballast.circuitbreaker;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Trips after {@code threshold} faults in a row. Thread-safe and lock-free.
 *
 * <p>A success ends the streak. On the success path it only reads the streak, and writes when the
 * streak is not already zero; a success racing with a failure may erase that failure from the
 * streak, which is the order the two could have happened in anyway.
 */
final class ConsecutiveWindow extends TripWindow {
  private final int threshold;
  private final AtomicInteger streak = new AtomicInteger();

  ConsecutiveWindow(int threshold) {
    this.threshold = threshold;
  }

  @Override
  boolean onSuccess(long now) {
    // Plain read first: the common case, a streak of zero, writes nothing.
    if (streak.getPlain() != 0) {
      streak.set(0);
    }
    return false;
  }

  @Override
  boolean onFault(long now, boolean failure, boolean slow) {
    return streak.incrementAndGet() >= threshold;
  }

  @Override
  Figures figures(long now) {
    int s = streak.get();
    return new Figures(s, s, 0);
  }
}
