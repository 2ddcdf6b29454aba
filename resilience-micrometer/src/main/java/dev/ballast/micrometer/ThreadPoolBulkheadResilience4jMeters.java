package dev.ballast.micrometer;

import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkheadStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToIntFunction;

/**
 * A thread-pool bulkhead's meters under the names, tags and units Resilience4j 2.x's tagged
 * thread-pool bulkhead metrics publish: seven gauges {@code resilience4j.bulkhead.*} (queue depth
 * and capacity, thread pool size, its core and maximum, active and available threads), no base
 * unit, so that dashboards and alerts written for Resilience4j keep working. The table in {@code
 * docs/metrics.md} lists them and says what differs.
 *
 * <p>Thread-safe: see {@link MeterSet}. The gauges hold the bulkhead weakly.
 */
final class ThreadPoolBulkheadResilience4jMeters extends MeterSet {
  static final String PREFIX = "resilience4j.bulkhead.";

  ThreadPoolBulkheadResilience4jMeters(ThreadPoolBulkhead bulkhead, MeterList meters, Tags tags) {
    super(meters);
    gauge(bulkhead, "queue.depth", ThreadPoolBulkheadStats::queued, "The queue depth", tags);
    gauge(
        bulkhead,
        "thread.pool.size",
        ThreadPoolBulkheadStats::threads,
        "The thread pool size",
        tags);
    gauge(
        bulkhead,
        "queue.capacity",
        ThreadPoolBulkheadStats::queueCapacity,
        "The queue capacity",
        tags);
    gauge(
        bulkhead,
        "max.thread.pool.size",
        ThreadPoolBulkheadStats::maxThreads,
        "The maximum thread pool size",
        tags);
    // No core size: threads start before tasks queue, up to maxThreads, and idle ones all end
    // after keepAlive, as in a ThreadPoolExecutor whose core size is its maximum.
    gauge(
        bulkhead,
        "core.thread.pool.size",
        ThreadPoolBulkheadStats::maxThreads,
        "The core thread pool size",
        tags);
    gauge(
        bulkhead,
        "active.thread.count",
        ThreadPoolBulkheadStats::activeThreads,
        "The number of active threads",
        tags);
    gauge(
        bulkhead,
        "available.thread.count",
        ThreadPoolBulkheadResilience4jMeters::available,
        "The maximum thread pool size minus the active threads",
        tags);
  }

  /** Threads that could still take a task now: the maximum minus those holding one. */
  static int available(ThreadPoolBulkheadStats stats) {
    return stats.maxThreads() - stats.activeThreads();
  }

  private void gauge(
      ThreadPoolBulkhead bulkhead,
      String name,
      ToIntFunction<ThreadPoolBulkheadStats> figure,
      String description,
      Tags tags) {
    keep(
        Gauge.builder(PREFIX + name, bulkhead, b -> figure.applyAsInt(b.stats()))
            .description(description)
            .tags(tags)
            .register(registry));
  }
}
