package dev.ballast.queue;

import java.time.Duration;

/**
 * A snapshot of a {@link BoundedQueue}'s figures, taken by {@link BoundedQueue#stats()}.
 *
 * <p>Counts are since creation and add up: every element offered was enqueued, dropped or rejected;
 * every element enqueued was dequeued, evicted, or is still in the queue ({@code enqueues ==
 * dequeues + evictions + size}, exact in a snapshot since all are read under the queue's lock).
 * Immutable and thread-safe.
 */
public final class BoundedQueueStats {
  private final long enqueues;
  private final long dequeues;
  private final long drops;
  private final long evictions;
  private final long rejections;
  private final long failureRejections;
  private final long waits;
  private final long waitNanos;
  private final int size;
  private final int capacity;
  private final BackPressure backPressure;

  BoundedQueueStats(
      long enqueues,
      long dequeues,
      long drops,
      long evictions,
      long rejections,
      long failureRejections,
      long waits,
      long waitNanos,
      int size,
      int capacity,
      BackPressure backPressure) {
    this.enqueues = enqueues;
    this.dequeues = dequeues;
    this.drops = drops;
    this.evictions = evictions;
    this.rejections = rejections;
    this.failureRejections = failureRejections;
    this.waits = waits;
    this.waitNanos = waitNanos;
    this.size = size;
    this.capacity = capacity;
    this.backPressure = backPressure;
  }

  /**
   * Elements accepted into the queue.
   *
   * @return the count
   */
  public long enqueues() {
    return enqueues;
  }

  /**
   * Elements taken out by a consumer ({@code poll}, {@code take}, {@code drainTo}, {@code remove},
   * {@code clear}).
   *
   * @return the count
   */
  public long dequeues() {
    return dequeues;
  }

  /**
   * Elements accepted and discarded under {@link Overflow#DROP_NEWEST}.
   *
   * @return the count
   */
  public long drops() {
    return drops;
  }

  /**
   * Elements evicted under {@link Overflow#DROP_OLDEST} or {@link Overflow#SOJOURN}.
   *
   * @return the count
   */
  public long evictions() {
    return evictions;
  }

  /**
   * Elements refused, whatever the cause.
   *
   * @return the count
   */
  public long rejections() {
    return rejections;
  }

  /**
   * The rejections whose cause was {@link BackPressure#FAILURE} (a stalled consumer).
   *
   * @return the count
   */
  public long failureRejections() {
    return failureRejections;
  }

  /**
   * Dequeued or evicted elements whose wait was measured ({@link
   * BoundedQueueConfig#measureWait()}).
   *
   * @return the count
   */
  public long waits() {
    return waits;
  }

  /**
   * The sum of the measured waits.
   *
   * @return the total
   */
  public Duration totalWait() {
    return Duration.ofNanos(waitNanos);
  }

  /**
   * Elements in the queue now.
   *
   * @return the size
   */
  public int size() {
    return size;
  }

  /**
   * The capacity now.
   *
   * @return the capacity
   */
  public int capacity() {
    return capacity;
  }

  /**
   * The back pressure now: {@link BackPressure#NONE} when not full.
   *
   * @return the cause
   */
  public BackPressure backPressure() {
    return backPressure;
  }

  /**
   * @return the figures, such as {@code BoundedQueueStats{enqueues=10, dequeues=8, drops=0,
   *     evictions=0, rejections=1, failureRejections=0, waits=0, totalWait=PT0S, size=2,
   *     capacity=2, backPressure=LOAD}}
   */
  @Override
  public String toString() {
    return "BoundedQueueStats{enqueues="
        + enqueues
        + ", dequeues="
        + dequeues
        + ", drops="
        + drops
        + ", evictions="
        + evictions
        + ", rejections="
        + rejections
        + ", failureRejections="
        + failureRejections
        + ", waits="
        + waits
        + ", totalWait="
        + totalWait()
        + ", size="
        + size
        + ", capacity="
        + capacity
        + ", backPressure="
        + backPressure
        + '}';
  }
}
