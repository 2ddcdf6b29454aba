package dev.ballast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ballast.Scheduler;
import dev.ballast.TestTicker;
import dev.ballast.Ticker;
import dev.ballast.testlog.LogCapture;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The wheel with its own thread: starting, waking, stopping, and the shared instance. */
final class TimerWheelThreadTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static @Nullable Thread threadNamed(String name) {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(name)) {
        return t;
      }
    }
    return null;
  }

  @Test
  void firesATaskAfterItsDelayInRealTime() throws Exception {
    try (Scheduler wheel = Scheduler.timerWheel("fires")) {
      long scheduledAt = System.nanoTime();
      CompletableFuture<Long> firedAt = new CompletableFuture<>();

      wheel.schedule(() -> firedAt.complete(System.nanoTime()), TimeUnit.MILLISECONDS.toNanos(20));

      await().atMost(WAIT).until(firedAt::isDone);
      assertThat(firedAt.get() - scheduledAt).isGreaterThanOrEqualTo(20_000_000L);
    }
  }

  @Test
  void runsTasksOnANamedDaemonThreadStartedOnFirstUse() {
    try (Scheduler wheel = Scheduler.timerWheel("named")) {
      assertThat(threadNamed("ballast-timer-named")).as("not started before first use").isNull();
      CompletableFuture<Thread> ranOn = new CompletableFuture<>();

      wheel.schedule(() -> ranOn.complete(Thread.currentThread()), 0);

      await().atMost(WAIT).until(ranOn::isDone);
      Thread thread = ranOn.join();
      assertThat(thread.getName()).isEqualTo("ballast-timer-named");
      assertThat(thread.isDaemon()).isTrue();
    }
  }

  @Test
  void closeStopsTheThreadAndLaterSchedulesThrow() {
    Scheduler wheel = Scheduler.timerWheel("closing");
    CountDownLatch ran = new CountDownLatch(1);
    wheel.schedule(ran::countDown, 0);
    wheel.schedule(() -> {}, TimeUnit.HOURS.toNanos(1));
    await().atMost(WAIT).until(() -> ran.getCount() == 0);
    assertThat(threadNamed("ballast-timer-closing")).isNotNull();

    wheel.close();

    await().atMost(WAIT).until(() -> threadNamed("ballast-timer-closing") == null);
    assertThat(((TimerWheel) wheel).pendingCount()).isZero();
    assertThatIllegalStateException()
        .isThrownBy(() -> wheel.schedule(() -> {}, 0))
        .withMessage("timer wheel closing is closed");
    wheel.close();
  }

  @Test
  void closingAWheelThatNeverStartedLeavesNoThread() {
    Scheduler wheel = Scheduler.timerWheel("unused");
    wheel.close();

    assertThat(threadNamed("ballast-timer-unused")).isNull();
    assertThatIllegalStateException().isThrownBy(() -> wheel.schedule(() -> {}, 0));
  }

  @Test
  void closeStopsAnIdleThreadBeforeReturningAndWarnsOfNothing() {
    LogCapture.clear();
    TimerWheel wheel = TimerWheel.of("stopping", Duration.ofMillis(1), Ticker.system());
    CountDownLatch ran = new CountDownLatch(1);
    wheel.schedule(ran::countDown, 0);
    await().atMost(WAIT).until(() -> ran.getCount() == 0);
    Thread t = Objects.requireNonNull(wheel.thread());
    await().atMost(WAIT).until(() -> t.getState() == Thread.State.WAITING);

    wheel.close();

    assertThat(t.isAlive()).as("woken, and waited for").isFalse();
    assertThat(LogCapture.lines(TimerWheel.class.getName()))
        .noneMatch(l -> l.message().contains("name=stopping"));
  }

  @Test
  void closeInterruptedWhileWaitingForABlockedTaskKeepsTheInterrupt() throws Exception {
    TimerWheel wheel = TimerWheel.of("blocked", Duration.ofMillis(1), Ticker.system());
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    wheel.schedule(
        () -> {
          started.countDown();
          awaitUninterruptibly(release);
        },
        0);
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    Thread t = Objects.requireNonNull(wheel.thread());

    Thread.currentThread().interrupt();
    wheel.close();

    assertThat(Thread.interrupted()).as("the caller's interrupt is not swallowed").isTrue();
    release.countDown();
    t.join(WAIT.toMillis());
    assertThat(t.isAlive()).isFalse();
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean done = false;
    while (!done) {
      try {
        done = latch.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        // the task holds the thread until released
      }
    }
  }

  @Test
  void whileATaskIsPendingTheThreadParksTickByTickOnItsTicker() {
    TestTicker ticker = new TestTicker();
    TimerWheel wheel = TimerWheel.of("ticking", Duration.ofMillis(1), ticker);
    try {
      ticker.advance(Duration.ofSeconds(10)); // the first tick comes long after the origin
      CountDownLatch ran = new CountDownLatch(1);
      wheel.schedule(ran::countDown, TimeUnit.MILLISECONDS.toNanos(5));
      Thread t = Objects.requireNonNull(wheel.thread());

      // Parked until the next tick, then again: never spinning, never sleeping past a tick.
      await().atMost(WAIT).until(() -> t.getState() == Thread.State.TIMED_WAITING);
      assertThat(ran.getCount()).as("the wheel's ticker has not moved").isEqualTo(1);
      ticker.advanceMillis(5);

      await().atMost(WAIT).until(() -> ran.getCount() == 0);
    } finally {
      wheel.close();
    }
  }

  @Test
  void sleepParksAgainOnlyForTheTimeTheTickerSaysIsLeft() {
    long delay = TimeUnit.SECONDS.toNanos(60);
    // Reads: the wheel's origin, the sleep's start, then 1 ms short of the delay, then past it.
    Ticker scripted = new ScriptedTicker(0, 0, delay - TimeUnit.MILLISECONDS.toNanos(1), delay);
    TimerWheel wheel = TimerWheel.manual(scripted, TimeUnit.MILLISECONDS.toNanos(1), 8);

    assertTimeoutPreemptively(WAIT, () -> wheel.sleep(delay));
  }

  /** Returns the given readings in turn, then the last one forever. */
  private static final class ScriptedTicker implements Ticker {
    private final long[] readings;
    private final AtomicInteger next = new AtomicInteger();

    ScriptedTicker(long... readings) {
      this.readings = readings;
    }

    @Override
    public long read() {
      return readings[Math.min(next.getAndIncrement(), readings.length - 1)];
    }
  }

  @Test
  void aWheelWhoseThreadFailsSaysSoAndRefusesLaterTasks() throws InterruptedException {
    LogCapture.clear();
    // A clock that breaks on the wheel's own thread: the one failure a task cannot cause.
    Ticker breaksOnTheWheel =
        () -> {
          if (Thread.currentThread().getName().equals("ballast-timer-broken")) {
            throw new IllegalStateException("clock broke");
          }
          return System.nanoTime();
        };
    TimerWheel wheel = TimerWheel.of("broken", Duration.ofMillis(1), breaksOnTheWheel);
    AtomicInteger ran = new AtomicInteger();
    wheel.schedule(ran::incrementAndGet, 0);
    Thread t = Objects.requireNonNull(wheel.thread());

    t.join(WAIT.toMillis()); // not Awaitility's await(), which would rethrow the thread's failure
    assertThat(t.isAlive()).isFalse();

    assertThatIllegalStateException()
        .isThrownBy(() -> wheel.schedule(ran::incrementAndGet, 0))
        .withMessage("timer wheel broken is closed");
    assertThat(ran).hasValue(0);
    assertThat(LogCapture.lines(TimerWheel.class.getName()))
        .anySatisfy(
            l -> {
              assertThat(l.message())
                  .isEqualTo("name=broken timer thread failed; the wheel is closed");
              assertThat(l.error()).hasMessage("clock broke");
            });
  }

  @Test
  void anIdleWheelParksAndWakesForTheNextTask() {
    try (Scheduler wheel = Scheduler.timerWheel("idle")) {
      CountDownLatch first = new CountDownLatch(1);
      wheel.schedule(first::countDown, 0);
      await().atMost(WAIT).until(() -> first.getCount() == 0);
      Thread t = Objects.requireNonNull(((TimerWheel) wheel).thread());
      // Nothing pending: the thread parks without a deadline.
      await().atMost(WAIT).until(() -> t.getState() == Thread.State.WAITING);

      CountDownLatch second = new CountDownLatch(1);
      wheel.schedule(second::countDown, 0);

      await().atMost(WAIT).until(() -> second.getCount() == 0);
    }
  }

  @Test
  void aTaskThatInterruptsTheWheelThreadDoesNotStopOrSpinIt() {
    try (Scheduler wheel = Scheduler.timerWheel("interrupted")) {
      CountDownLatch ran = new CountDownLatch(2);
      wheel.schedule(
          () -> {
            Thread.currentThread().interrupt();
            ran.countDown();
          },
          0);
      wheel.schedule(ran::countDown, TimeUnit.MILLISECONDS.toNanos(5));

      await().atMost(WAIT).until(() -> ran.getCount() == 0);
      Thread t = Objects.requireNonNull(((TimerWheel) wheel).thread());
      // With the flag left set, every park() would return at once: the thread would spin.
      await().atMost(WAIT).until(() -> !t.isInterrupted() && t.getState() == Thread.State.WAITING);
    }
  }

  @Test
  void sleepWaitsForTheTickerAndIsInterruptible() throws Exception {
    TestTicker ticker = new TestTicker();
    try (Scheduler wheel = Scheduler.timerWheel("sleeper", Duration.ofMillis(1), ticker)) {
      AtomicReference<@Nullable Throwable> shortSleep = new AtomicReference<>();
      Thread first = sleeper(wheel, TimeUnit.MILLISECONDS.toNanos(10), shortSleep);
      await().atMost(WAIT).until(() -> first.getState() == Thread.State.TIMED_WAITING);
      // The virtual clock has not moved: the sleeper keeps waiting, however long that takes.
      assertThat(first.isAlive()).isTrue();
      ticker.advanceMillis(10);
      first.join(5_000);
      assertThat(first.isAlive()).isFalse();
      assertThat(shortSleep.get()).isNull();

      AtomicReference<@Nullable Throwable> longSleep = new AtomicReference<>();
      Thread second = sleeper(wheel, TimeUnit.HOURS.toNanos(1), longSleep);
      await().atMost(WAIT).until(() -> second.getState() == Thread.State.TIMED_WAITING);
      second.interrupt();
      second.join(5_000);
      assertThat(longSleep.get()).isInstanceOf(InterruptedException.class);
    }
  }

  private static Thread sleeper(
      Scheduler wheel, long nanos, AtomicReference<@Nullable Throwable> thrown) {
    Thread t =
        new Thread(
            () -> {
              try {
                wheel.sleep(nanos);
              } catch (InterruptedException e) {
                thrown.set(e);
              }
            },
            "test-sleeper");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Test
  void sleepThrowsAtOnceWhenAlreadyInterrupted() {
    Scheduler wheel = Scheduler.shared();
    Thread.currentThread().interrupt();

    assertThatThrownBy(() -> wheel.sleep(0)).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).as("flag cleared, as Thread.sleep clears it").isFalse();
  }

  @Test
  void sharedSchedulerIsAWheelOnItsOwnThreadAndIgnoresClose() {
    Scheduler shared = Scheduler.shared();
    assertThat(shared.ticker()).isSameAs(Ticker.system());
    shared.close();
    AtomicReference<String> ranOn = new AtomicReference<>();
    AtomicLong after = new AtomicLong();
    long scheduledAt = System.nanoTime();

    shared.schedule(
        () -> {
          after.set(System.nanoTime() - scheduledAt);
          ranOn.set(Thread.currentThread().getName());
        },
        TimeUnit.MILLISECONDS.toNanos(2));

    await().atMost(WAIT).until(() -> ranOn.get() != null);
    assertThat(ranOn.get()).isEqualTo("ballast-timer-shared");
    assertThat(after.get()).isGreaterThanOrEqualTo(2_000_000L);
    assertThat(shared.schedule(() -> {}, TimeUnit.HOURS.toNanos(1)).cancel()).isTrue();
  }

  @Test
  void sharedSchedulerDescribesTheWheelItWraps() {
    assertThat(Scheduler.shared().toString())
        .startsWith("SharedScheduler[TimerWheel[name=shared, tick=1000us, buckets=1024, pending=")
        .endsWith("]]");
  }
}
