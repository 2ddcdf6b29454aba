package dev.ballast.shed;

/**
 * Receives an {@link AdaptiveThrottle}'s events. Every method has a no-op default.
 *
 * <p>Events are reported on the refused caller's thread, after the throttle's figures are updated.
 * Methods must be thread-safe and quick. A listener that throws never changes the throttle's
 * figures or the caller's outcome: what it throws is logged at WARN, naming the throttle (the
 * first, then at most one line a minute with a count of those suppressed); a {@link
 * VirtualMachineError} is not hidden and reaches the caller.
 */
public interface AdaptiveThrottleListener {

  /**
   * A request was refused locally.
   *
   * @param probability the rejection probability it was refused with, in {@code (0, 1)}
   */
  default void onRejected(double probability) {}
}
