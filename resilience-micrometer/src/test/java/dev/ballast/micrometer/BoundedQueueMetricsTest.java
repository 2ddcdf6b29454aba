package dev.ballast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.queue.BoundedQueue;
import dev.ballast.testkit.ManualTicker;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class BoundedQueueMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ManualTicker ticker = new ManualTicker();
  private final BoundedQueue<String> queue = Queues.queue("spans", ticker);

  private double gauge(String name, String... tags) {
    return registry.get(name).tag("name", "spans").tags(tags).gauge().value();
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tag("name", "spans").tags(tags).functionCounter().count();
  }

  @Test
  void publishesTheElementsTheBackPressureAndTheWaitsAsTheStatsHaveThem() {
    BoundedQueueMetrics.of(queue).bindTo(registry);
    assertThat(gauge("ballast.queue.back.pressure", "cause", "none")).isEqualTo(1);
    assertThat(gauge("ballast.queue.capacity")).isEqualTo(2);

    Queues.fillStallAndRefuse(queue, ticker);

    assertThat(counter("ballast.queue.elements", "outcome", "enqueued")).isEqualTo(3);
    assertThat(counter("ballast.queue.elements", "outcome", "dequeued")).isEqualTo(1);
    assertThat(counter("ballast.queue.elements", "outcome", "rejected")).isEqualTo(2);
    assertThat(counter("ballast.queue.elements", "outcome", "dropped")).isZero();
    assertThat(counter("ballast.queue.failure.rejected.elements")).isEqualTo(1);
    assertThat(gauge("ballast.queue.size")).isEqualTo(2);
    assertThat(gauge("ballast.queue.back.pressure", "cause", "load")).isEqualTo(1);
    assertThat(gauge("ballast.queue.back.pressure", "cause", "none")).isZero();
    FunctionTimer wait = registry.get("ballast.queue.wait").tag("name", "spans").functionTimer();
    assertThat(wait.count()).isEqualTo(1);
    assertThat(wait.totalTime(TimeUnit.SECONDS)).isEqualTo(10);
  }

  @Test
  void theBinderNamesItsQueue() {
    assertThat(BoundedQueueMetrics.of(queue)).hasToString("BoundedQueueMetrics[spans]");
  }
}
