package dev.ballast.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ballast.Gate;
import dev.ballast.Together;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("concurrency")
final class ConcurrencyTest {
  private static final int THREADS = 8;
  private static final int ATTEMPTS = 3_000;

  /** Tracks how many calls are inside at once and the most ever seen. */
  static final class Inside {
    final AtomicInteger now = new AtomicInteger();
    final AtomicInteger most = new AtomicInteger();

    void enter() {
      most.accumulateAndGet(now.incrementAndGet(), Math::max);
    }

    void exit() {
      now.decrementAndGet();
    }
  }

  private static void spin(int n) {
    for (int i = 0; i < n; i++) {
      Thread.onSpinWait();
    }
  }

  /**
   * Every permit the bulkhead claims to have can be taken, and not one more (which, for a bulkhead
   * that waits, costs its wait: the tests that probe use a short one).
   */
  private static void assertAllPermitsBack(Bulkhead bulkhead, int limit, boolean probe) {
    List<Long> held = new ArrayList<>();
    for (int i = 0; i < limit; i++) {
      long p = bulkhead.tryAcquire();
      assertThat(p).as("permit %s of %s", i + 1, limit).isNotEqualTo(Gate.REFUSED);
      held.add(p);
    }
    if (probe) {
      assertThat(bulkhead.tryAcquire()).isEqualTo(Gate.REFUSED);
    } else {
      assertThat(bulkhead.stats().inFlight()).isEqualTo(limit);
    }
    held.forEach(bulkhead::release);
    assertThat(bulkhead.stats().inFlight()).isZero();
  }

  private static void runAll(Runnable body, int threads) throws Exception {
    Together.run(threads, t -> body.run());
  }

  @Test
  void manyThreadsNeverExceedTheLimitAndEveryCallIsAdmittedOrRefusedOnce() throws Exception {
    int limit = 3;
    Bulkhead bulkhead =
        Bulkhead.of(
            "c",
            BulkheadConfig.builder()
                .maxConcurrentCalls(limit)
                .maxWait(Duration.ofMillis(1))
                .maxWaiters(2)
                .build());
    Inside inside = new Inside();
    LongAdder admitted = new LongAdder();
    LongAdder refused = new LongAdder();
    runAll(
        () -> {
          SplittableRandom random = new SplittableRandom();
          for (int i = 0; i < ATTEMPTS; i++) {
            int kind = random.nextInt(5);
            if (kind == 4) {
              Thread.currentThread().interrupt(); // refused, flag kept
            }
            long permit = bulkhead.tryAcquire();
            if (Thread.interrupted()) {
              assertThat(permit).isEqualTo(Gate.REFUSED);
            }
            if (permit == Gate.REFUSED) {
              refused.increment();
              continue;
            }
            admitted.increment();
            inside.enter();
            spin(random.nextInt(2_000));
            inside.exit();
            if (kind == 0) {
              bulkhead.onError(permit, new IOException("down"));
            } else {
              bulkhead.onResult(permit, "ok");
            }
            if (kind <= 1) {
              bulkhead.release(permit); // a duplicate: must change nothing
            }
          }
        },
        THREADS);

    BulkheadStats stats = bulkhead.stats();
    assertThat(inside.most.get()).isBetween(1, limit);
    assertThat(stats.calls() + stats.rejections()).isEqualTo((long) THREADS * ATTEMPTS);
    assertThat(stats.calls()).isEqualTo(admitted.sum());
    assertThat(stats.rejections()).isEqualTo(refused.sum());
    assertThat(stats.inFlight()).isZero();
    assertThat(stats.waiting()).isZero();
    assertAllPermitsBack(bulkhead, limit, true);
  }

