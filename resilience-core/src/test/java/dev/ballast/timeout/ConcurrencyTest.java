package dev.ballast.timeout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Many threads on one timeout whose calls finish, fail, time out and get cancelled at random; each
 * thread checks its own interrupt flag before and after every call, and no timer may stay pending.
 */
@Tag("concurrency")
final class ConcurrencyTest {
  private static final int THREADS = 6;
  private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(1_500);
  private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** What the threads saw; every list must stay empty. */
  private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

  private final AtomicLong syncCalls = new AtomicLong();
  private final AtomicLong asyncCounted = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();

  @Test
  void noInterruptLeaksAndNoTimerStaysPendingInVirtualTime() throws Exception {
    TestTicker ticker = new TestTicker();
    TestScheduler scheduler = new TestScheduler(ticker);
    Timeout timeout =
        Timeout.of(
            "stress", TimeoutConfig.builder(Duration.ofMillis(5)).scheduler(scheduler).build());
    AtomicBoolean clockRuns = new AtomicBoolean(true);
    Thread clock =
        new Thread(
            () -> {
              while (clockRuns.get()) {
                ticker.advance(Duration.ofMillis(1)); // runs the timers that came due, here
                LockSupport.parkNanos(20_000);
              }
            },
            "stress-clock");
    clock.setDaemon(true);
    clock.start();
    try {
      runWorkers(timeout);
    } finally {
      clockRuns.set(false);
      clock.join(5_000);
    }
    assertThat(violations).isEmpty();
    assertThat(scheduler.pending()).as("timers left pending").isZero();
    assertThat(timeout.stats().calls())
        .as("every call the callers saw end, and only those")
        .isEqualTo(syncCalls.get() + asyncCounted.get());
    assertThat(timeout.stats().timeouts())
        .as("timeouts the callers saw")
        .isEqualTo(timeouts.get())
        .isPositive();
  }

  @Test
  void noInterruptLeaksAndNoTimerStaysPendingOnARealScheduler() throws Exception {
    try (ExecutorScheduler scheduler = new ExecutorScheduler()) {
      Timeout timeout =
          Timeout.of(
              "stress-real",
              TimeoutConfig.builder(Duration.ofMillis(2)).scheduler(scheduler).build());
      runWorkers(timeout);
      assertThat(violations).isEmpty();
      assertThat(scheduler.executor.getQueue()).as("timers left pending").isEmpty();
      assertThat(timeout.stats().calls())
          .as("every call the callers saw end, and only those")
          .isEqualTo(syncCalls.get() + asyncCounted.get());
      assertThat(timeout.stats().timeouts())
          .as("timeouts the callers saw")
          .isEqualTo(timeouts.get())
          .isPositive();
    }
  }

  private void runWorkers(Timeout timeout) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    long end = System.nanoTime() + RUN_NANOS;
    for (int i = 0; i < THREADS; i++) {
      long seed = 42L + i;
      Thread t = new Thread(() -> work(timeout, new SplittableRandom(seed), end), "stress-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join(TimeUnit.NANOSECONDS.toMillis(RUN_NANOS + GIVE_UP_NANOS));
      if (t.isAlive()) {
        violations.add(t.getName() + " still running");
      }
    }
  }

  private void work(Timeout timeout, SplittableRandom random, long end) {
    while (System.nanoTime() - end < 0) {
      if (Thread.interrupted()) {
        violations.add(Thread.currentThread().getName() + ": interrupted before a call");
      }
      int kind = random.nextInt(5);
      try {
        if (kind == 4) {
          asyncCall(timeout, random);
        } else {
          syncCalls.incrementAndGet();
          timeout.call(() -> syncCall(kind, random));
        }
      } catch (TimeoutExceededException e) {
        timeouts.incrementAndGet();
      } catch (InterruptedException e) {
        violations.add("an interrupt reached the caller: " + e);
      } catch (IllegalStateException e) {
        // the failing kind
      }
      if (Thread.currentThread().isInterrupted()) {
        violations.add(Thread.currentThread().getName() + ": interrupted after a call");
        Thread.interrupted();
      }
    }
  }

  /** 0: at once; 1: blocks until interrupted; 2: ignores interrupts for a while; 3: fails. */
  private static String syncCall(int kind, SplittableRandom random) throws InterruptedException {
    return switch (kind) {
      case 0 -> "fast";
      case 1 -> blockUntilInterrupted();
      case 2 -> ignoreInterrupts(random.nextLong(4_000_000));
      default -> throw new IllegalStateException("failed");
    };
  }

  private static String blockUntilInterrupted() throws InterruptedException {
    long giveUp = System.nanoTime() + GIVE_UP_NANOS;
    while (System.nanoTime() - giveUp < 0) {
      LockSupport.parkNanos(50_000);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
    return "never interrupted";
  }

  private static String ignoreInterrupts(long nanos) {
    long until = System.nanoTime() + nanos;
    while (System.nanoTime() - until < 0) {
      Thread.onSpinWait();
    }
    return "stubborn";
  }

  private void asyncCall(Timeout timeout, SplittableRandom random) {
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> stage = timeout.callAsync(() -> call);
    CompletableFuture<String> out = stage.toCompletableFuture();
    int how = random.nextInt(3);
    if (how == 0) {
      call.complete("async");
    } else if (how == 1) {
      out.cancel(true);
      try {
        // Cancelled by the caller's cancel, or by a timer that claimed the call just before it.
        call.handle((r, e) -> e).get(GIVE_UP_NANOS, TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        violations.add("cancelling the stage did not cancel the call: " + e);
      }
    }
    try {
      out.handle((r, e) -> e).get(GIVE_UP_NANOS, TimeUnit.NANOSECONDS);
    } catch (Exception e) {
      violations.add("async call never completed: " + e);
      return;
    }
    if (out.isCancelled()) {
      return; // not counted
    }
    asyncCounted.incrementAndGet();
    if (out.isCompletedExceptionally()) {
      timeouts.incrementAndGet();
      // Cancelled by the timer, unless the call completed itself just as the timer claimed it.
      if (!call.isDone()) {
        violations.add("a timed-out call was not cancelled");
      }
    }
  }

  /** A scheduler on a real clock and a private single-thread scheduled executor. */
  static final class ExecutorScheduler implements Scheduler {
    final ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "stress-timer");
              t.setDaemon(true);
              return t;
            });

    ExecutorScheduler() {
      executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Ticker ticker() {
      return Ticker.system();
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
      ScheduledFuture<?> f = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    }

    @Override
    public void sleep(long delayNanos) {
      throw new UnsupportedOperationException("Timeout schedules; it never sleeps");
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }
}
