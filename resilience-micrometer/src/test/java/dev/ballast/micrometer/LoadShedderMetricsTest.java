package dev.ballast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.shed.LoadShedder;
import dev.ballast.testkit.ManualTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

final class LoadShedderMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ManualTicker ticker = new ManualTicker();
  private final LoadShedder shedder = Sheds.shedder("api", ticker);

  private double gauge(String name, String... tags) {
    return registry.get(name).tag("name", "api").tags(tags).gauge().value();
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tag("name", "api").tags(tags).functionCounter().count();
  }

  @Test
  void publishesTheCallsTheStateAndTheWindowAsTheStatsHaveThem() {
    LoadShedderMetrics.of(shedder).bindTo(registry);
    assertThat(gauge("ballast.shed.state", "state", "admitting")).isEqualTo(1);
    assertThat(gauge("ballast.shed.target")).isEqualTo(0.1);

    Sheds.overload(shedder, ticker);

    assertThat(counter("ballast.shed.calls", "outcome", "admitted")).isEqualTo(6); // 5 + probe
    assertThat(counter("ballast.shed.calls", "outcome", "rejected")).isEqualTo(2);
    assertThat(counter("ballast.shed.probe.calls")).isEqualTo(1);
    assertThat(gauge("ballast.shed.state", "state", "shedding")).isEqualTo(1);
    assertThat(gauge("ballast.shed.state", "state", "admitting")).isZero();
    assertThat(gauge("ballast.shed.window.samples")).isEqualTo(6);
    assertThat(gauge("ballast.shed.window.mean")).isEqualTo(0.15);
  }

  @Test
  void theBinderNamesItsShedder() {
    assertThat(LoadShedderMetrics.of(shedder)).hasToString("LoadShedderMetrics[api]");
  }
}
