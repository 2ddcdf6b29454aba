package dev.ballast.retry;

import org.jspecify.annotations.Nullable;

/**
 * Receives a {@link Retry}'s events. Every method has a no-op default, so implement only what you
 * need; a retry with no listener reports nothing and pays nothing for it.
 *
 * <p>Nothing is reported for a call whose first attempt succeeds, nor for a failure that is not
 * retried (an abort rule matched, or no retry rule did). Methods are called after the retry's
 * counts are updated, on the thread that ran the attempt (for {@link Retry#callAsync}, the thread
 * that runs the retry's next step: usually the one that completed the attempt's stage). They must
 * be thread-safe and quick. A listener that throws is logged (rate-limited: the first, then at most
 * one line a minute with a count of those suppressed) and otherwise ignored: the call's outcome and
 * the retry's counts are untouched. A {@link VirtualMachineError} it throws reaches the caller
 * instead, once the call is counted: thrown by a synchronous call, completing the stage of an
 * asynchronous one.
 */
public interface RetryListener {

  /**
   * A retry was decided and is about to wait: attempt number {@code attempt} starts after {@code
   * delayNanos}, unless the wait is interrupted or cancelled.
   *
   * @param attempt the number of the attempt about to be made, 2 for the first retry
   * @param delayNanos the wait before it
   * @param cause what the previous attempt threw, or {@code null} when its result was retried
   */
  default void onRetry(int attempt, long delayNanos, @Nullable Throwable cause) {}

  /**
   * The retry gave up on an outcome it would have retried: the attempts or the time ran out, the
   * delay function said stop, the budget was exhausted, the wait was interrupted, or the scheduler
   * or executor refused it. The caller gets that outcome.
   *
   * @param attempts the attempts made
   * @param cause what the last attempt threw, or {@code null} when its result is returned
   */
  default void onGiveUp(int attempts, @Nullable Throwable cause) {}

  /** The retry budget refused a retry; the failure goes to the caller at once. */
  default void onBudgetExhausted() {}
}
