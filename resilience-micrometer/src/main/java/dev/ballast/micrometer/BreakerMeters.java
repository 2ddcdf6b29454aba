package dev.ballast.micrometer;

import dev.ballast.circuitbreaker.CircuitBreakerState;

/**
 * The meters one {@link CircuitBreakerMetrics} registered in one registry, in one naming style, and
 * the breaker events they are fed.
 *
 * <p>Thread-safe: see {@link MeterSet}.
 */
abstract class BreakerMeters extends MeterSet {
  /** A call's outcome or trait, as the breaker's listener reports it. */
  enum CallEvent {
    SUCCESS,
    FAILURE,
    IGNORED,
    SLOW
  }

  BreakerMeters(MeterList meters) {
    super(meters);
  }

  /** Records a call event; {@code durationNanos} is {@code -1} when the call was not timed. */
  abstract void onCall(CallEvent event, long durationNanos);

  /** Records a state transition. */
  abstract void onTransition(CircuitBreakerState from, CircuitBreakerState to);

  /** Records that a disabled breaker (shadow mode) found its trip rule crossed. */
  abstract void onThresholdCrossed();
}
