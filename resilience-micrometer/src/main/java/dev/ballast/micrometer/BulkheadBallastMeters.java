package dev.ballast.micrometer;

import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToIntFunction;

/**
 * A bulkhead's meters under Ballast's names: {@code ballast.bulkhead.*}, base units, the outcome in
 * a tag. Every one reads {@link Bulkhead#stats()}. The table in {@code docs/metrics.md} lists them,
 * and a test keeps the two equal.
 *
 * <p>Thread-safe: see {@link MeterSet}. The meters hold the bulkhead weakly.
 */
final class BulkheadBallastMeters extends MeterSet {
  static final String PREFIX = "ballast.bulkhead.";
  // One description for every series of a name: Prometheus shows one HELP line per family.
  static final String CALLS_DESCRIPTION =
      "Calls the bulkhead admitted or refused since it was created, by outcome";

  BulkheadBallastMeters(Bulkhead bulkhead, MeterList meters, Tags tags) {
    super(meters);
    String calls = PREFIX + "calls";
    countOf(
        calls,
        bulkhead,
        Bulkhead::stats,
        BulkheadStats::calls,
        CALLS_DESCRIPTION,
        "calls",
        tags.and("outcome", "admitted"));
    countOf(
        calls,
        bulkhead,
        Bulkhead::stats,
        BulkheadStats::rejections,
        CALLS_DESCRIPTION,
        "calls",
        tags.and("outcome", "rejected"));
    gauge(
        bulkhead,
        "in.flight",
        BulkheadStats::inFlight,
        "Calls admitted and not yet completed: the permits held now",
        tags);
    gauge(bulkhead, "waiting", BulkheadStats::waiting, "Callers waiting for a permit now", tags);
    gauge(
        bulkhead,
        "limit",
        BulkheadStats::maxConcurrentCalls,
        "The most calls the bulkhead admits at once now; follows every change of the limit",
        tags);
  }

  private void gauge(
      Bulkhead bulkhead,
      String name,
      ToIntFunction<BulkheadStats> figure,
      String description,
      Tags tags) {
    keep(
        Gauge.builder(PREFIX + name, bulkhead, b -> figure.applyAsInt(b.stats()))
            .description(description)
            .baseUnit("calls")
            .tags(tags)
            .register(registry));
  }
}
