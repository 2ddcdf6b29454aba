package dev.ballast.queue;

/**
 * Why a full queue is full: its consumer stalled (no element taken for {@code stallTime} while
 * full: {@link BackPressure#FAILURE}) or it is loaded ({@link BackPressure#LOAD}); and the sojourn
 * target the SOJOURN policy measures the head against. Split from {@link BoundedQueue} along that
 * seam; its settings change at run time through {@link #retune}.
 *
 * <p>Not thread-safe: guarded by the queue's lock, which every method is called under.
 */
final class Fullness {
  private long stallNanos;
  private long sojournNanos;
  private long markTime;
  private long markDequeues = -1;

  Fullness(BoundedQueueConfig config) {
    retune(config);
  }

  /** Takes the run-time settings of {@code config}; the mark of the last full moment stays. */
  void retune(BoundedQueueConfig config) {
    this.stallNanos = config.stallTime().toNanos();
    this.sojournNanos = config.sojournTarget().toNanos();
  }

  long sojournNanos() {
    return sojournNanos;
  }

  /** The queue became full at {@code now}, after {@code dequeues} elements were taken. */
  void full(long now, long dequeues) {
    markTime = now;
    markDequeues = dequeues;
  }

  /** The queue has room again: the next full moment starts a new mark. */
  void forget() {
    markDequeues = -1;
  }

  /** The cause of a full queue seen at {@code now}, after {@code dequeues} elements were taken. */
  BackPressure cause(long now, long dequeues) {
    if (markDequeues != dequeues) {
      full(now, dequeues);
      return BackPressure.LOAD;
    }
    return now - markTime >= stallNanos ? BackPressure.FAILURE : BackPressure.LOAD;
  }
}
