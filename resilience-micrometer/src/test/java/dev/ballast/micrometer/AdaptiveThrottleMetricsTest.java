package dev.ballast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.shed.AdaptiveThrottle;
import dev.ballast.shed.AdaptiveThrottleStats;
import dev.ballast.testkit.ManualTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

final class AdaptiveThrottleMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AdaptiveThrottle throttle = Sheds.throttle("backend", new ManualTicker());

  private double gauge(String name) {
    return registry.get(name).tag("name", "backend").gauge().value();
  }

  private double counter(String outcome) {
    return registry
        .get("ballast.throttle.calls")
        .tag("name", "backend")
        .tag("outcome", outcome)
        .functionCounter()
        .count();
  }

  @Test
  void publishesTheRequestsTheWindowAndTheRejectionProbabilityAsTheStatsHaveThem() {
    AdaptiveThrottleMetrics.of(throttle).bindTo(registry);
    assertThat(gauge("ballast.throttle.rejection.probability")).isZero();

    Sheds.refusals(throttle);

    AdaptiveThrottleStats stats = throttle.stats();
    assertThat(stats.rejections()).isPositive();
    assertThat(counter("admitted")).isEqualTo((double) stats.calls());
    assertThat(counter("rejected")).isEqualTo((double) stats.rejections());
    assertThat(counter("admitted") + counter("rejected")).isEqualTo(22);
    assertThat(gauge("ballast.throttle.window.requests")).isEqualTo(22);
    assertThat(gauge("ballast.throttle.window.accepts")).isEqualTo(2);
    assertThat(gauge("ballast.throttle.rejection.probability")).isEqualTo((22 - 2.0 * 2) / 23);
  }

  @Test
  void theBinderNamesItsThrottle() {
    assertThat(AdaptiveThrottleMetrics.of(throttle))
        .hasToString("AdaptiveThrottleMetrics[backend]");
  }
}
