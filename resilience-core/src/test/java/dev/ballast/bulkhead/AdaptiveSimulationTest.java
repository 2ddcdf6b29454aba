package dev.ballast.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.IntSummaryStatistics;
import java.util.List;
import org.junit.jupiter.api.Test;

final class AdaptiveSimulationTest {
  private static final long MS = 1_000_000L;

  static AdaptiveLimit.Builder aimd() {
    return AdaptiveLimit.aimd()
        .latencyThreshold(Duration.ofMillis(13))
        .window(Duration.ofMillis(100))
        .sampling(1);
  }

  static AdaptiveLimit.Builder gradient() {
    return AdaptiveLimit.gradient().window(Duration.ofMillis(100)).sampling(1);
  }

  static IntSummaryStatistics limits(List<SimulatedDependency.Reading> readings) {
    return readings.stream().mapToInt(SimulatedDependency.Reading::limit).summaryStatistics();
  }

  @Test
  void trace() {
    for (AdaptiveLimit.Builder b : List.of(aimd(), gradient())) {
      SimulatedDependency sim = new SimulatedDependency(42, 20, 10 * MS, 4000).guardedBy(b.build());
      sim.runUntilSecond(60);
      sim.capacity(10);
      sim.runUntilSecond(120);
      sim.capacity(20);
      sim.runUntilSecond(300);
      for (int s = 0; s < 300; s += 5) {
        System.out.println(b.build().toString().substring(0, 20) + " t=" + s + " " + limits(sim.readings(s, s + 5)));
      }
    }
  }
}
