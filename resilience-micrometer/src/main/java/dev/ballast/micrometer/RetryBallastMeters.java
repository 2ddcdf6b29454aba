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

  RetryBallastMeters(Retry retry, MeterList meters, Tags tags) {
    super(meters);
    String calls = PREFIX + "calls";
    if (retry.stats().callsCounted()) {
      countOf(
          calls,
          retry,
          Retry::stats,
          RetryStats::successesWithoutRetry,
          "Calls whose first attempt succeeded",
          "calls",
          tags.and("outcome", "success_without_retry"));
    }
    countOf(
        calls,
        retry,
        Retry::stats,
        RetryStats::successesAfterRetry,
        "Calls that succeeded after retries",
        "calls",
        tags.and("outcome", "success_after_retry"));
    countOf(
        calls,
        retry,
        Retry::stats,
        RetryStats::failuresWithoutRetry,
        "Calls that failed without a retry: not retryable, or the bounds allowed none",
        "calls",
        tags.and("outcome", "failure_without_retry"));
    countOf(
        calls,
        retry,
        Retry::stats,
        RetryStats::failuresAfterRetry,
        "Calls that failed after retries: attempts or time ran out, or a later failure not retried",
        "calls",
        tags.and("outcome", "failure_after_retry"));
    countOf(
        calls,
        retry,
        Retry::stats,
        RetryStats::rejectionsPassedThrough,
        "Calls ended by a rejection further in that was not retried",
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
        RetryStats::budgetExhausted,
        "Calls whose retry the budget refused; their failure went to the caller at once",
        "calls",
        tags);
  }
}
