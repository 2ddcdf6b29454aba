package dev.ballast.circuitbreaker;

import org.jspecify.annotations.Nullable;

/**
 * Receives a {@link CircuitBreaker}'s events. Every method has a no-op default, so implement only
 * what you need.
 *
 * <p>Methods are called on the thread that made the call or caused the transition, after the
 * breaker's state has changed, never while it is changing. They must be thread-safe and quick. A
 * listener that throws is logged (WARN, naming the breaker, at most one line a minute with a count
 * of those suppressed) and otherwise ignored: the breaker's state and the caller's outcome are
 * untouched, and the other listeners still hear the event. A {@link VirtualMachineError} is the
 * exception: after the breaker has recorded the outcome and every listener has heard the event, it
 * propagates to the caller (on the asynchronous path, as the exceptional completion of the returned
 * stage). Durations are {@code -1} when the breaker did not time the call (no slow rule and no
 * listener at the time the call began).
 */
public interface CircuitBreakerListener {

  /**
   * The breaker moved between states.
   *
   * @param from the state left
   * @param to the state entered
   */
  default void onStateTransition(CircuitBreakerState from, CircuitBreakerState to) {}

  /**
   * A call was refused.
   *
   * @param state the state that refused it ({@code OPEN}, {@code HALF_OPEN} or {@code FORCED_OPEN})
   */
  default void onRejected(CircuitBreakerState state) {}

  /**
   * A call succeeded.
   *
   * @param durationNanos how long it took, or {@code -1}
   */
  default void onSuccess(long durationNanos) {}

  /**
   * A call failed.
   *
   * @param durationNanos how long it took, or {@code -1}
   * @param error what it threw, or {@code null} when its result was classified as a failure
   */
  default void onFailure(long durationNanos, @Nullable Throwable error) {}

  /**
   * A call's outcome was ignored (not counted).
   *
   * @param durationNanos how long it took, or {@code -1}
   * @param error what it threw, or {@code null} when its permit was released unused
   */
  default void onIgnored(long durationNanos, @Nullable Throwable error) {}

  /**
   * A call took longer than the slow-call duration; reported besides its success or failure.
   *
   * @param durationNanos how long it took
   */
  default void onSlowCall(long durationNanos) {}

  /**
   * A {@code DISABLED} breaker's trip rule crossed its threshold: enforcing, the breaker would have
   * opened here. Only a disabled breaker reports this, so that it can run in shadow mode (measuring
   * real traffic, refusing nothing) before it is enforced. Reported for the first crossing, then
   * again only after {@code waitInOpen} has passed since the last report (the wait an enforcing
   * breaker would have spent open) and the rule crosses again; entering {@code DISABLED} anew
   * re-arms it. Each report is also logged once at WARN.
   *
   * @param failureRate the failure rate over the window (the streak's or bucket's rule: 1.0)
   * @param slowCallRate the slow-call rate over the window
   * @param calls the calls the window held (the streak, or the bucket's level, for those rules)
   */
  default void onThresholdCrossed(double failureRate, double slowCallRate, long calls) {}
}
