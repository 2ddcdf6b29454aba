package dev.ballast.fallback;

import org.jspecify.annotations.Nullable;

/**
 * Receives a {@link Fallback}'s events. Every method has a no-op default, so implement only what
 * you need.
 *
 * <p>Methods are called on the thread that ran the fallback function (the caller's, or for {@code
 * callAsync} the thread that completed the call's stage), after the function returned or threw.
 * They must be thread-safe and quick. A listener that throws is logged and otherwise ignored: the
 * caller's outcome is untouched.
 */
public interface FallbackListener {

  /**
   * A fallback function returned a substitute, which the caller receives.
   *
   * @param trigger what triggered the fallback
   * @param cause what the call threw, or {@code null} when a result triggered it
   */
  default void onFallback(FallbackTrigger trigger, @Nullable Throwable cause) {}

  /**
   * A fallback function threw; the caller receives {@code error}, with {@code cause} added to it as
   * suppressed.
   *
   * @param trigger what triggered the fallback
   * @param cause what the call threw, or {@code null} when a result triggered it
   * @param error what the fallback function threw
   */
  default void onFallbackFailed(
      FallbackTrigger trigger, @Nullable Throwable cause, Throwable error) {}
}
