package dev.ballast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.governor.Governor;
import dev.ballast.testkit.ManualTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

final class GovernorMetricsTest {

  @Test
  void theMetersReadTheGovernorsDecisionsConfirmationsStateAndDivergence() {
    Governor governor = Governors.governor("autoscaler", new ManualTicker());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    GovernorMetrics.of(governor).bindTo(registry);

    Governors.everyVerdict(governor);

    assertThat(count(registry, "allowed")).isEqualTo(2);
    assertThat(count(registry, "delayed")).isEqualTo(1);
    assertThat(count(registry, "confirmation_required")).isEqualTo(1);
    assertThat(count(registry, "rejected")).isEqualTo(1);
    assertThat(registry.get("ballast.governor.confirmations").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("ballast.governor.state").tag("state", "paused").gauge().value())
        .isEqualTo(1);
    assertThat(registry.get("ballast.governor.state").tag("state", "running").gauge().value())
        .isZero();
    assertThat(registry.get("ballast.governor.divergence").gauge().value()).isEqualTo(0.5);
  }

  private static double count(SimpleMeterRegistry registry, String outcome) {
    return registry
        .get("ballast.governor.decisions")
        .tag("name", "autoscaler")
        .tag("outcome", outcome)
        .functionCounter()
        .count();
  }
}
