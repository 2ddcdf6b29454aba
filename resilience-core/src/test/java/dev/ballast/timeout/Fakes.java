package dev.ballast.timeout;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Fake calls in virtual time, and schedulers that lose races on purpose. */
final class Fakes {
  private Fakes() {}

  /**
   * A blocking call that takes {@code d}: it advances the ticker, which runs the timers that came
   * due on this thread (a timer interrupts this very thread), then answers like a blocking call
   * would: {@link InterruptedException} if interrupted, else {@code "done"}.
   */
  static String blockFor(TestTicker ticker, Duration d) throws InterruptedException {
    ticker.advance(d);
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted while blocked");
    }
    return "done";
  }

  /** A call that takes {@code d} and ignores interrupts, leaving the flag as it finds it. */
  static String ignoreInterruptsFor(TestTicker ticker, Duration d) {
    ticker.advance(d);
    return "late";
  }

  static ExecutorService namedPool(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newCachedThreadPool(
        r -> {
          Thread t = new Thread(r, prefix + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * A scheduler whose cancel always comes too late: the timer is already running on the scheduler's
   * thread, and runs right there, as the call returns.
   */
  static final class RacingScheduler implements Scheduler {
    final TestScheduler delegate;
    final List<Runnable> ranOnCancel = new ArrayList<>();

    RacingScheduler(TestScheduler delegate) {
      this.delegate = delegate;
    }

    @Override
    public Ticker ticker() {
      return delegate.ticker();
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
      Cancellable real = delegate.schedule(task, delayNanos);
      return () -> {
        if (real.cancel()) {
          ranOnCancel.add(task);
          task.run(); // the timer thread had taken it: it fires now
        }
        return false;
      };
    }

    @Override
    public void sleep(long delayNanos) throws InterruptedException {
      delegate.sleep(delayNanos);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
