package dev.ballast.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("concurrency")
final class ThreadPoolBulkheadConcurrencyTest {
  private static final int SUBMITTERS = 8;
  private static final int TASKS_EACH = 2_000;
  private static final int MAX_THREADS = 4;

  private static void spin(int n) {
    for (int i = 0; i < n; i++) {
      Thread.onSpinWait();
    }
  }

  @Test
  void everyTaskRunsOnceOrIsRefusedOrCancelledOnceAndNoThreadIsLeft() throws Exception {
    ThreadPoolBulkhead pool =
        ThreadPoolBulkhead.of(
            "stress",
            ThreadPoolBulkheadConfig.builder()
                .maxThreads(MAX_THREADS)
                .queueCapacity(8)
                .keepAlive(Duration.ofMillis(1))
                .build());
    int total = SUBMITTERS * TASKS_EACH;
    AtomicIntegerArray runs = new AtomicIntegerArray(total);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    LongAdder refused = new LongAdder();
    LongAdder cancelledByUs = new LongAdder();
    List<List<CompletableFuture<Integer>>> stages = new ArrayList<>();
    CyclicBarrier go = new CyclicBarrier(SUBMITTERS);
    List<Thread> submitters = new ArrayList<>();
    for (int s = 0; s < SUBMITTERS; s++) {
      int base = s * TASKS_EACH;
      List<CompletableFuture<Integer>> mine = new ArrayList<>();
      stages.add(mine);
      SplittableRandom random = new SplittableRandom(s);
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                for (int i = 0; i < TASKS_EACH; i++) {
                  int id = base + i;
                  int work = random.nextInt(200);
                  CompletableFuture<Integer> f =
                      pool.submit(
                              () -> {
                                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                                runs.incrementAndGet(id);
                                spin(work);
                                inside.decrementAndGet();
                                return id;
                              })
                          .toCompletableFuture();
                  mine.add(f);
                  if (random.nextInt(4) == 0 && f.cancel(random.nextBoolean())) {
                    cancelledByUs.increment();
                  }
                }
              },
              "submitter-" + s);
      submitters.add(t);
      t.start();
    }
    for (Thread t : submitters) {
      t.join(60_000);
      assertThat(t.isAlive()).isFalse();
    }
    List<CompletableFuture<Integer>> all = new ArrayList<>();
    stages.forEach(all::addAll);
    await().until(() -> all.stream().allMatch(CompletableFuture::isDone));
    await().until(() -> pool.stats().activeThreads() == 0);

    int ran = 0;
    int cancelledStages = 0;
    for (int id = 0; id < total; id++) {
      CompletableFuture<Integer> f = all.get(id);
      assertThat(runs.get(id)).as("task %s runs", id).isLessThanOrEqualTo(1);
      ran += runs.get(id);
      if (f.isCancelled()) {
        cancelledStages++;
      } else {
        try {
          assertThat(f.join()).isEqualTo(id);
          assertThat(runs.get(id)).as("a task whose stage succeeded ran").isEqualTo(1);
        } catch (CompletionException e) {
          assertThat(e.getCause()).isInstanceOf(ThreadPoolBulkheadRejectedException.class);
          assertThat(runs.get(id)).as("a refused task never ran").isZero();
          refused.increment();
        }
      }
    }
    ThreadPoolBulkheadStats stats = pool.stats();
    assertThat(stats.calls() + stats.rejections()).isEqualTo(total);
    assertThat(stats.rejections()).isEqualTo(refused.sum());
    assertThat(stats.calls() - stats.cancellations())
        .as("admitted and not cancelled ran")
        .isEqualTo(ran);
    assertThat(stats.cancellations()).isLessThanOrEqualTo(cancelledStages);
    assertThat(cancelledStages).isEqualTo(cancelledByUs.intValue());
    assertThat(stats.queued()).isZero();
    assertThat(most.get()).isLessThanOrEqualTo(MAX_THREADS);

    pool.close();
    assertThat(pool.stats().threads()).isZero();
    await().until(() -> ThreadPoolBulkheadTest.threadsNamed("ballast-stress-").isEmpty());
  }
}
