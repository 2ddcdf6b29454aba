package dev.ballast.bulkhead;

/**
 * Receives a {@link ThreadPoolBulkhead}'s events. Every method has a no-op default, so implement
 * only what you need.
 *
 * <p>Events are reported on the thread that caused them (the refused submitter, the caller or the
 * closer that cancelled a task), after the bulkhead's figures are updated. Methods must be
 * thread-safe and quick. A listener that throws never changes the bulkhead's figures or the
 * caller's outcome: what it throws is logged at WARN, naming the bulkhead (the first, then at most
 * one line a minute with a count of those suppressed); a {@link VirtualMachineError} is not hidden
 * and reaches the caller (as the exceptional completion of the returned stage).
 */
public interface ThreadPoolBulkheadListener {

  /** A task was refused: every thread was busy and the queue full, or the bulkhead was closed. */
  default void onRejected() {}

  /**
   * An admitted task was cancelled before it ran, and never will: its caller gave up (cancelled the
   * stage, or was interrupted in a synchronous call), or {@code close()} cancelled it.
   */
  default void onCancelled() {}
}
