package dev.ballast.micrometer;

import dev.ballast.shed.LoadShedder;
import dev.ballast.shed.LoadShedderStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;

/**
 * A load shedder's meters: {@code ballast.shed.*}, base units, the outcome in a tag. The table in
 * {@code docs/metrics.md} lists them, and a test keeps the two equal.
 *
 * <p>Thread-safe: see {@link MeterSet}. Every meter reads {@link LoadShedder#stats()} when the
 * registry is scraped and holds the shedder weakly.
 */
final class LoadShedderMeters extends MeterSet {
  static final String PREFIX = "ballast.shed.";
  // One description for every series of a name: Prometheus shows one HELP line per family.
  static final String CALLS_DESCRIPTION = "Calls the load shedder admitted or refused";
  static final String STATE_DESCRIPTION = "1 for the load shedder's current state, 0 for the other";

  LoadShedderMeters(LoadShedder shedder, MeterList meters, Tags tags) {
    super(meters);
    countOf(
        PREFIX + "calls",
        shedder,
        LoadShedder::stats,
        LoadShedderStats::calls,
        CALLS_DESCRIPTION,
        "calls",
        tags.and("outcome", "admitted"));
    countOf(
        PREFIX + "calls",
        shedder,
        LoadShedder::stats,
        LoadShedderStats::rejections,
        CALLS_DESCRIPTION,
        "calls",
        tags.and("outcome", "rejected"));
    countOf(
        PREFIX + "probe.calls",
        shedder,
        LoadShedder::stats,
        LoadShedderStats::probes,
        "Calls admitted as probes while shedding (also counted as admitted calls)",
        "calls",
        tags);
    state(shedder, tags, "admitting", false);
    state(shedder, tags, "shedding", true);
    keep(
        Gauge.builder(PREFIX + "window.mean", shedder, s -> seconds(s.stats()))
            .description("Mean latency (or queueing delay) of the samples in the window")
            .baseUnit("seconds")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder(PREFIX + "window.samples", shedder, s -> s.stats().windowSamples())
            .description("Samples (timed calls or reported queueing delays) in the window")
            .baseUnit("samples")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder(PREFIX + "target", shedder, s -> s.config().target().toNanos() / 1e9)
            .description("The mean the load shedder keeps the window under")
            .baseUnit("seconds")
            .tags(tags)
            .register(registry));
  }

  private void state(LoadShedder shedder, Tags tags, String state, boolean shedding) {
    keep(
        Gauge.builder(PREFIX + "state", shedder, s -> s.stats().shedding() == shedding ? 1 : 0)
            .description(STATE_DESCRIPTION)
            .baseUnit("state")
            .tags(tags)
            .tag("state", state)
            .register(registry));
  }

  private static double seconds(LoadShedderStats stats) {
    return stats.windowMean().toNanos() / 1e9;
  }
}
