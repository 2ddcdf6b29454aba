package dev.ballast.micrometer;

import dev.ballast.governor.Governor;
import dev.ballast.governor.GovernorStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToLongFunction;

/**
 * A governor's meters: {@code ballast.governor.*}, base units, the verdict in a tag. The table in
 * {@code docs/metrics.md} lists them, and a test keeps the two equal.
 *
 * <p>Thread-safe: see {@link MeterSet}. Every meter reads {@link Governor#stats()} when the
 * registry is scraped and holds the governor weakly.
 */
final class GovernorMeters extends MeterSet {
  static final String PREFIX = "ballast.governor.";
  // One description for every series of a name: Prometheus shows one HELP line per family.
  static final String DECISIONS_DESCRIPTION =
      "Actions the governor allowed, delayed, refused or held for a confirmation";
  static final String STATE_DESCRIPTION = "1 for the governor's current state, 0 for the other";

  GovernorMeters(Governor governor, MeterList meters, Tags tags) {
    super(meters);
    decisions(governor, tags, "allowed", GovernorStats::allowed);
    decisions(governor, tags, "delayed", GovernorStats::delays);
    decisions(governor, tags, "rejected", GovernorStats::rejections);
    decisions(governor, tags, "confirmation_required", GovernorStats::confirmationRequests);
    countOf(
        PREFIX + "confirmations",
        governor,
        Governor::stats,
        GovernorStats::confirmations,
        "Confirmation tokens a person confirmed",
        "confirmations",
        tags);
    state(governor, tags, "running", false);
    state(governor, tags, "paused", true);
    keep(
        Gauge.builder(PREFIX + "divergence", governor, g -> g.stats().divergence())
            .description(
                "How far the last observation differed from the expected state, as a share")
            .baseUnit("ratio")
            .tags(tags)
            .register(registry));
  }

  private void decisions(
      Governor governor, Tags tags, String outcome, ToLongFunction<GovernorStats> count) {
    countOf(
        PREFIX + "decisions",
        governor,
        Governor::stats,
        count,
        DECISIONS_DESCRIPTION,
        "decisions",
        tags.and("outcome", outcome));
  }

  private void state(Governor governor, Tags tags, String state, boolean paused) {
    keep(
        Gauge.builder(PREFIX + "state", governor, g -> g.stats().paused() == paused ? 1 : 0)
            .description(STATE_DESCRIPTION)
            .baseUnit("state")
            .tags(tags)
            .tag("state", state)
            .register(registry));
  }
}
