package dev.ballast.micrometer;

import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryStats;
import io.micrometer.core.instrument.Tags;

/**
 * A retry's meters under Ballast's names: {@code ballast.retry.*}, base units, the outcome in a
 * tag. Every one is a function counter over {@link Retry#stats()}. The table in {@code
 * docs/metrics.md} lists them, and a test keeps the two equal.
 *
 * <p>Thread-safe: see {@link MeterSet}. The counters hold the retry weakly.
 */
final class RetryBallastMeters extends MeterSet {
  static final String PREFIX = "ballast.retry.";
  // One description for every series of a name: Prometheus shows one HELP line per family.
  static final String CALLS_DESCRIPTION =
      "Calls that ended, by outcome: success or failure, without or after retries, or rejected";

  RetryBallastMeters(Retry retry, MeterList meters, Tags tags) {
    super(meters);
    String calls = PREFIX + "calls";
    if (retry.stats().callsCounted()) {
      countOf(
          calls,
          retry,
          Retry::stats,
          RetryStats::successesWithoutRetry,
          CALLS_DESCRIPTION,
          "calls",
          tags.and("outcome", "success_without_retry"));
    }
    countOf(
        calls,
        retry,
        Retry::stats,
        RetryStats::successesAfterRetry,
        CALLS_DESCRIPTION,
        "calls",
        tags.and("outcome", "success_after_retry"));
    countOf(
        calls,
        retry,
        Retry::stats,
        RetryStats::failuresWithoutRetry,
        CALLS_DESCRIPTION,
        "calls",
        tags.and("outcome", "failure_without_retry"));
    countOf(
        calls,
        retry,
        Retry::stats,
        RetryStats::failuresAfterRetry,
        CALLS_DESCRIPTION,
        "calls",
        tags.and("outcome", "failure_after_retry"));
    countOf(
        calls,
        retry,
        Retry::stats,
        RetryStats::rejections,
        CALLS_DESCRIPTION,
        "calls",
        tags.and("outcome", "rejected"));
    countOf(
        PREFIX + "retries",
        retry,
        Retry::stats,
        RetryStats::retries,
        "Retries made: attempts after the first",
        "retries",
        tags);
    countOf(
        PREFIX + "budget.exhausted",
        retry,
        Retry::stats,
        RetryStats::budgetRefusals,
        "Calls whose retry the budget refused; their failure went to the caller at once",
        "calls",
        tags);
  }
}
