package dev.ballast.internal;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import dev.ballast.Ticker;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide {@link Scheduler}: one named daemon thread. Placeholder implementation on a
 * {@link ScheduledThreadPoolExecutor}, to be replaced by the timer wheel. Not API.
 */
public final class SharedScheduler implements Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(SharedScheduler.class);

  /** The shared instance. */
  public static final SharedScheduler INSTANCE = new SharedScheduler();

  private final ScheduledThreadPoolExecutor executor;

  private SharedScheduler() {
    executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "ballast-scheduler");
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
  }

  @Override
  public Ticker ticker() {
    return Ticker.system();
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    Preconditions.notNull("task", task);
    if (delayNanos < 0) {
      throw new IllegalArgumentException("delayNanos must be >= 0, was " + delayNanos);
    }
    ScheduledFuture<?> f =
        executor.schedule(
            () -> {
              try {
                task.run();
              } catch (RuntimeException | Error e) {
                LOG.warn("scheduled task threw; ignored", e);
              }
            },
            delayNanos,
            TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void sleep(long delayNanos) throws InterruptedException {
    long deadline = System.nanoTime() + delayNanos;
    long remaining = delayNanos;
    while (remaining > 0) {
      LockSupport.parkNanos(this, remaining);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      remaining = deadline - System.nanoTime();
    }
  }

  @Override
  public void close() {
    // The shared scheduler lives as long as the process; its thread is a daemon.
  }
}
