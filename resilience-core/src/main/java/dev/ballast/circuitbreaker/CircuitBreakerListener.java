package dev.ballast.circuitbreaker;

import org.jspecify.annotations.Nullable;

/**
 * Receives a {@link CircuitBreaker}'s events. Every method has a no-op default, so implement only
 * what you need.
 *
 * <p>Methods are called on the thread that made the call or caused the transition, after the
 * breaker's state has changed, never while it is changing. They must be thread-safe and quick. A
 * listener that throws is logged and otherwise ignored: the breaker's state and the caller's
 * outcome are untouched. Durations are {@code -1} when the breaker did not time the call (no slow
 * rule and no listener at the time the call began).
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
}
