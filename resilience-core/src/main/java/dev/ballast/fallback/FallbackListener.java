package dev.ballast.fallback;

import org.jspecify.annotations.Nullable;

/**
 * Receives a {@link Fallback}'s events. Every method has a no-op default, so implement only what
 * you need.
 *
 * <p>Methods are called on the thread that ran the fallback function (the caller's, or for {@code
 * callAsync} the thread that completed the call's stage), after the function returned or threw and
 * the fallback counted it, before the caller gets the outcome. They must be thread-safe and quick.
 * A listener that throws never changes the counts. What it throws is logged at WARN, naming the
 * fallback (the first, then at most one line a minute with a count of those suppressed), and the
 * caller's outcome is delivered unchanged; a {@link VirtualMachineError} is not hidden: it reaches
 * the caller, thrown or as the exceptional completion of the returned stage.
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
   * suppressed (unless {@code error} already holds 8 suppressed exceptions or this one).
   *
   * @param trigger what triggered the fallback
   * @param cause what the call threw, or {@code null} when a result triggered it
   * @param error what the fallback function threw
   */
  default void onFallbackFailed(
      FallbackTrigger trigger, @Nullable Throwable cause, Throwable error) {}
}
