package dev.ballast.micrometer;

import dev.ballast.queue.BackPressure;
import dev.ballast.queue.BoundedQueue;
import dev.ballast.queue.BoundedQueueStats;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * A bounded queue's meters: {@code ballast.queue.*}, base units, the outcome and the back
 * pressure's cause in tags. The table in {@code docs/metrics.md} lists them, and a test keeps the
 * two equal.
 *
 * <p>Thread-safe: see {@link MeterSet}. Every meter reads {@link BoundedQueue#stats()} when the
 * registry is scraped and holds the queue weakly.
 */
final class BoundedQueueMeters extends MeterSet {
  static final String PREFIX = "ballast.queue.";
  // One description for every series of a name: Prometheus shows one HELP line per family.
  static final String ELEMENTS_DESCRIPTION =
      "Elements the queue enqueued, dequeued, dropped, evicted or rejected";
  static final String CAUSE_DESCRIPTION =
      "1 for the queue's current back pressure (none, load, failure), 0 for the others";

  BoundedQueueMeters(BoundedQueue<?> queue, MeterList meters, Tags tags) {
    super(meters);
    elements(queue, tags, "enqueued", BoundedQueueStats::enqueues);
    elements(queue, tags, "dequeued", BoundedQueueStats::dequeues);
    elements(queue, tags, "dropped", BoundedQueueStats::drops);
    elements(queue, tags, "evicted", BoundedQueueStats::evictions);
    elements(queue, tags, "rejected", BoundedQueueStats::rejections);
    countOf(
        PREFIX + "failure.rejected.elements",
        queue,
        BoundedQueue::stats,
        BoundedQueueStats::failureRejections,
        "Elements rejected because no consumer took one for the stall time (also in rejected)",
        "elements",
        tags);
    for (BackPressure cause : BackPressure.values()) {
      keep(
          Gauge.builder(
                  PREFIX + "back.pressure", queue, q -> q.stats().backPressure() == cause ? 1 : 0)
              .description(CAUSE_DESCRIPTION)
              .baseUnit("state")
              .tags(tags)
              .tag("cause", cause.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
    keep(
        Gauge.builder(PREFIX + "size", queue, q -> q.stats().size())
            .description("Elements in the queue")
            .baseUnit("elements")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder(PREFIX + "capacity", queue, q -> q.stats().capacity())
            .description("The most elements the queue holds now")
            .baseUnit("elements")
            .tags(tags)
            .register(registry));
    keep(
        FunctionTimer.builder(
                PREFIX + "wait",
                queue,
                q -> q.stats().waits(),
                q -> q.stats().totalWait().toNanos(),
                TimeUnit.NANOSECONDS)
            .description(
                "How long elements waited in the queue, dequeued or evicted (when it measures"
                    + " waits)")
            .tags(tags)
            .register(registry));
  }

  private void elements(
      BoundedQueue<?> queue, Tags tags, String outcome, ToLongFunction<BoundedQueueStats> count) {
    countOf(
        PREFIX + "elements",
        queue,
        BoundedQueue::stats,
        count,
        ELEMENTS_DESCRIPTION,
        "elements",
        tags.and("outcome", outcome));
  }
}
