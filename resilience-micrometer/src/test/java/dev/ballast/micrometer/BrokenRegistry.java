package dev.ballast.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;

/** A registry whose counters and timers throw when updated, as a broken registry might. */
final class BrokenRegistry extends SimpleMeterRegistry {
  @Override
  protected Counter newCounter(Meter.Id id) {
    return new Counter() {
      @Override
      public void increment(double amount) {
        throw new IllegalStateException("counter broken: " + id.getName());
      }

      @Override
      public double count() {
        return 0;
      }

      @Override
      public Meter.Id getId() {
        return id;
      }
    };
  }

  @Override
  protected Timer newTimer(
      Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
    return new CumulativeTimer(id, clock, config, pauseDetector, getBaseTimeUnit(), false) {
      @Override
      protected void recordNonNegative(long amount, TimeUnit unit) {
        throw new IllegalStateException("timer broken: " + id.getName());
      }
    };
  }
}
