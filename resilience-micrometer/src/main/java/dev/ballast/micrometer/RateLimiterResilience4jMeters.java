package dev.ballast.micrometer;

import dev.ballast.ratelimiter.RateLimiter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;

/**
 * A rate limiter's meters under the names, tags and units Resilience4j 2.x's tagged rate limiter
 * metrics publish ({@code resilience4j.ratelimiter.available.permissions} and {@code
 * resilience4j.ratelimiter.waiting_threads}, gauges, no base unit), so that dashboards and alerts
 * written for Resilience4j keep working. The table in {@code docs/metrics.md} lists them.
 *
 * <p>Thread-safe: see {@link MeterSet}. The gauges hold the limiter weakly.
 */
final class RateLimiterResilience4jMeters extends MeterSet {
  static final String PREFIX = "resilience4j.ratelimiter.";

  RateLimiterResilience4jMeters(RateLimiter limiter, MeterList meters, Tags tags) {
    super(meters);
    keep(
        Gauge.builder(PREFIX + "available.permissions", limiter, l -> l.stats().availablePermits())
            .description("The number of available permissions")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder(PREFIX + "waiting_threads", limiter, l -> l.stats().waitingCalls())
            .description("The number of waiting threads")
            .tags(tags)
            .register(registry));
  }
}
