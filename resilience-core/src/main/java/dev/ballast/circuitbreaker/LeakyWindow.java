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
  private final int capacity;
  private final Duration leakInterval;

  LeakyWindow(int capacity, Duration leakInterval, Ticker ticker) {
    this.capacity = capacity;
    this.leakInterval = leakInterval;
    this.bucket = FaultCounter.of(capacity, leakInterval, ticker);
  }

  @Override
  boolean onSuccess(long now, BreakerSettings s) {
    return false;
  }

  @Override
  boolean onFault(long now, boolean failure, boolean slow, BreakerSettings s) {
    return bucket.recordFault();
  }

  @Override
  Figures figures(long now) {
    long level = bucket.level();
    return new Figures(level, level, 0);
  }

  @Override
  boolean fits(BreakerSettings s) {
    return s.config.tripRule() == CircuitBreakerConfig.TripRule.LEAKY_BUCKET
        && s.config.bucketCapacity() == capacity
        && s.config.leakInterval().equals(leakInterval);
  }
}
