package dev.ballast;

import dev.ballast.internal.SharedScheduler;
import dev.ballast.internal.TimerWheel;
import java.time.Duration;

/**
 * The one seam through which Ballast waits and schedules: timeouts, retry delays and every other
 * time-based action go through a {@code Scheduler}, so that tests can replace real time with a
 * manual clock (the testkit's {@code ManualScheduler}) and never sleep.
 *
 * <p>Delays are measured on {@link #ticker()}. Scheduled tasks run on the scheduler's own thread
 * (or, for a manual scheduler, on the thread that advances time) and must be quick: they complete
 * futures or interrupt threads, they do not make calls.
 *
 * <p>Implementations are thread-safe. {@link #close()} stops a scheduler's thread; the {@link
 * #shared()} scheduler ignores it.
 */
public interface Scheduler extends AutoCloseable {

  /**
   * The clock this scheduler measures delays on.
   *
   * @return the ticker
   */
  Ticker ticker();

  /**
   * Runs {@code task} once, no sooner than {@code delayNanos} from now on {@link #ticker()}.
   *
   * @param task a quick task; an exception it throws is logged and does not stop the scheduler
   * @param delayNanos the delay, {@code >= 0}
   * @return a handle that cancels the task
   * @throws IllegalStateException when the scheduler is closed
   */
  Cancellable schedule(Runnable task, long delayNanos);

  /**
   * Blocks the calling thread for {@code delayNanos}. A manual scheduler advances its time instead
   * of blocking.
   *
   * @param delayNanos the wait, {@code >= 0}
   * @throws InterruptedException when the thread is interrupted while waiting
   */
  void sleep(long delayNanos) throws InterruptedException;

  /** Stops the scheduler's thread; tasks not yet run are dropped. Idempotent. */
  @Override
  void close();

  /**
   * The process-wide scheduler on the system ticker: a hashed timer wheel with a 1 ms tick and one
   * daemon thread named {@code ballast-timer-shared}, started on first use. Closing it does
   * nothing.
   *
   * @return the shared scheduler
   */
  static Scheduler shared() {
    return SharedScheduler.INSTANCE;
  }

  /**
   * A new scheduler of its own: a hashed timer wheel (O(1) schedule and cancel) on the system
   * ticker with a 1 ms tick, whose tasks run on one daemon thread named {@code
   * ballast-timer-<name>}. The thread starts on the first {@link #schedule} and parks while nothing
   * is pending; {@link #close()} stops it. Use one to keep some timers away from the {@linkplain
   * #shared() shared} thread.
   *
   * @param name the scheduler's name, not blank; it names the thread
   * @return the scheduler; close it when done
   */
  static Scheduler timerWheel(String name) {
    return TimerWheel.of(name, Duration.ofMillis(1), Ticker.system());
  }

  /**
   * A new timer wheel as {@link #timerWheel(String)}, with a chosen tick and ticker. Tasks run on
   * the first tick at or after their delay, so the tick is the timers' resolution.
   *
   * @param name the scheduler's name, not blank; it names the thread
   * @param tick the resolution, from 100 µs to 1 s
   * @param ticker the clock delays are measured on; the thread parks in real time between ticks and
   *     re-reads it
   * @return the scheduler; close it when done
   */
  static Scheduler timerWheel(String name, Duration tick, Ticker ticker) {
    return TimerWheel.of(name, tick, ticker);
  }
}
