package dev.ballast.circuitbreaker;

/**
 * What a closed (or disabled) breaker measures, and the rule that decides it must open. One
 * instance per closed period: a transition to CLOSED starts a fresh window, so nothing is reset in
 * place.
 *
 * <p>The success path, {@link #onSuccess}, does constant work and evaluates nothing (a window may
 * roll a bucket there, and only then evaluate). {@link #onFault} records a failure and/or a slow
 * call and evaluates the rule. Implementations are thread-safe and lock-free.
 */
abstract class TripWindow {

  /** Whether {@link #onSuccess} and {@link #onFault} need the completion time. */
  abstract boolean needsTime();

  /**
   * Records a success that was not slow.
   *
   * @param now the ticker reading at completion when {@link #needsTime()}, else 0
   * @return {@code true} when the rule now says trip (only a rolling bucket can cause this)
   */
  abstract boolean onSuccess(long now);

  /**
   * Records a call that failed, was slow, or both.
   *
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

  /** Whether a rate rule trips on these figures: at or above a threshold, never below minimum. */
  static boolean rateTrips(
      Figures f,
      long minimumCalls,
      double failureThreshold,
      boolean slowRule,
      double slowThreshold) {
    if (f.calls < minimumCalls || f.calls == 0) {
      return false;
    }
    if ((double) f.failures / f.calls >= failureThreshold) {
      return true;
    }
    return slowRule && (double) f.slowCalls / f.calls >= slowThreshold;
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
              c.minimumCalls(),
              c.failureRateThreshold(),
              slowRule,
              c.slowCallRateThreshold());
      case CONSECUTIVE_FAILURES -> new ConsecutiveWindow(c.consecutiveFailures());
      case LEAKY_BUCKET -> new LeakyWindow(c.bucketCapacity(), c.leakInterval(), c.ticker());
    };
  }
}
