package dev.ballast.bulkhead;

/**
 * A snapshot of a {@link ThreadPoolBulkhead}'s figures, taken by {@link
 * ThreadPoolBulkhead#stats()}.
 *
 * <p>{@link #calls()}, {@link #rejections()} and {@link #cancellations()} count since the bulkhead
 * was created; {@link #threads()}, {@link #activeThreads()} and {@link #queued()} are the figures
 * of the moment, read together under the pool's lock. Every task submitted is counted once, as a
 * call (admitted) or a rejection; once nothing is queued or running, {@code calls() -
 * cancellations()} tasks ran. Immutable and thread-safe.
 */
public final class ThreadPoolBulkheadStats {
  private final long calls;
  private final long rejections;
  private final long cancellations;
  private final int threads;
  private final int activeThreads;
  private final int queued;
  private final int maxThreads;
  private final int queueCapacity;

  ThreadPoolBulkheadStats(
      long calls,
      long rejections,
      long cancellations,
      int threads,
      int activeThreads,
      int queued,
      int maxThreads,
      int queueCapacity) {
    this.calls = calls;
    this.rejections = rejections;
    this.cancellations = cancellations;
    this.threads = threads;
    this.activeThreads = activeThreads;
    this.queued = queued;
    this.maxThreads = maxThreads;
    this.queueCapacity = queueCapacity;
  }

  /**
   * Tasks admitted (handed to a thread or queued) since creation.
   *
   * @return the count
   */
  public long calls() {
    return calls;
  }

  /**
   * Tasks refused since creation: the pool was full, or closed.
   *
   * @return the count
   */
  public long rejections() {
    return rejections;
  }

  /**
   * Admitted tasks that were cancelled before they ran (their caller gave up, or {@code close()}
   * cancelled them) since creation. None of them ever runs.
   *
   * @return the count
   */
  public long cancellations() {
    return cancellations;
  }

  /**
   * Threads alive now, busy or idle.
   *
   * @return the number, at most {@link #maxThreads()}
   */
  public int threads() {
    return threads;
  }

  /**
   * Threads holding a task now (running it, or about to).
   *
   * @return the number, at most {@link #threads()}
   */
  public int activeThreads() {
    return activeThreads;
  }

  /**
   * Tasks waiting in the queue for a thread now.
   *
   * @return the number, at most {@link #queueCapacity()}
   */
  public int queued() {
    return queued;
  }

  /**
   * The most threads the bulkhead runs.
   *
   * @return the limit
   */
  public int maxThreads() {
    return maxThreads;
  }

  /**
   * The most tasks that may wait.
   *
   * @return the capacity
   */
  public int queueCapacity() {
    return queueCapacity;
  }

  /**
   * @return the figures, such as {@code ThreadPoolBulkheadStats{calls=10, rejections=2,
   *     cancellations=1, threads=4, activeThreads=3, queued=0, maxThreads=10, queueCapacity=0}}
   */
  @Override
  public String toString() {
    return "ThreadPoolBulkheadStats{calls="
        + calls
        + ", rejections="
        + rejections
        + ", cancellations="
        + cancellations
        + ", threads="
        + threads
        + ", activeThreads="
        + activeThreads
        + ", queued="
        + queued
        + ", maxThreads="
        + maxThreads
        + ", queueCapacity="
        + queueCapacity
        + '}';
  }
}
