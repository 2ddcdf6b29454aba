package dev.ballast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import dev.ballast.Together;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
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

    try (Scheduler scheduler = Scheduler.timerWheel("stress")) {
      TimerWheel wheel = (TimerWheel) scheduler;
      Together.run(
          THREADS,
          t -> {
            int base = t * TASKS;
            SplittableRandom random = new SplittableRandom(42L + t);
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
          });

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
