package dev.ballast.fallback;

/**
 * What made a {@link Fallback} substitute its answer for the call's outcome: one of the three
 * triggers, each with its own fallback function.
 *
 * <p>Immutable and thread-safe, as every enum.
 */
public enum FallbackTrigger {
  /** The call threw an exception the exception trigger matched (never a rejection). */
  EXCEPTION,
  /** The call returned a value the result trigger matched. */
  RESULT,
  /**
   * A policy refused the call with a {@link dev.ballast.RejectedException} the rejection trigger
   * matched.
   */
  REJECTION
}
