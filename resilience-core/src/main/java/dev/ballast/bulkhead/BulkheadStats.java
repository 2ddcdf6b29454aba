package dev.ballast.bulkhead;

/**
 * A snapshot of a {@link Bulkhead}'s figures, taken by {@link Bulkhead#stats()}.
 *
 * <p>{@link #calls()} and {@link #rejections()} count since the bulkhead was created; {@link
 * #inFlight()}, {@link #waiting()} and {@link #maxConcurrentCalls()} are the figures of the moment.
 * The figures are read one after another, not atomically, so a snapshot taken under load may be off
 * by the calls that started or ended while it was taken. Immutable and thread-safe.
 */
public final class BulkheadStats {
  private final long calls;
  private final long rejections;
  private final int inFlight;
  private final int waiting;
  private final int maxConcurrentCalls;

  BulkheadStats(long calls, long rejections, int inFlight, int waiting, int maxConcurrentCalls) {
    this.calls = calls;
    this.rejections = rejections;
    this.inFlight = inFlight;
    this.waiting = waiting;
    this.maxConcurrentCalls = maxConcurrentCalls;
  }

  /**
   * Calls admitted (given a permit) since creation.
   *
   * @return the count
   */
  public long calls() {
    return calls;
  }

  /**
   * Calls refused since creation.
   *
   * @return the count
   */
  public long rejections() {
    return rejections;
  }

  /**
   * Permits held now: calls admitted and not yet completed. May exceed {@link
   * #maxConcurrentCalls()} for a while after the limit was lowered, until those calls end.
   *
   * @return the number
   */
  public int inFlight() {
    return inFlight;
  }

  /**
   * Callers waiting for a permit now.
   *
   * @return the number
   */
  public int waiting() {
    return waiting;
  }

  /**
   * The limit now.
   *
   * @return the limit
   */
  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  /**
   * @return the figures, such as {@code BulkheadStats{calls=10, rejections=2, inFlight=3,
   *     waiting=0, maxConcurrentCalls=25}}
   */
  @Override
  public String toString() {
    return "BulkheadStats{calls="
        + calls
        + ", rejections="
        + rejections
        + ", inFlight="
        + inFlight
        + ", waiting="
        + waiting
        + ", maxConcurrentCalls="
        + maxConcurrentCalls
        + '}';
  }
}
