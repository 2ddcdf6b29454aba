package dev.ballast.shed;

/**
 * Receives a {@link LoadShedder}'s events. Every method has a no-op default, so implement only what
 * you need.
 *
 * <p>Events are reported on the thread that caused them (the call whose sample crossed the target,
 * the refused caller), after the shedder's state is updated. Methods must be thread-safe and quick.
 * A listener that throws never changes the shedder's state or the caller's outcome: what it throws
 * is logged at WARN, naming the shedder (the first, then at most one line a minute with a count of
 * those suppressed); a {@link VirtualMachineError} is not hidden and reaches the caller.
 */
public interface LoadShedderListener {

  /**
   * The mean over the window rose above the target: the shedder now refuses new work but for its
   * probes.
   *
   * @param measuredNanos the mean over the window, in nanoseconds
   * @param targetNanos the target, in nanoseconds
   */
  default void onSheddingStarted(long measuredNanos, long targetNanos) {}

  /**
   * The mean over the window fell to the target or below, or the window holds too few samples to
   * judge: the shedder admits every call again.
   *
   * @param measuredNanos the mean over the window, in nanoseconds (zero without samples)
   * @param targetNanos the target, in nanoseconds
   */
  default void onSheddingStopped(long measuredNanos, long targetNanos) {}

  /**
   * A call was refused.
   *
   * @param measuredNanos the mean over the window when it was refused, in nanoseconds
   */
  default void onRejected(long measuredNanos) {}
}
