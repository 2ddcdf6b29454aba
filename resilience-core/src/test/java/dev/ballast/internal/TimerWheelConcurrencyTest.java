package dev.ballast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("concurrency")
final class TimerWheelConcurrencyTest {
  private static final int THREADS = 8;
  private static final int TASKS = 10_000;

  @Test
  void everyTaskRunsOnceOrIsCancelledNeverBothAndNothingStaysPending() throws Exception {
    int total = THREADS * TASKS;
    AtomicIntegerArray runs = new AtomicIntegerArray(total);
    AtomicIntegerArray cancelled = new AtomicIntegerArray(total);
    LongAdder ran = new LongAdder();
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    CyclicBarrier start = new CyclicBarrier(THREADS);

    try (Scheduler scheduler = Scheduler.timerWheel("stress")) {
      TimerWheel wheel = (TimerWheel) scheduler;
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int base = t * TASKS;
        long seed = 42L + t;
        Thread thread =
            new Thread(
                () -> {
                  try {
                    start.await(10, TimeUnit.SECONDS);
                    SplittableRandom random = new SplittableRandom(seed);
                    List<Cancellable> handles = new ArrayList<>(TASKS);
                    List<Integer> ids = new ArrayList<>(TASKS);
                    for (int i = 0; i < TASKS; i++) {
                      int id = base + i;
                      long delay = random.nextLong(TimeUnit.MILLISECONDS.toNanos(5));
                      Cancellable handle =
                          wheel.schedule(
                              () -> {
                                runs.incrementAndGet(id);
                                ran.increment();
                              },
                              delay);
                      int choice = random.nextInt(3);
                      if (choice == 0 && handle.cancel()) {
                        cancelled.incrementAndGet(id); // at once, usually before the wheel sees it
                      } else if (choice == 1) {
                        handles.add(handle); // later, racing with expiry
                        ids.add(id);
                      }
                    }
                    for (int i = 0; i < handles.size(); i++) {
                      if (handles.get(i).cancel()) {
                        cancelled.incrementAndGet(ids.get(i));
                      }
                    }
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                },
                "wheel-stress-" + t);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(thread.isAlive()).as(thread.getName() + " finished").isFalse();
      }
      assertThat(failure.get()).isNull();

      int cancelledCount = 0;
      for (int i = 0; i < total; i++) {
        cancelledCount += cancelled.get(i);
      }
      long expectedRuns = (long) total - cancelledCount;
      await().atMost(Duration.ofSeconds(10)).until(() -> ran.sum() >= expectedRuns);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> wheel.pendingCount() == 0 && wheel.drained());

      assertThat(ran.sum()).isEqualTo(expectedRuns);
      for (int i = 0; i < total; i++) {
        assertThat(runs.get(i) + cancelled.get(i)).as("task %d ran or was cancelled", i).isOne();
      }
      assertThat(cancelledCount).as("both fates happened").isBetween(1, total - 1);
    }
  }
}
