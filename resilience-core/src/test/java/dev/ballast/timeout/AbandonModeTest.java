package dev.ballast.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ballast.Gate;
import dev.ballast.Pipeline;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class AbandonModeTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final ExecutorService pool = Fakes.namedPool("abandon-test-");
  private final CountDownLatch release = new CountDownLatch(1);
  private final Timeout timeout =
      Timeout.of(
          "legacy",
          TimeoutConfig.builder(Duration.ofSeconds(1))
              .scheduler(scheduler)
              .mode(Timeout.Mode.ABANDON)
              .executor(pool)
              .build());

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(Thread.interrupted()).as("interrupt flag after the test").isFalse();
  }

  /** Work that ignores interrupts: lets {@code d} pass, then holds until the test releases it. */
  private String hang(Duration d) {
    ticker.advance(d);
    boolean released = false;
    while (!released) {
      try {
        released = release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        // ignores interrupts, like the code this mode is for
      }
    }
    return "finally";
  }

  @Test
  void runsTheCallOnTheExecutorAndReturnsItsResult() throws Exception {
    String thread = timeout.call(() -> Thread.currentThread().getName());
    assertThat(thread).startsWith("abandon-test-");
    assertThat(timeout.stats().successes()).isEqualTo(1);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void passesCheckedExceptionsThroughUnchanged() {
    IOException failure = new IOException("disk");
    assertThatThrownBy(() -> read(failure)).isSameAs(failure);
    assertThat(timeout.stats().failures()).isEqualTo(1);
    assertThat(scheduler.pending()).isZero();
  }

  private String read(IOException failure) throws IOException {
    return timeout.call(
        () -> {
          throw failure;
        });
  }

  @Test
  void returnsAtTheDeadlineAndCountsTheAbandonedWorkUntilItReallyEnds() {
    List<Long> finished = new CopyOnWriteArrayList<>();
    timeout.addListener(
        new TimeoutListener() {
          @Override
          public void onAbandonedFinished(long durationNanos) {
            finished.add(durationNanos);
          }
        });
    assertThatThrownBy(() -> timeout.call(() -> hang(Duration.ofSeconds(3))))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class,
            e -> {
              assertThat(e.component()).isEqualTo("legacy");
              assertThat(e.duration()).isEqualTo(Duration.ofSeconds(1));
            });
    assertThat(timeout.stats().timeouts()).isEqualTo(1);
    assertThat(timeout.stats().abandonedRunning()).isEqualTo(1);
    assertThat(finished).isEmpty();

    ticker.advance(Duration.ofSeconds(2));
    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> timeout.stats().abandonedRunning() == 0);
    await().atMost(Duration.ofSeconds(5)).until(() -> finished.size() == 1);
    assertThat(finished.get(0)).isEqualTo(Duration.ofSeconds(5).toNanos());
    assertThat(timeout.stats().calls()).as("the late outcome is not counted again").isEqualTo(1);
  }

  @Test
  void anInnerGateKeepsItsPermitUntilTheAbandonedWorkEnds() {
    RecordingGate gate = new RecordingGate();
    Pipeline pipeline = Pipeline.of(timeout, gate);
    assertThatThrownBy(() -> pipeline.call(() -> hang(Duration.ofSeconds(2))))
        .isInstanceOf(TimeoutExceededException.class);
    assertThat(gate.events).containsExactly("acquire 1");
    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> gate.events.size() == 2);
    assertThat(gate.events).containsExactly("acquire 1", "result 1 finally");
  }

  @Test
  void aCallerInterruptedWhileWaitingAbandonsTheWorkAndKeepsItsFlag() {
    Thread caller = Thread.currentThread();
    assertThatThrownBy(
            () ->
                timeout.call(
                    () -> {
                      caller.interrupt(); // someone else interrupts the waiting caller
                      return hang(Duration.ZERO);
                    }))
        .isInstanceOf(CancellationException.class)
        .hasMessageContaining("interrupted while waiting");
    assertThat(Thread.interrupted()).as("the interrupt is the caller's to handle").isTrue();
    assertThat(timeout.stats().abandonedRunning()).isEqualTo(1);
    assertThat(timeout.stats().failures()).isEqualTo(1);
    assertThat(scheduler.pending()).isZero();
    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> timeout.stats().abandonedRunning() == 0);
  }

  @Test
  void aCallerAlreadyInterruptedDoesNotStartTheWork() {
    AtomicLong started = new AtomicLong();
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> timeout.call(started::incrementAndGet))
        .isInstanceOf(CancellationException.class);
    assertThat(Thread.interrupted()).isTrue();
    assertThat(started).hasValue(0);
    assertThat(timeout.stats().abandonedRunning()).isZero();
    assertThat(timeout.stats().failures()).as("counted as the caller saw it").isEqualTo(1);
    assertThat(timeout.stats().calls()).isEqualTo(1);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void aWaitingCallerParksUntilTheWorkEnds() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<@Nullable String> result = new AtomicReference<>();
    Thread caller =
        new Thread(
            () ->
                result.set(
                    timeout.call(
                        () -> {
                          started.countDown();
                          return hang(Duration.ZERO);
                        })),
            "abandon-test-caller");
    caller.setDaemon(true);
    caller.start();
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    await().atMost(Duration.ofSeconds(5)).until(() -> caller.getState() == Thread.State.WAITING);
    release.countDown();

    caller.join(5_000);
    assertThat(caller.isAlive()).isFalse();
    assertThat(result).hasValue("finally");
  }

  @Test
  void aTimerThatFiresJustAfterTheWorkEndedAbandonsNothing() {
    Fakes.RacingScheduler racing = new Fakes.RacingScheduler(scheduler);
    Timeout late =
        Timeout.of(
            "late-timer",
            TimeoutConfig.builder(Duration.ofSeconds(1))
                .scheduler(racing)
                .mode(Timeout.Mode.ABANDON)
                .executor(pool)
                .build());

    assertThat(late.call(() -> "in time")).isEqualTo("in time");

    assertThat(racing.ranOnCancel).as("the timer fired as it was cancelled").hasSize(1);
    assertThat(late.stats().abandonedRunning()).isZero();
    assertThat(late.stats().successes()).isEqualTo(1);
    assertThat(late.stats().timeouts()).isZero();
  }

  @Test
  void theDefaultExecutorHasNamedDaemonThreadsAndStopsOnClose() throws Exception {
    Timeout own =
        Timeout.of(
            "own",
            TimeoutConfig.builder(Duration.ofSeconds(1))
                .scheduler(scheduler)
                .mode(Timeout.Mode.ABANDON)
                .build());
    Thread worker = own.call(Thread::currentThread);
    assertThat(worker.getName()).startsWith("ballast-timeout-own-");
    assertThat(worker.isDaemon()).isTrue();
    assertThat(worker).isNotSameAs(Thread.currentThread());
    boolean hasVirtualThreads = Runtime.version().feature() >= 21;
    assertThat(AbandonExecutors.virtualThreadsAvailable()).isEqualTo(hasVirtualThreads);
    if (hasVirtualThreads) {
      assertThat(Thread.class.getMethod("isVirtual").invoke(worker)).isEqualTo(true);
    }
    own.close();
    own.close();
    assertThatThrownBy(() -> own.call(() -> "after close"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("timeout 'own' is closed");
    worker.join(5_000);
    assertThat(worker.isAlive()).isFalse();
  }

  @Test
  void closingLeavesAGivenExecutorAlone() throws Exception {
    timeout.close();
    assertThat(pool.isShutdown()).isFalse();
    assertThat(timeout.call(() -> "still")).isEqualTo("still");
  }

  /** A gate that records its permit protocol. */
  static final class RecordingGate implements Gate {
    final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicLong next = new AtomicLong();

    @Override
    public long acquire() {
      long permit = next.incrementAndGet();
      events.add("acquire " + permit);
      return permit;
    }

    @Override
    public void onResult(long permit, @Nullable Object result) {
      events.add("result " + permit + " " + result);
    }

    @Override
    public void onError(long permit, Throwable error) {
      events.add("error " + permit + " " + error);
    }

    @Override
    public void release(long permit) {
      events.add("release " + permit);
    }
  }
}