  @Test
  void resizingWhileCallsRunLosesNoPermit() throws Exception {
    Bulkhead bulkhead =
        Bulkhead.of(
            "c",
            BulkheadConfig.builder()
                .maxConcurrentCalls(2)
                .maxWait(Duration.ofMillis(1))
                .maxWaiters(THREADS)
                .build());
    Inside inside = new Inside();
    AtomicInteger running = new AtomicInteger(THREADS);
    Thread resizer =
        new Thread(
            () -> {
              SplittableRandom random = new SplittableRandom(7);
              while (running.get() > 0) {
                bulkhead.changeMaxConcurrentCalls(1 + random.nextInt(6));
                spin(random.nextInt(5_000));
              }
            });
    resizer.start();
    runAll(
        () -> {
          SplittableRandom random = new SplittableRandom();
          try {
            for (int i = 0; i < ATTEMPTS; i++) {
              long permit = bulkhead.tryAcquire();
              if (permit != Gate.REFUSED) {
                inside.enter();
                spin(random.nextInt(1_000));
                inside.exit();
                bulkhead.release(permit);
              }
            }
          } finally {
            running.decrementAndGet();
          }
        },
        THREADS);
    resizer.join();

    BulkheadStats stats = bulkhead.stats();
    assertThat(inside.most.get()).isBetween(1, 6);
    assertThat(stats.calls() + stats.rejections()).isEqualTo((long) THREADS * ATTEMPTS);
    assertThat(stats.inFlight()).isZero();
    assertThat(stats.waiting()).isZero();
    assertAllPermitsBack(bulkhead, stats.maxConcurrentCalls(), true);
  }

