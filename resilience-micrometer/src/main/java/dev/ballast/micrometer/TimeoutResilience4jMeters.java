package dev.ballast.micrometer;

import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutStats;
import io.micrometer.core.instrument.Tags;

/**
 * A timeout's meters under the names, tags and units Resilience4j 2.x's tagged time-limiter metrics
 * publish ({@code resilience4j.timelimiter.calls}, outcome in a {@code kind} tag, no base unit), so
 * that dashboards and alerts written for Resilience4j keep working. The table in {@code
 * docs/metrics.md} lists them.
 *
 * <p>Thread-safe: see {@link MeterSet}. The counters read the timeout's stats and hold it weakly.
 */
final class TimeoutResilience4jMeters extends MeterSet {
  static final String NAME = "resilience4j.timelimiter.calls";
  // One description for every series of the name: Prometheus shows one HELP line per family.
  static final String DESCRIPTION = "The number of calls, by kind: successful, failed or timeout";

  TimeoutResilience4jMeters(Timeout timeout, MeterList meters, Tags tags) {
    super(meters);
    countOf(
        NAME,
        timeout,
        Timeout::stats,
        TimeoutStats::successes,
        DESCRIPTION,
        null,
        tags.and("kind", "successful"));
    // Resilience4j counts any exception as failed; a rejection further in is one.
    countOf(
        NAME,
        timeout,
        Timeout::stats,
        s -> s.failures() + s.rejections(),
        DESCRIPTION,
        null,
        tags.and("kind", "failed"));
    countOf(
        NAME,
        timeout,
        Timeout::stats,
        TimeoutStats::timeouts,
        DESCRIPTION,
        null,
        tags.and("kind", "timeout"));
  }
}
