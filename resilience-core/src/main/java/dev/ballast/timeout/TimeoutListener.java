package dev.ballast.timeout;

import dev.ballast.RejectedException;

/**
 * Receives a {@link Timeout}'s events. Every method has a no-op default, so implement only what you
 * need.
 *
 * <p>Sync calls are reported on the calling thread after the outcome is decided; async calls and
 * abandoned work on the thread that completed them (the timer's for a timeout). Methods must be
 * thread-safe and quick. A listener that throws is logged and otherwise ignored: the timeout's
 * figures and the caller's outcome are untouched. Durations are in ticker nanoseconds from the
 * start of the call.
 */
public interface TimeoutListener {

  /**
   * A call returned a value before its deadline.
   *
   * @param durationNanos how long it took
   */
  default void onSuccess(long durationNanos) {}

  /**
   * A call threw before its deadline.
   *
   * @param durationNanos how long it took
   * @param error what it threw
   */
  default void onFailure(long durationNanos, Throwable error) {}

  /**
   * A policy inside the timeout refused the call.
   *
   * @param durationNanos how long until the refusal
   * @param rejection the refusal
   */
  default void onRejected(long durationNanos, RejectedException rejection) {}

  /**
   * A call's deadline passed; its caller gets a {@link TimeoutExceededException}.
   *
   * @param durationNanos how long the caller waited
   */
  default void onTimeout(long durationNanos) {}

  /**
   * The work of a call abandoned at its deadline ({@link Timeout.Mode#ABANDON}) really ended.
   *
   * @param durationNanos how long the work ran in all
   */
  default void onAbandonedFinished(long durationNanos) {}
}
