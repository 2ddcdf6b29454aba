package dev.ballast.micrometer;

import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;

/**
 * A bulkhead's meters under the names, tags and units Resilience4j 2.x's tagged bulkhead metrics
 * publish ({@code resilience4j.bulkhead.available.concurrent.calls} and {@code
 * resilience4j.bulkhead.max.allowed.concurrent.calls}, gauges, no base unit), so that dashboards
 * and alerts written for Resilience4j keep working. The table in {@code docs/metrics.md} lists
 * them.
 *
 * <p>Thread-safe: see {@link MeterSet}. The gauges hold the bulkhead weakly.
 */
final class BulkheadResilience4jMeters extends MeterSet {
  static final String PREFIX = "resilience4j.bulkhead.";

  BulkheadResilience4jMeters(Bulkhead bulkhead, MeterList meters, Tags tags) {
    super(meters);
    keep(
        Gauge.builder(PREFIX + "available.concurrent.calls", bulkhead, b -> available(b.stats()))
            .description("The number of available permissions")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder(
                PREFIX + "max.allowed.concurrent.calls",
                bulkhead,
                b -> b.stats().maxConcurrentCalls())
            .description("The maximum number of available permissions")
            .tags(tags)
            .register(registry));
  }

  /** Permits free now; 0, not below, while more calls are in flight than a lowered limit. */
  static int available(BulkheadStats stats) {
    return Math.max(0, stats.maxConcurrentCalls() - stats.inFlight());
  }
}
