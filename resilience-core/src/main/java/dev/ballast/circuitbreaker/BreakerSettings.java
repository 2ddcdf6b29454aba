package dev.ballast.circuitbreaker;

import java.time.Duration;

/**
 * A breaker's settings, derived once from its config: what every call, transition and window
 * evaluation reads. Immutable; {@link CircuitBreaker#reconfigure} replaces the whole object with
 * one volatile write, so a call that reads it once sees one config, never half of two.
 */
final class BreakerSettings {
  final CircuitBreakerConfig config;
  final Judge judge;
  final boolean judgesResults;
  final boolean slowRule;
  final long slowNanos;
  final int probes;
  final int probeSuccesses;
  final long probeLeaseNanos;
  final long waitNanos;
  final long maxWaitNanos;
  final double waitMultiplier;
  final boolean hintAtLeastOwnWait;
  final int minimumCalls;
  final double failureThreshold;
  final double slowThreshold;
  final int consecutiveFailures;

  BreakerSettings(String name, CircuitBreakerConfig config) {
    this.config = config;
    this.judge = new Judge(name, config, config.ticker());
    this.judgesResults = judge.judgesResults();
    Duration slow = config.slowCallDuration();
    this.slowRule = slow != null;
    this.slowNanos = slow == null ? Long.MAX_VALUE : slow.toNanos();
    this.probes = config.halfOpenProbes();
    this.probeSuccesses = config.halfOpenSuccesses();
    this.probeLeaseNanos = config.probeLease().toNanos();
    this.waitNanos = config.waitInOpen().toNanos();
    this.maxWaitNanos = config.maxWaitInOpen().toNanos();
    this.waitMultiplier = config.waitMultiplier();
    this.hintAtLeastOwnWait = config.hintAtLeastOwnWait();
    this.minimumCalls = config.minimumCalls();
    this.failureThreshold = config.failureRateThreshold();
    this.slowThreshold = config.slowCallRateThreshold();
    this.consecutiveFailures = config.consecutiveFailures();
  }

  /**
   * How long the {@code trips}-th OPEN in a row waits; {@code hint} as {@code complete} takes it.
   */
  long wait(int trips, long hint) {
    long wait = waitNanos;
    if (trips > 1 && waitMultiplier > 1.0) {
      double grown = waitNanos * Math.pow(waitMultiplier, trips - 1);
      wait = grown >= maxWaitNanos ? maxWaitNanos : (long) grown;
    }
    if (hint >= 0) {
      wait = hintAtLeastOwnWait ? Math.max(wait, hint) : hint;
    }
    return wait;
  }
}
