package dev.ballast.micrometer;

import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.circuitbreaker.CircuitBreakerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * A breaker's meters under the names, tags and units Resilience4j 2.x's tagged circuit-breaker
 * metrics publish ({@code resilience4j.circuitbreaker.*}, outcome in a {@code kind} tag, no base
 * units, rates in percent with {@code -1} below the minimum number of calls), so that dashboards
 * and alerts written for Resilience4j keep working. The table in {@code docs/metrics.md} lists
 * them.
 *
 * <p>Thread-safe: see {@link MeterSet}. Gauges and the not-permitted counter hold the breaker
 * weakly.
 */
final class BreakerResilience4jMeters extends BreakerMeters {
  static final String PREFIX = "resilience4j.circuitbreaker.";
  // One description for every series of a name: Prometheus shows one HELP line per family.
  static final String CALLS_DESCRIPTION =
      "Calls the breaker let through, by kind (successful, failed, ignored), and their duration";
  static final String BUFFERED_DESCRIPTION =
      "Calls the trip rule currently holds, by kind: failed or successful";

  private final Timer successes;
  private final Timer failures;
  private final Timer ignored;

  BreakerResilience4jMeters(CircuitBreaker breaker, MeterList meters, Tags tags) {
    super(meters);
    for (CircuitBreakerState state : CircuitBreakerState.values()) {
      keep(
          Gauge.builder(PREFIX + "state", breaker, b -> b.state() == state ? 1 : 0)
              .description("1 when the breaker is in the state named by the state tag, else 0")
              .tags(tags)
              .tag("state", tagValue(state))
              .register(registry));
    }
    successes = keep(callTimer(tags, "successful"));
    failures = keep(callTimer(tags, "failed"));
    ignored = keep(callTimer(tags, "ignored"));
    keep(
        FunctionCounter.builder(
                PREFIX + "not.permitted.calls", breaker, b -> (double) b.stats().rejections())
            .description("Calls the breaker refused since it was created")
            .tags(tags)
            .tag("kind", "not_permitted")
            .register(registry));
    keep(
        Gauge.builder(PREFIX + "failure.rate", breaker, b -> percent(b, false))
            .description("Failure rate in percent, -1 below the minimum number of calls")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder(PREFIX + "slow.call.rate", breaker, b -> percent(b, true))
            .description("Slow-call rate in percent, -1 below the minimum number of calls")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder(PREFIX + "buffered.calls", breaker, b -> (double) b.stats().windowFailures())
            .description(BUFFERED_DESCRIPTION)
            .tags(tags)
            .tag("kind", "failed")
            .register(registry));
    keep(
        Gauge.builder(
                PREFIX + "buffered.calls", breaker, BreakerResilience4jMeters::bufferedSuccesses)
            .description(BUFFERED_DESCRIPTION)
            .tags(tags)
            .tag("kind", "successful")
            .register(registry));
    keep(
        Gauge.builder(PREFIX + "slow.calls", breaker, b -> (double) b.stats().windowSlowCalls())
            .description("Slow calls the trip rule currently holds, failed or successful")
            .tags(tags)
            .register(registry));
  }

  private Timer callTimer(Tags tags, String kind) {
    return Timer.builder(PREFIX + "calls")
        .description(CALLS_DESCRIPTION)
        .tags(tags)
        .tag("kind", kind)
        .register(registry);
  }

  private static double bufferedSuccesses(CircuitBreaker breaker) {
    CircuitBreakerStats stats = breaker.stats();
    return (double) Math.max(0L, stats.windowCalls() - stats.windowFailures());
  }

  /**
   * A rate as Resilience4j reports it: percent, or {@code -1} while fewer calls than the rule's
   * minimum are buffered, and always {@code -1} for the rules that compute no rate (consecutive
   * failures, leaky bucket).
   */
  static double percent(CircuitBreaker breaker, boolean slow) {
    CircuitBreakerConfig config = breaker.config();
    long minimum =
        switch (config.tripRule()) {
          case FAILURE_RATE_OVER_CALLS -> Math.min(config.minimumCalls(), config.windowCalls());
          case FAILURE_RATE_OVER_TIME -> config.minimumCalls();
          case CONSECUTIVE_FAILURES, LEAKY_BUCKET -> -1;
        };
    if (minimum < 0) {
      return -1.0;
    }
    CircuitBreakerStats stats = breaker.stats();
    if (stats.windowCalls() == 0 || stats.windowCalls() < minimum) {
      return -1.0;
    }
    return 100.0 * (slow ? stats.windowSlowCallRate() : stats.windowFailureRate());
  }

  @Override
  void onCall(CallEvent event, long durationNanos) {
    switch (event) {
      case SUCCESS -> successes.record(nanos(durationNanos), NANOS);
      case FAILURE -> failures.record(nanos(durationNanos), NANOS);
      case IGNORED -> ignored.record(nanos(durationNanos), NANOS);
      case SLOW -> {
        // Resilience4j publishes slow calls as a gauge over the window, registered above.
      }
    }
  }

  @Override
  void onTransition(CircuitBreakerState from, CircuitBreakerState to) {
    // Resilience4j publishes no transition meter.
  }

  @Override
  void onThresholdCrossed() {
    // Resilience4j has no such meter.
  }
}
