package dev.ballast.queue;

/**
 * What a full {@link BoundedQueue} does with one more element (<em>Release It!</em>: "accept and
 * drop it, accept and drop the oldest, refuse it, or block the producer").
 */
public enum Overflow {
  /** Refuse the new element: {@code offer} returns {@code false}, {@code add} throws. */
  REJECT,
  /** Accept the new element and discard it, counted in {@link BoundedQueueStats#drops()}. */
  DROP_NEWEST,
  /**
   * Accept the new element and evict the oldest one, handed to the eviction callback and counted in
   * {@link BoundedQueueStats#evictions()}: for data whose value decreases with age.
   */
  DROP_OLDEST,
  /**
   * The producer waits for room up to {@link BoundedQueueConfig#blockTimeout()} (even in {@code
   * offer(e)}: the point of the policy), then is refused.
   */
  BLOCK,
  /**
   * CoDel-like: an element that waited longer than {@link BoundedQueueConfig#sojournTarget()} is
   * evicted (handed to the callback and counted) when a consumer reaches it, or when a producer
   * finds the queue full; a full queue whose elements are all fresher is refused like {@link
   * #REJECT}.
   */
  SOJOURN
}
