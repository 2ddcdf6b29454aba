package dev.ballast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ballast.TestTicker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Producers and consumers on one queue: every offered element is taken exactly once, dropped and
 * counted, evicted to the callback, or refused; never lost, never duplicated; the counts add up.
 */
final class ConcurrencyTest {
  private static final int PRODUCERS = 4;
  private static final int CONSUMERS = 3;
  private static final int PER_PRODUCER = 20_000;

  private static Thread start(CountDownLatch go, Runnable body) {
    Thread t =
        new Thread(
            () -> {
              try {
                go.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              body.run();
            });
    t.start();
    return t;
  }

  @ParameterizedTest
  @EnumSource(
      value = Overflow.class,
      names = {"REJECT", "DROP_NEWEST", "DROP_OLDEST", "SOJOURN"})
  void everyElementIsTakenOnceDroppedEvictedOrRefusedAndTheCountsAddUp(Overflow overflow)
      throws InterruptedException {
    TestTicker ticker = new TestTicker();
    ConcurrentHashMap<Long, Integer> seen = new ConcurrentHashMap<>();
    AtomicLong evictedByCallback = new AtomicLong();
    BoundedQueue<Long> q =
        BoundedQueue.of(
            "c",
            BoundedQueueConfig.builder().capacity(16).overflow(overflow).ticker(ticker).build(),
            e -> {
              evictedByCallback.incrementAndGet();
              seen.merge(e, 1, Integer::sum);
            });
    AtomicLong refused = new AtomicLong();
    AtomicInteger producersLeft = new AtomicInteger(PRODUCERS);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      long base = (long) p * PER_PRODUCER;
      threads.add(
          start(
              go,
              () -> {
                for (long i = 0; i < PER_PRODUCER; i++) {
                  if (!q.offer(base + i)) {
                    refused.incrementAndGet();
                  }
                  if (i % 1000 == 0) {
                    ticker.advanceMillis(30); // some elements go stale under SOJOURN
                  }
                }
                producersLeft.decrementAndGet();
              }));
    }
    for (int c = 0; c < CONSUMERS; c++) {
      threads.add(
          start(
              go,
              () -> {
                while (producersLeft.get() > 0 || !q.isEmpty()) {
                  Long e = q.poll();
                  if (e != null) {
                    seen.merge(e, 1, Integer::sum);
                  }
                }
              }));
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    BoundedQueueStats s = q.stats();
    long offered = (long) PRODUCERS * PER_PRODUCER;
    assertThat(s.size()).isZero();
    assertThat(seen.values()).allMatch(n -> n == 1);
    assertThat(s.enqueues() + s.drops() + s.rejections()).isEqualTo(offered);
    assertThat(s.enqueues()).isEqualTo(s.dequeues() + s.evictions());
    assertThat(s.evictions()).isEqualTo(evictedByCallback.get());
    assertThat(s.rejections()).isEqualTo(refused.get());
    assertThat((long) seen.size()).isEqualTo(s.dequeues() + s.evictions());
  }

  @Test
  void blockedProducersAreAllReleasedOnClose() throws InterruptedException {
    BoundedQueue<Integer> q =
        BoundedQueue.of(
            "c", BoundedQueueConfig.builder().capacity(1).overflow(Overflow.BLOCK).build());
    q.add(0);
    AtomicInteger refused = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < 8; p++) {
      producers.add(
          start(
              go,
              () -> {
                try {
                  q.put(1);
                } catch (QueueFullException e) {
                  refused.incrementAndGet();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }));
    }
    go.countDown();
    await().until(() -> producers.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
    q.close();
    for (Thread t : producers) {
      t.join();
    }
    assertThat(refused).hasValue(8);
    assertThat(q).containsExactly(0);
  }

  @Test
  void blockedProducersAreAllReleasedByACapacityRaise() throws InterruptedException {
    BoundedQueue<Integer> q =
        BoundedQueue.of("c", BoundedQueueConfig.builder().capacity(1).build());
    q.add(0);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> producers = new ArrayList<>();
    for (int p = 1; p <= 8; p++) {
      int v = p;
      producers.add(
          start(
              go,
              () -> {
                try {
                  q.put(v);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }));
    }
    go.countDown();
    await().until(() -> producers.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
    q.setCapacity(9);
    for (Thread t : producers) {
      t.join();
    }
    assertThat(q).hasSize(9).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(q.stats().enqueues()).isEqualTo(9);
  }
}