  /**
   * Calls without a partition, a borrowing partition and one that does not borrow, some waiting
   * (and timing out), some interrupted, some completing twice, while the limit changes: no sampled
   * count of calls inside ever passes the limit's highest value, no class passes its share, and
   * every attempt is admitted or refused exactly once.
   */
  @Test
  void partitionTrafficWaitsInterruptsAndResizesNeverPassTheLimit() throws Exception {
    int highest = 6;
    Bulkhead bulkhead =
        Bulkhead.of(
            "p",
            BulkheadConfig.builder()
                .maxConcurrentCalls(4)
                .maxWait(Duration.ofMillis(1))
                .maxWaiters(3)
                .partition("admin", 1, true)
                .partition("health", 1)
                .build());
    Gate[] gates = {bulkhead, bulkhead.partition("admin"), bulkhead.partition("health")};
    Inside all = new Inside();
    Inside[] byClass = {new Inside(), new Inside(), new Inside()};
    LongAdder admitted = new LongAdder();
    LongAdder refused = new LongAdder();
    AtomicInteger running = new AtomicInteger(THREADS);
    Thread resizer =
        new Thread(
            () -> {
              SplittableRandom random = new SplittableRandom(11);
              while (running.get() > 0) {
                bulkhead.changeMaxConcurrentCalls(3 + random.nextInt(highest - 2));
                spin(random.nextInt(20_000));
              }
              bulkhead.changeMaxConcurrentCalls(4);
            });
    resizer.start();
    runAll(
        () -> {
          SplittableRandom random = new SplittableRandom();
          try {
            for (int i = 0; i < ATTEMPTS; i++) {
              int cls = random.nextInt(3);
              if (random.nextInt(8) == 0) {
                Thread.currentThread().interrupt();
              }
              long permit = gates[cls].tryAcquire();
              if (Thread.interrupted()) {
                assertThat(permit).isEqualTo(Gate.REFUSED);
              }
              if (permit == Gate.REFUSED) {
                refused.increment();
                continue;
              }
              admitted.increment();
              all.enter();
              byClass[cls].enter();
              spin(random.nextInt(2_000));
              byClass[cls].exit();
              all.exit();
              gates[cls].release(permit);
              if (random.nextInt(4) == 0) {
                gates[random.nextInt(3)].release(permit); // a duplicate: must change nothing
              }
            }
          } finally {
            running.decrementAndGet();
          }
        },
        THREADS);
    resizer.join();

    BulkheadStats stats = bulkhead.stats();
    assertThat(all.most.get()).isBetween(1, highest);
    assertThat(byClass[0].most.get()).as("without a partition").isLessThanOrEqualTo(highest - 2);
    assertThat(byClass[2].most.get()).as("health, not borrowing").isEqualTo(1);
    assertThat(stats.calls() + stats.rejections()).isEqualTo((long) THREADS * ATTEMPTS);
    assertThat(stats.calls()).isEqualTo(admitted.sum());
    assertThat(stats.rejections()).isEqualTo(refused.sum());
    assertThat(
            stats.partitions().stream().mapToLong(BulkheadStats.PartitionStats::rejections).sum())
        .isLessThanOrEqualTo(refused.sum());
    assertThat(stats.inFlight()).isZero();
    assertThat(stats.waiting()).isZero();
    assertThat(stats.maxConcurrentCalls()).isEqualTo(4);
    List<Long> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      held.add(gates[0].tryAcquire());
    }
    held.add(gates[1].tryAcquire());
    held.add(gates[2].tryAcquire());
    assertThat(held).doesNotContain(Gate.REFUSED);
    assertThat(gates[1].tryAcquire()).isEqualTo(Gate.REFUSED);
    held.forEach(bulkhead::release);
    assertThat(bulkhead.stats().inFlight()).isZero();
  }

  /** With a fixed limit the sampled count never passes it, whoever asks. */
  @Test
  void borrowingNeverPassesAFixedLimit() throws Exception {
    Bulkhead bulkhead =
        Bulkhead.of(
            "b",
            BulkheadConfig.builder()
                .maxConcurrentCalls(3)
                .partition("admin", 1, true)
                .partition("ops", 1, true)
                .build());
    Gate[] gates = {bulkhead, bulkhead.partition("admin"), bulkhead.partition("ops")};
    Inside all = new Inside();
    Inside shared = new Inside();
    runAll(
        () -> {
          SplittableRandom random = new SplittableRandom();
          for (int i = 0; i < ATTEMPTS; i++) {
            int cls = random.nextInt(3);
            long permit = gates[cls].tryAcquire();
            if (permit != Gate.REFUSED) {
              all.enter();
              if (cls == 0) {
                shared.enter();
              }
              spin(random.nextInt(1_000));
              if (cls == 0) {
                shared.exit();
              }
              all.exit();
              gates[cls].release(permit);
            }
          }
        },
        THREADS);
    assertThat(all.most.get()).isBetween(1, 3);
    assertThat(shared.most.get()).isLessThanOrEqualTo(1);
    assertThat(bulkhead.stats().inFlight()).isZero();
    assertThat(bulkhead.stats().calls() + bulkhead.stats().rejections())
        .isEqualTo((long) THREADS * ATTEMPTS);
  }

  @Test
  void thousandsOfVirtualThreadsWaitWithoutPinningAndAllGetThrough() throws Exception {
    assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
    int limit = 4;
    int tasks = 2_000;
    Bulkhead bulkhead =
        Bulkhead.of(
            "v",
            BulkheadConfig.builder()
                .maxConcurrentCalls(limit)
                .maxWait(Duration.ofMinutes(1))
                .maxWaiters(tasks)
                .build());
    Inside inside = new Inside();
    ExecutorService virtual =
        (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    List<Future<String>> results = new ArrayList<>();
    try {
      for (int i = 0; i < tasks; i++) {
        results.add(
            virtual.submit(
                () ->
                    bulkhead.get(
                        () -> {
                          inside.enter();
                          spin(1_000);
                          inside.exit();
                          return "ok";
                        })));
      }
      for (Future<String> f : results) {
        assertThat(f.get(1, TimeUnit.MINUTES)).isEqualTo("ok");
      }
    } finally {
      virtual.shutdown();
      assertThat(virtual.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
    }
    assertThat(inside.most.get()).isBetween(1, limit);
    assertThat(bulkhead.stats().calls()).isEqualTo(tasks);
    assertThat(bulkhead.stats().rejections()).isZero();
    assertAllPermitsBack(bulkhead, limit, false);
  }
}
