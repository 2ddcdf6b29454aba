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
  abstract boolean onSuccess(long now);

  /**
   * Records a call that failed, was slow, or both.
   *
   * @param now the ticker reading at completion, or {@link #NO_TIME} when the call was not timed
   * @return {@code true} when the rule now says trip
   */
  abstract boolean onFault(long now, boolean failure, boolean slow);

  /** The figures for stats and logs, computed now. */
  abstract Figures figures(long now);

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
      long calls,
      long failures,
      long slowCalls,
      long minimumCalls,
      double failureThreshold,
      boolean slowRule,
      double slowThreshold) {
    if (calls < minimumCalls || calls == 0) {
      return false;
    }
    if ((double) Math.min(calls, failures) / calls >= failureThreshold) {
      return true;
    }
    return slowRule && (double) Math.min(calls, slowCalls) / calls >= slowThreshold;
  }

  static TripWindow create(CircuitBreakerConfig c, long now) {
    boolean slowRule = c.slowCallDuration() != null;
    return switch (c.tripRule()) {
      case FAILURE_RATE_OVER_CALLS ->
          new CountWindow(
              c.windowCalls(),
              c.minimumCalls(),
              c.failureRateThreshold(),
              slowRule,
              c.slowCallRateThreshold());
      case FAILURE_RATE_OVER_TIME ->
          new TimeWindow(
              c.windowDuration().toNanos(),
              now,
              c.ticker(),
              c.minimumCalls(),
              c.failureRateThreshold(),
              slowRule,
              c.slowCallRateThreshold());
      case CONSECUTIVE_FAILURES -> new ConsecutiveWindow(c.consecutiveFailures());
      case LEAKY_BUCKET -> new LeakyWindow(c.bucketCapacity(), c.leakInterval(), c.ticker());
    };
  }
}
