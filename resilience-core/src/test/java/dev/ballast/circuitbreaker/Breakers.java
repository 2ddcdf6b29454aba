package dev.ballast.circuitbreaker;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.Ticker;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Helpers shared by the breaker tests. */
final class Breakers {
  private Breakers() {}

  static CircuitBreakerConfig.Builder config(TestTicker ticker) {
    return CircuitBreakerConfig.builder().ticker(ticker).waitInOpen(Duration.ofSeconds(10));
  }

  static void succeed(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      breaker.call(() -> "ok");
    }
  }

  static void fail(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      try {
        breaker.call(
            () -> {
              throw new IOException("boom");
            });
      } catch (IOException expected) {
        // counted by the breaker
      }
    }
  }

  /** A call that takes {@code d} on the ticker. */
  static void slow(CircuitBreaker breaker, TestTicker ticker, Duration d) {
    breaker.call(
        () -> {
          ticker.advance(d);
          return "late";
        });
  }

  /** A test scheduler whose ticker counts the reads of its users (the breaker), not its own. */
  static final class CountingScheduler implements Scheduler {
    private final TestScheduler delegate;
    private final Ticker counting;

    CountingScheduler(TestScheduler delegate, AtomicLong reads) {
      this.delegate = delegate;
      this.counting =
          () -> {
            reads.incrementAndGet();
            return delegate.ticker().read();
          };
    }

    @Override
    public Ticker ticker() {
      return counting;
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
      return delegate.schedule(task, delayNanos);
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
