package dev.ballast.timeout;

import dev.ballast.RejectedException;

/**
 * Receives a {@link Timeout}'s events. Every method has a no-op default, so implement only what you
 * need.
 *
 * <p>Sync calls are reported on the calling thread after the outcome is decided and counted; async
 * calls on the thread that completed them (the timer's for a timeout), just before the returned
 * stage completes; abandoned work on the executor's thread. Methods must be thread-safe and quick.
 * A listener that throws never changes the timeout's figures. What it throws is logged at WARN,
 * naming the timeout (the first, then at most one line a minute with a count of those suppressed),
 * and the caller's outcome is delivered unchanged; a {@link VirtualMachineError} is not hidden: it
 * reaches the caller (thrown by a sync call, or as the exceptional completion of the async call's
 * stage; on an abandoned worker's thread, the executor). Durations are in ticker nanoseconds from
 * the start of the call.
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
   * The call was refused: by a policy inside the timeout, or by the timeout itself when its
   * executor did not accept the work ({@link TimeoutRejectedException}).
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
