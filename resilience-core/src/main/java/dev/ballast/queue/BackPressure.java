package dev.ballast.queue;

/**
 * Why a {@link BoundedQueue} is full (<em>Release It!</em>: "distinguish back pressure due to load
 * and back pressure due to failure").
 */
public enum BackPressure {
  /** The queue is not full. */
  NONE,
  /** The queue is full while consumers keep taking: they are slower than the producers. */
  LOAD,
  /**
   * The queue is full and no consumer took an element for {@link BoundedQueueConfig#stallTime()}:
   * the consumers are stuck, and waiting longer will not help.
   */
  FAILURE
}
