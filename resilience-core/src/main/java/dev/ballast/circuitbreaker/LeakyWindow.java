package dev.ballast.circuitbreaker;

import dev.ballast.Ticker;
import dev.ballast.faultcounter.FaultCounter;
import java.time.Duration;

/**
 * Trips when a leaky bucket of faults overflows. Thread-safe and lock-free; a success writes
 * nothing.
 */
final class LeakyWindow extends TripWindow {
  private final FaultCounter bucket;

  LeakyWindow(int capacity, Duration leakInterval, Ticker ticker) {
    this.bucket = FaultCounter.of(capacity, leakInterval, ticker);
  }

  @Override
  boolean onSuccess(long now) {
    return false;
  }

  @Override
  boolean onFault(long now, boolean failure, boolean slow) {
    return bucket.recordFault();
  }

  @Override
  Figures figures(long now) {
    long level = bucket.level();
    return new Figures(level, level, 0);
  }
}
