package dev.ballast.circuitbreaker;

import dev.ballast.Scheduler;
import org.jspecify.annotations.Nullable;

/**
 * What a closed (or disabled) breaker measures, and the rule that decides it must open. One
 * instance per closed period: a transition to CLOSED starts a fresh window, so nothing is reset in
 * place.
 *
 * <p>When the rule is evaluated: on every {@link #onFault} (a failure and/or a slow call); on a
 * success only when it brings the window up to its minimum number of calls, or when it rolls a
 * time-window bucket (buckets leaving the window can raise the rate). Any other success can only
 * lower a rate, so it evaluates nothing: the success path does constant work and allocates nothing
 * (a time window allocates one bucket when a bucket's time comes round). This way the same history
 * trips or not whatever the order of its outcomes and wherever bucket boundaries fall.
 * Implementations are thread-safe and lock-free.
 */
abstract class TripWindow {

  /** A completion time the breaker did not read: a window that needs one reads the clock. */
  static final long NO_TIME = Long.MIN_VALUE;

  /**
   * The window became the breaker's: a window that keeps time may schedule on {@code timer}.
   *
   * @param timer the breaker's scheduler, or {@code null} when it has none
   */
  void start(@Nullable Scheduler timer) {}

  /** The window is no longer the breaker's: it stops what {@link #start} scheduled. */
  void stop() {}

  /**
   * Records a success that was not slow.
   *
   * @param now the ticker reading at completion, or {@link #NO_TIME} when the call was not timed
   * @return {@code true} when the rule now says trip (only a success that brings the window up to
   *     its minimum, or one that rolls a bucket, can cause this)
   */
  abstract boolean onSuccess(long now, BreakerSettings s);

  /**
   * Records a call that failed, was slow, or both.
   *
   * @param now the ticker reading at completion, or {@link #NO_TIME} when the call was not timed
   * @return {@code true} when the rule now says trip
   */
  abstract boolean onFault(long now, boolean failure, boolean slow, BreakerSettings s);

  /** The figures for stats and logs, computed now. */
  abstract Figures figures(long now);

  /**
   * Whether this window can go on counting under {@code s}: same rule, same size (and the slow rule
   * on or off as before). Thresholds and minimums do not matter: each evaluation reads them from
   * the settings it is given.
   */
  abstract boolean fits(BreakerSettings s);

  /**
   * The settings changed and this window stays: a window that caches "at its minimum" forgets it,
   * so that the next success re-evaluates against the new minimum.
   */
  void retune() {}

  /** Figures of a window at one moment. Immutable. */
  static final class Figures {
    static final Figures EMPTY = new Figures(0, 0, 0);

    final long calls;
    final long failures;
    final long slowCalls;

    Figures(long calls, long failures, long slowCalls) {
      this.calls = calls;
      this.failures = failures;
      this.slowCalls = slowCalls;
    }

    double failureRate() {
      return calls == 0 ? 0.0 : Math.min(1.0, (double) failures / calls);
    }

    double slowCallRate() {
      return calls == 0 ? 0.0 : Math.min(1.0, (double) slowCalls / calls);
    }
  }

  /**
   * Whether a rate rule trips on these counts: at or above a threshold, never below the minimum.
   * Takes primitives so that evaluating allocates nothing.
   */
  static boolean rateTrips(
      long calls, long failures, long slowCalls, long minimumCalls, BreakerSettings s) {
    double failureThreshold = s.failureThreshold;
    double slowThreshold = s.slowThreshold;
    boolean slowRule = s.slowRule;
    if (calls < minimumCalls || calls == 0) {
      return false;
    }
    if ((double) Math.min(calls, failures) / calls >= failureThreshold) {
      return true;
    }
    return slowRule && (double) Math.min(calls, slowCalls) / calls >= slowThreshold;
  }

  static TripWindow create(BreakerSettings s, long now) {
    CircuitBreakerConfig c = s.config;
    return switch (c.tripRule()) {
      case FAILURE_RATE_OVER_CALLS -> new CountWindow(c.windowCalls(), s.slowRule);
      case FAILURE_RATE_OVER_TIME ->
          new TimeWindow(c.windowDuration().toNanos(), now, c.ticker(), s.slowRule);
      case CONSECUTIVE_FAILURES -> new ConsecutiveWindow();
      case LEAKY_BUCKET -> new LeakyWindow(c.bucketCapacity(), c.leakInterval(), c.ticker());
    };
  }
}
