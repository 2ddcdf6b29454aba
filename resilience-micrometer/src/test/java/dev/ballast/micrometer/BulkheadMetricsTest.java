package dev.ballast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadConfig;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

final class BulkheadMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Bulkhead bulkhead = Bulkheads.of("inventory", 2);

  @Test
  void countsAdmittedAndRejectedCallsSinceTheBulkheadWasCreated() {
    bulkhead.run(() -> {}); // before binding: still counted, as in stats()
    BulkheadMetrics.of(bulkhead).bindTo(registry);

    Bulkheads.fillAndRefuseOne(bulkhead, 2);
    Bulkheads.fillAndRefuseOne(bulkhead, 2);

    assertThat(calls("admitted")).isEqualTo(5);
    assertThat(calls("rejected")).isEqualTo(2);
  }

  @Test
  void gaugesTheCallsInFlight() {
    BulkheadMetrics.of(bulkhead).bindTo(registry);
    long first = Bulkheads.hold(bulkhead);
    long second = Bulkheads.hold(bulkhead);
    assertThat(gauge("ballast.bulkhead.in.flight")).isEqualTo(2.0);

    bulkhead.release(first);
    bulkhead.release(first); // a duplicate completion changes nothing

    assertThat(gauge("ballast.bulkhead.in.flight")).isEqualTo(1.0);
    bulkhead.release(second);
    assertThat(gauge("ballast.bulkhead.in.flight")).isZero();
  }

  @Test
  void theLimitGaugeFollowsEveryChangeOfTheLimit() {
    BulkheadMetrics.of(bulkhead).bindTo(registry);
    BulkheadMetrics.builder(bulkhead).resilience4jNames().build().bindTo(registry);
    assertThat(gauge("ballast.bulkhead.limit")).isEqualTo(2.0);
    long first = Bulkheads.hold(bulkhead);
    long second = Bulkheads.hold(bulkhead);

    bulkhead.changeMaxConcurrentCalls(5);
    assertThat(gauge("ballast.bulkhead.limit")).isEqualTo(5.0);
    assertThat(gauge("resilience4j.bulkhead.max.allowed.concurrent.calls")).isEqualTo(5.0);
    assertThat(gauge("resilience4j.bulkhead.available.concurrent.calls")).isEqualTo(3.0);

    // Lowered under the calls in flight: they finish, and no permit shows as available.
    bulkhead.changeMaxConcurrentCalls(1);
    assertThat(gauge("ballast.bulkhead.limit")).isEqualTo(1.0);
    assertThat(gauge("ballast.bulkhead.in.flight")).isEqualTo(2.0);
    assertThat(gauge("resilience4j.bulkhead.available.concurrent.calls")).isZero();

    bulkhead.release(first);
    bulkhead.release(second);
    assertThat(gauge("resilience4j.bulkhead.available.concurrent.calls")).isEqualTo(1.0);
    assertThat(gauge("ballast.bulkhead.in.flight")).isZero();
  }

  @Test
  void gaugesTheCallersWaitingForAPermit() {
    Bulkhead waits =
        Bulkhead.of(
            "stock",
            BulkheadConfig.builder()
                .maxConcurrentCalls(1)
                .maxWait(Duration.ofMinutes(1))
                .maxWaiters(4)
                .build());
    BulkheadMetrics.of(waits).bindTo(registry);
    long held = Bulkheads.hold(waits);

    CompletableFuture<String> waiter =
        CompletableFuture.supplyAsync(() -> waits.get(() -> "admitted"));
    await().until(() -> gauge("ballast.bulkhead.waiting", "stock") == 1.0);
    waits.release(held);

    assertThat(waiter.join()).isEqualTo("admitted");
    assertThat(gauge("ballast.bulkhead.waiting", "stock")).isZero();
    assertThat(
            registry
                .get("ballast.bulkhead.calls")
                .tags("name", "stock", "outcome", "admitted")
                .functionCounter()
                .count())
        .isEqualTo(2);
  }

  @Test
  void resilience4jNamesAreTheTwoGaugesWithoutBaseUnits() {
    BulkheadMetrics.builder(bulkhead).resilience4jNames().build().bindTo(registry);
    long held = Bulkheads.hold(bulkhead);

    assertThat(registry.getMeters().stream().map(m -> m.getId().getName()))
        .containsExactlyInAnyOrder(
            "resilience4j.bulkhead.available.concurrent.calls",
            "resilience4j.bulkhead.max.allowed.concurrent.calls");
    assertThat(registry.getMeters())
        .allSatisfy(m -> assertThat(m.getId().getType()).isEqualTo(Meter.Type.GAUGE))
        .allSatisfy(m -> assertThat(m.getId().getBaseUnit()).isNull());
    assertThat(gauge("resilience4j.bulkhead.available.concurrent.calls")).isEqualTo(1.0);
    assertThat(gauge("resilience4j.bulkhead.max.allowed.concurrent.calls")).isEqualTo(2.0);
    bulkhead.release(held);
  }

  @Test
  void namesTheBulkheadAndTheStyle() {
    assertThat(BulkheadMetrics.of(bulkhead)).hasToString("BulkheadMetrics[inventory]");
    assertThat(BulkheadMetrics.builder(bulkhead).resilience4jNames().build())
        .hasToString("BulkheadMetrics[inventory, resilience4jNames]");
  }

  private double calls(String outcome) {
    return registry
        .get("ballast.bulkhead.calls")
        .tags("name", "inventory", "outcome", outcome)
        .functionCounter()
        .count();
  }

  private double gauge(String name) {
    return gauge(name, "inventory");
  }

  private double gauge(String name, String bulkheadName) {
    return registry.get(name).tag("name", bulkheadName).gauge().value();
  }
}
