package dev.ballast.micrometer;

import dev.ballast.ratelimiter.RateLimiter;
import dev.ballast.ratelimiter.RateLimiterStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToLongFunction;

/**
 * A rate limiter's meters under Ballast's names: {@code ballast.ratelimiter.*}, base units, the
 * outcome in a tag. Every one reads {@link RateLimiter#stats()}. The table in {@code
 * docs/metrics.md} lists them, and a test keeps the two equal.
 *
 * <p>Thread-safe: see {@link MeterSet}. The meters hold the limiter weakly.
 */
final class RateLimiterBallastMeters extends MeterSet {
  static final String PREFIX = "ballast.ratelimiter.";
  // One description for every series of a name: Prometheus shows one HELP line per family.
  static final String CALLS_DESCRIPTION =
      "Calls the rate limiter admitted or refused since it was created, by outcome";

  RateLimiterBallastMeters(RateLimiter limiter, MeterList meters, Tags tags) {
    super(meters);
    String calls = PREFIX + "calls";
    countOf(
        calls,
        limiter,
        RateLimiter::stats,
        RateLimiterStats::calls,
        CALLS_DESCRIPTION,
        "calls",
        tags.and("outcome", "admitted"));
    countOf(
        calls,
        limiter,
        RateLimiter::stats,
        RateLimiterStats::rejections,
        CALLS_DESCRIPTION,
        "calls",
        tags.and("outcome", "rejected"));
    countOf(
        PREFIX + "permits",
        limiter,
        RateLimiter::stats,
        RateLimiterStats::permits,
        "Permits granted since the limiter was created (a call may take several)",
        "permits",
        tags);
    countOf(
        PREFIX + "waited.calls",
        limiter,
        RateLimiter::stats,
        RateLimiterStats::waits,
        "Calls admitted after waiting for their permits (also counted as admitted calls)",
        "calls",
        tags);
    gauge(
        limiter,
        "available.permits",
        RateLimiterStats::availablePermits,
        "Permits a call could take now without waiting",
        "permits",
        tags);
    gauge(
        limiter,
        "waiting",
        RateLimiterStats::waitingCalls,
        "Calls waiting for their permits now",
        "calls",
        tags);
    gauge(
        limiter,
        "limit",
        RateLimiterStats::limit,
        "Permits per period now; follows every change of the limit",
        "permits",
        tags);
  }

  private void gauge(
      RateLimiter limiter,
      String name,
      ToLongFunction<RateLimiterStats> figure,
      String description,
      String unit,
      Tags tags) {
    keep(
        Gauge.builder(PREFIX + name, limiter, l -> figure.applyAsLong(l.stats()))
            .description(description)
            .baseUnit(unit)
            .tags(tags)
            .register(registry));
  }
}
