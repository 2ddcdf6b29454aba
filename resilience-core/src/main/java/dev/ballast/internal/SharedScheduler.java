package dev.ballast.internal;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import dev.ballast.Ticker;
import java.time.Duration;

/**
 * The process-wide {@link Scheduler}: a {@link TimerWheel} on the system ticker whose daemon
 * thread, {@code ballast-timer-shared}, starts on first use and lives as long as the process.
 * {@link #close()} does nothing. Not API.
 *
 * <p>Thread-safe, as the wheel it wraps.
 */
public final class SharedScheduler implements DeadlineScheduler {

  /** The shared instance. */
  public static final SharedScheduler INSTANCE = new SharedScheduler();

  private final TimerWheel wheel = TimerWheel.of("shared", Duration.ofMillis(1), Ticker.system());

  private SharedScheduler() {}

  @Override
  public Ticker ticker() {
    return wheel.ticker();
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    return wheel.schedule(task, delayNanos);
  }

  @Override
  public Cancellable scheduleAt(Runnable task, long deadline) {
    return wheel.scheduleAt(task, deadline);
  }

  @Override
  public void sleep(long delayNanos) throws InterruptedException {
    wheel.sleep(delayNanos);
  }

  /** Does nothing: the shared scheduler lives as long as the process. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "SharedScheduler[" + wheel + "]";
  }
}
