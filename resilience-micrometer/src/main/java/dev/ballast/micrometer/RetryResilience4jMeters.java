package dev.ballast.micrometer;

import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryStats;
import io.micrometer.core.instrument.Tags;

/**
 * A retry's meters under the names, tags and units Resilience4j 2.x's tagged retry metrics publish
 * ({@code resilience4j.retry.calls}, function counters, outcome in a {@code kind} tag, no base
 * unit), so that dashboards and alerts written for Resilience4j keep working. The table in {@code
 * docs/metrics.md} lists them.
 *
 * <p>Thread-safe: see {@link MeterSet}. The counters hold the retry weakly.
 */
final class RetryResilience4jMeters extends MeterSet {
  static final String NAME = "resilience4j.retry.calls";
  // One description for every series of the name: Prometheus shows one HELP line per family.
  static final String DESCRIPTION = "The number of calls, by kind: with or without retry";

  RetryResilience4jMeters(Retry retry, MeterList meters, Tags tags) {
    super(meters);
    if (retry.stats().callsCounted()) {
      countOf(
          NAME,
          retry,
          Retry::stats,
          RetryStats::successesWithoutRetry,
          DESCRIPTION,
          null,
          tags.and("kind", "successful_without_retry"));
    }
    countOf(
        NAME,
        retry,
        Retry::stats,
        RetryStats::successesAfterRetry,
        DESCRIPTION,
        null,
        tags.and("kind", "successful_with_retry"));
    // A rejection not retried is a failure without retry, as Resilience4j counts an exception it
    // does not retry; a retry the budget refused is one the retry gave up, as when attempts run
    // out.
    countOf(
        NAME,
        retry,
        Retry::stats,
        s -> s.failuresWithoutRetry() + s.rejections(),
        DESCRIPTION,
        null,
        tags.and("kind", "failed_without_retry"));
    countOf(
        NAME,
        retry,
        Retry::stats,
        s -> s.failuresAfterRetry() + s.budgetRefusals(),
        DESCRIPTION,
        null,
        tags.and("kind", "failed_with_retry"));
  }
}
