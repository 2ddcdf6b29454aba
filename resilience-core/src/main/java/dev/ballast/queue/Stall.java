package dev.ballast.queue;

import dev.ballast.Scheduler;
import dev.ballast.Ticker;
import dev.ballast.internal.CoarseClock;

/**
 * Tells load from a stalled consumer for a full queue: full while the consumers keep taking is
 * {@link BackPressure#LOAD}; full with no take for the stall time is {@link BackPressure#FAILURE}.
 * Not thread-safe: the queue calls it under its lock.
 */
final class Stall {

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
  private final long stallNanos;
  private long markTime;
  private long markDequeues = -1;

  Stall(Ticker ticker, long stallNanos) {
    this.clock =
        CoarseClock.of(
            ticker, ticker == Ticker.system() ? Scheduler.shared() : null, RESOLUTION_NANOS);
    this.stallNanos = stallNanos;
  }

  /** The queue just filled up, after {@code dequeues} takes. */
  void filled(long dequeues) {
    markTime = clock.read();
    markDequeues = dequeues;
  }

  /** The queue has room again after a capacity raise: the next fill marks afresh. */
  void forget() {
    markDequeues = -1;
  }

  /** The cause of the queue being full now, after {@code dequeues} takes. */
  BackPressure cause(long dequeues) {
    long now = clock.read();
    if (markDequeues != dequeues) {
      markTime = now;
      markDequeues = dequeues;
      return BackPressure.LOAD;
    }
    return now - markTime >= stallNanos ? BackPressure.FAILURE : BackPressure.LOAD;
  }
}
