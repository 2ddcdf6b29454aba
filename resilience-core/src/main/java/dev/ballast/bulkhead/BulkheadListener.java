package dev.ballast.bulkhead;

/**
 * Receives a {@link Bulkhead}'s events. Every method has a no-op default, so implement only what
 * you need.
 *
 * <p>Events are reported on the thread that caused them (the refused caller, the one that changed
 * the limit), after the bulkhead's figures are updated. Methods must be thread-safe and quick. A
 * listener that throws never changes the bulkhead's figures or the caller's outcome: what it throws
 * is logged at WARN, naming the bulkhead (the first, then at most one line a minute with a count of
 * those suppressed); a {@link VirtualMachineError} is not hidden and reaches the caller.
 */
public interface BulkheadListener {

  /**
   * A call was refused: every permit was in use, and it could not wait for one (no wait configured,
   * the waiting room was full, the wait ran out, or the caller was interrupted).
   *
   * @param inFlight the calls in flight when it was refused
   */
  default void onRejected(long inFlight) {}

  /**
   * The limit was changed by {@link Bulkhead#changeMaxConcurrentCalls(int)}, or by the bulkhead's
   * {@linkplain BulkheadConfig#adaptiveLimit() adaptive limit} (reported on the thread whose
   * completed call ended the window, at most once per window).
   *
   * @param previous the limit before
   * @param current the limit now
   */
  default void onLimitChanged(long previous, long current) {}
}
