package dev.ballast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Cancellable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

final class ManualSchedulerTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final ManualTicker ticker = new ManualTicker(-5 * SECOND);
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final List<String> ran = new CopyOnWriteArrayList<>();

  private Cancellable schedule(String label, long seconds) {
    return scheduler.schedule(() -> ran.add(label), seconds * SECOND);
  }

  @Test
  void runsTasksThatCameDueInTimeOrderOnTheAdvancingThread() {
    List<String> threads = new ArrayList<>();
    schedule("c", 3);
    schedule("a", 1);
    scheduler.schedule(() -> threads.add(Thread.currentThread().getName()), 2 * SECOND);
    schedule("b", 2);
    schedule("a2", 1);

    ticker.advance(Duration.ofSeconds(2));

    assertThat(ran).containsExactly("a", "a2", "b");
    assertThat(threads).containsExactly(Thread.currentThread().getName());
    assertThat(scheduler.pending()).isEqualTo(1);
  }

  @Test
  void runsNoTaskBeforeItsTime() {
    schedule("a", 1);

    ticker.advanceNanos(SECOND - 1);
    assertThat(ran).isEmpty();
    ticker.advanceNanos(1);
    assertThat(ran).containsExactly("a");
  }

  @Test
  void stopsAtEachDueTimeSoTasksSeeTheirOwnTimeAndTheirFollowUpsRun() {
    long start = ticker.read();
    List<Long> seen = new ArrayList<>();
    Runnable[] chain = new Runnable[1];
    chain[0] =
        () -> {
          seen.add(ticker.read() - start);
          if (seen.size() < 3) {
            scheduler.schedule(chain[0], SECOND);
          }
        };
    scheduler.schedule(chain[0], SECOND);

    long reading = ticker.advance(Duration.ofSeconds(10));

    assertThat(seen).containsExactly(SECOND, 2 * SECOND, 3 * SECOND);
    assertThat(reading).isEqualTo(start + 10 * SECOND);
    assertThat(ticker.read()).isEqualTo(start + 10 * SECOND);
  }

  @Test
  void aZeroDelayRunsOnTheNextAdvanceEvenOfZero() {
    schedule("now", 0);
    assertThat(ran).isEmpty();

    ticker.advance(Duration.ZERO);

    assertThat(ran).containsExactly("now");
  }

  @Test
  void aCancelledTaskNeverRunsAndLeavesAtOnce() {
    Cancellable a = schedule("a", 1);
    Cancellable b = schedule("b", 1);

    assertThat(a.cancel()).isTrue();
    assertThat(a.cancel()).isFalse();
    assertThat(scheduler.pending()).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(1));

    assertThat(ran).containsExactly("b");
    assertThat(b.cancel()).as("already ran").isFalse();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void sleepAdvancesTheTickerAndRunsWhatFallsDueOnTheSleepingThread() throws Exception {
    long start = ticker.read();
    schedule("a", 1);
    schedule("b", 5);

    scheduler.sleep(3 * SECOND);

    assertThat(ticker.read()).isEqualTo(start + 3 * SECOND);
    assertThat(ran).containsExactly("a");
  }

  @Test
  void sleepThrowsWhenTheThreadIsAlreadyInterrupted() {
    long start = ticker.read();
    Thread.currentThread().interrupt();

    assertThatThrownBy(() -> scheduler.sleep(SECOND)).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).as("flag cleared").isFalse();
    assertThat(ticker.read()).isEqualTo(start);
  }

  @Test
  void sleepEndsAtTheTimeATaskInterruptsTheSleeper() {
    long start = ticker.read();
    Thread sleeper = Thread.currentThread();
    scheduler.schedule(sleeper::interrupt, 3 * SECOND); // as a timeout would
    schedule("later", 5);

    assertThatThrownBy(() -> scheduler.sleep(10 * SECOND)).isInstanceOf(InterruptedException.class);

    assertThat(Thread.interrupted()).isFalse();
    assertThat(ticker.read()).isEqualTo(start + 3 * SECOND);
    assertThat(ran).isEmpty();
  }

  @Test
  void aThrowingTaskDoesNotStopTheOthers() {
    schedule("before", 1);
    scheduler.schedule(
        () -> {
          throw new IllegalStateException("boom");
        },
        SECOND);
    schedule("after", 1);

    ticker.advance(Duration.ofSeconds(1));

    assertThat(ran).containsExactly("before", "after");
  }

  @Test
  void aTaskMayAdvanceTheTickerItself() {
    scheduler.schedule(
        () -> {
          ran.add("outer");
          ticker.advance(Duration.ofSeconds(5)); // say, a retry sleeping inside a timer task
        },
        SECOND);
    schedule("inner", 3);

    ticker.advance(Duration.ofSeconds(1));

    assertThat(ran).containsExactly("outer", "inner");
  }

  @Test
  void schedulersSharingATickerRunInTimeOrder() {
    ManualScheduler other = new ManualScheduler(ticker);
    schedule("mine 2", 2);
    other.schedule(() -> ran.add("other 1"), SECOND);
    other.schedule(() -> ran.add("other 3"), 3 * SECOND);

    ticker.advance(Duration.ofSeconds(3));

    assertThat(ran).containsExactly("other 1", "mine 2", "other 3");
  }

  @Test
  void closeDropsTasksDetachesAndRefusesNewOnes() {
    Cancellable a = schedule("a", 1);

    scheduler.close();
    scheduler.close();
    ticker.advance(Duration.ofSeconds(2));

    assertThat(ran).isEmpty();
    assertThat(scheduler.pending()).isZero();
    assertThat(a.cancel()).as("it did stop the task").isTrue();
    assertThatIllegalStateException()
        .isThrownBy(() -> schedule("b", 1))
        .withMessage("manual scheduler is closed");
  }

  @Test
  void refusesAnAdvanceThatWouldOverflowBeforeRunningAnything() {
    ManualTicker edge = new ManualTicker(Long.MAX_VALUE - 10);
    ManualScheduler s = new ManualScheduler(edge);
    s.schedule(() -> ran.add("a"), 5);

    assertThatIllegalArgumentException().isThrownBy(() -> edge.advanceNanos(11));
    assertThat(ran).isEmpty();
    assertThat(edge.advanceNanos(10)).isEqualTo(Long.MAX_VALUE);
    assertThat(ran).containsExactly("a");
  }

  @Test
  void rejectsBadArguments() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> scheduler.schedule(() -> {}, -1))
        .withMessage("delayNanos must be >= 0, was -1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> scheduler.sleep(-1))
        .withMessage("delayNanos must be >= 0, was -1");
  }

  @Test
  void startsItsOwnTickerAtZero() {
    assertThat(new ManualScheduler().ticker().read()).isZero();
  }

  @Test
  @Tag("concurrency")
  void everyTaskRunsOnceOrIsCancelledWhileManyThreadsScheduleAndAdvance() throws Exception {
    int threads = 4;
    int tasks = 2_000;
    AtomicIntegerArray runs = new AtomicIntegerArray(threads * tasks);
    AtomicIntegerArray cancelled = new AtomicIntegerArray(threads * tasks);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger names = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "manual-scheduler-test-" + names.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * tasks;
        long seed = 7L + t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  SplittableRandom random = new SplittableRandom(seed);
                  for (int i = 0; i < tasks; i++) {
                    int id = base + i;
                    Cancellable c =
                        scheduler.schedule(() -> runs.incrementAndGet(id), random.nextLong(100));
                    if (random.nextBoolean() && c.cancel()) {
                      cancelled.incrementAndGet(id);
                    }
                    ticker.advanceNanos(random.nextLong(3));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    ticker.advanceNanos(100);

    assertThat(scheduler.pending()).isZero();
    for (int i = 0; i < threads * tasks; i++) {
      assertThat(runs.get(i) + cancelled.get(i)).as("task %d", i).isOne();
    }
  }
}
