package dev.ballast;

/**
 * A handle on a task a {@link Scheduler} will run; cancelling it stops the task from running.
 *
 * <p>Thread-safe; cancelling is idempotent and O(1).
 */
@FunctionalInterface
public interface Cancellable {
  /**
   * Stops the task from running, if it has not started.
   *
   * @return {@code true} when this call cancelled it; {@code false} when it had already run, was
   *     running, or was cancelled before
   */
  boolean cancel();
}
