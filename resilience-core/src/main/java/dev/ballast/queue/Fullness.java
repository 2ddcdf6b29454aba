package dev.ballast.queue;

import dev.ballast.Ticker;
import dev.ballast.internal.CoarseClock;
import dev.ballast.internal.Timers;

/**
 * Why a full queue is full: its consumer stalled (no element taken for {@code stallTime} while
 * full: {@link BackPressure#FAILURE}) or it is loaded ({@link BackPressure#LOAD}); and the sojourn
 * target the SOJOURN policy measures the head against. Split from {@link BoundedQueue} along that
 * seam; its settings change at run time through {@link #retune}.
 *
 * <p>Not thread-safe: guarded by the queue's lock, which every method is called under.
 */
final class Fullness {

  /*
   * Implementation notes.
   *
   * The enqueue that fills the queue records (time, dequeues) in markTime/markDequeues; a full
   * check that finds the dequeues moved on re-marks (LOAD), one that finds them unchanged for
   * stallNanos answers FAILURE.
   *
   * The clock. A full queue is checked under the queue's lock on every refused offer, and a read
   * of the system clock there (some 25 ns) was most of the lock's hold time: producers offering
   * into a full queue queued on the lock behind the clock. With the system ticker the marks read
   * a CoarseClock the shared scheduler refreshes every millisecond, so a stall is told up to a
   * millisecond (plus the timer's lag) late, against a stall time of seconds. With another ticker
   * (a test's) the marks read it, exact.
   */

  private static final long RESOLUTION_NANOS = 1_000_000L;

  private final Ticker clock;
  private long stallNanos;
  private long sojournNanos;
  private long markTime;
  private long markDequeues = -1;

  Fullness(BoundedQueueConfig config, Ticker ticker) {
    this.clock = CoarseClock.of(ticker, Timers.of(ticker, null), RESOLUTION_NANOS);
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

  /** The queue became full now, after {@code dequeues} elements were taken. */
  void full(long dequeues) {
    mark(clock.read(), dequeues);
  }

  private void mark(long now, long dequeues) {
    markTime = now;
    markDequeues = dequeues;
  }

  /** The queue has room again: the next full moment starts a new mark. */
  void forget() {
    markDequeues = -1;
  }

  /** The cause of the queue being full now, after {@code dequeues} elements were taken. */
  BackPressure cause(long dequeues) {
    long now = clock.read();
    if (markDequeues != dequeues) {
      mark(now, dequeues);
      return BackPressure.LOAD;
    }
    return now - markTime >= stallNanos ? BackPressure.FAILURE : BackPressure.LOAD;
  }
}
