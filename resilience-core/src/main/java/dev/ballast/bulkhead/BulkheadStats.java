package dev.ballast.bulkhead;

import java.util.List;

/**
 * A snapshot of a {@link Bulkhead}'s figures, taken by {@link Bulkhead#stats()}.
 *
 * <p>{@link #calls()} and {@link #rejections()} count since the bulkhead was created; {@link
 * #inFlight()}, {@link #waiting()}, {@link #maxConcurrentCalls()} and the {@link #partitions()}'
 * permits in use are the figures of the moment. The figures are read one after another, not
 * atomically, so a snapshot taken under load may be off by the calls that started or ended while it
 * was taken. Immutable and thread-safe.
 */
public final class BulkheadStats {
  private final long calls;
  private final long rejections;
  private final int inFlight;
  private final int waiting;
  private final int maxConcurrentCalls;
  private final List<PartitionStats> partitions;

  BulkheadStats(
      long calls,
      long rejections,
      int inFlight,
      int waiting,
      int maxConcurrentCalls,
      List<PartitionStats> partitions) {
    this.calls = calls;
    this.rejections = rejections;
    this.inFlight = inFlight;
    this.waiting = waiting;
    this.maxConcurrentCalls = maxConcurrentCalls;
    this.partitions = List.copyOf(partitions);
  }

  /**
   * The figures of one reserved partition. Immutable and thread-safe.
   *
   * @param name the partition's name
   * @param reserved the permits reserved for it
   * @param inUse its reserved permits held now (permits it borrowed are not counted here, only in
   *     the bulkhead's {@link BulkheadStats#inFlight()})
   * @param rejections its calls refused since creation (also counted in the bulkhead's {@link
   *     BulkheadStats#rejections()})
   */
  public record PartitionStats(String name, int reserved, int inUse, long rejections) {}

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
   * The figures of each reserved partition, in the order of {@link BulkheadConfig#partitions()};
   * empty when there are none.
   *
   * @return the partitions' figures, unmodifiable
   */
  public List<PartitionStats> partitions() {
    return partitions;
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
        + (partitions.isEmpty() ? "" : ", partitions=" + partitions)
        + '}';
  }
}
