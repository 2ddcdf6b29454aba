package dev.ballast.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A registry whose counters throw when incremented, as a broken registry might. */
final class ThrowingCounterRegistry extends SimpleMeterRegistry {
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
}
