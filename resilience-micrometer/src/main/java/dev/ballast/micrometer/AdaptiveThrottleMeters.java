package dev.ballast.micrometer;

import dev.ballast.shed.AdaptiveThrottle;
import dev.ballast.shed.AdaptiveThrottleStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;

/**
 * An adaptive throttle's meters: {@code ballast.throttle.*}, base units, the outcome in a tag. The
 * table in {@code docs/metrics.md} lists them, and a test keeps the two equal.
 *
 * <p>Thread-safe: see {@link MeterSet}. Every meter reads {@link AdaptiveThrottle#stats()} when the
 * registry is scraped and holds the throttle weakly.
 */
final class AdaptiveThrottleMeters extends MeterSet {
  static final String PREFIX = "ballast.throttle.";
  // One description for every series of a name: Prometheus shows one HELP line per family.
  static final String CALLS_DESCRIPTION =
      "Requests the adaptive throttle let through or refused locally";

  AdaptiveThrottleMeters(AdaptiveThrottle throttle, MeterList meters, Tags tags) {
    super(meters);
    countOf(
        PREFIX + "calls",
        throttle,
        AdaptiveThrottle::stats,
        AdaptiveThrottleStats::calls,
        CALLS_DESCRIPTION,
        "calls",
        tags.and("outcome", "admitted"));
    countOf(
        PREFIX + "calls",
        throttle,
        AdaptiveThrottle::stats,
        AdaptiveThrottleStats::rejections,
        CALLS_DESCRIPTION,
        "calls",
        tags.and("outcome", "rejected"));
    keep(
        Gauge.builder(PREFIX + "window.requests", throttle, t -> t.stats().windowRequests())
            .description("Requests counted in the window, those refused locally included")
            .baseUnit("requests")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder(PREFIX + "window.accepts", throttle, t -> t.stats().windowAccepts())
            .description("Requests the backend accepted in the window")
            .baseUnit("accepts")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder(
                PREFIX + "rejection.probability",
                throttle,
                t -> t.stats().windowRejectionProbability())
            .description("The probability the next request is refused locally, from 0 to 1")
            .baseUnit("ratio")
            .tags(tags)
            .register(registry));
  }
}
