package dev.ballast.micrometer;

import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkheadStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToIntFunction;

/**
 * A thread-pool bulkhead's meters under Ballast's names: {@code ballast.bulkhead.pool.*}, base
 * units, the outcome in a tag. Every one reads {@link ThreadPoolBulkhead#stats()}. The table in
 * {@code docs/metrics.md} lists them, and a test keeps the two equal.
 *
 * <p>Thread-safe: see {@link MeterSet}. The meters hold the bulkhead weakly.
 */
final class ThreadPoolBulkheadBallastMeters extends MeterSet {
  static final String PREFIX = "ballast.bulkhead.pool.";
  // One description for every series of a name: Prometheus shows one HELP line per family.
  static final String CALLS_DESCRIPTION =
      "Tasks the thread-pool bulkhead admitted or refused since it was created, by outcome";

  ThreadPoolBulkheadBallastMeters(ThreadPoolBulkhead bulkhead, MeterList meters, Tags tags) {
    super(meters);
    String calls = PREFIX + "calls";
    countOf(
        calls,
        bulkhead,
        ThreadPoolBulkhead::stats,
        ThreadPoolBulkheadStats::calls,
        CALLS_DESCRIPTION,
        "calls",
        tags.and("outcome", "admitted"));
    countOf(
        calls,
        bulkhead,
        ThreadPoolBulkhead::stats,
        ThreadPoolBulkheadStats::rejections,
        CALLS_DESCRIPTION,
        "calls",
        tags.and("outcome", "rejected"));
    countOf(
        PREFIX + "cancelled",
        bulkhead,
        ThreadPoolBulkhead::stats,
        ThreadPoolBulkheadStats::cancellations,
        "Admitted tasks given up before they ran (their caller cancelled, or close() dropped them)"
            + " since the bulkhead was created",
        "calls",
        tags);
    gauge(
        bulkhead,
        "threads",
        ThreadPoolBulkheadStats::threads,
        "threads",
        "Threads alive now, busy or idle",
        tags);
    gauge(
        bulkhead,
        "active.threads",
        ThreadPoolBulkheadStats::activeThreads,
        "threads",
        "Threads holding a task now",
        tags);
    gauge(
        bulkhead,
        "queued",
        ThreadPoolBulkheadStats::queued,
        "calls",
        "Tasks waiting in the queue for a thread now",
        tags);
    gauge(
        bulkhead,
        "max.threads",
        ThreadPoolBulkheadStats::maxThreads,
        "threads",
        "The most threads the bulkhead runs",
        tags);
    gauge(
        bulkhead,
        "queue.capacity",
        ThreadPoolBulkheadStats::queueCapacity,
        "calls",
        "The most tasks that may wait in the queue",
        tags);
  }

  private void gauge(
      ThreadPoolBulkhead bulkhead,
      String name,
      ToIntFunction<ThreadPoolBulkheadStats> figure,
      String baseUnit,
      String description,
      Tags tags) {
    keep(
        Gauge.builder(PREFIX + name, bulkhead, b -> figure.applyAsInt(b.stats()))
            .description(description)
            .baseUnit(baseUnit)
            .tags(tags)
            .register(registry));
  }
}
