package dev.ballast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ballast.RejectedException;
import dev.ballast.TestTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class BoundedQueueTest {
  private final TestTicker ticker = new TestTicker();
  private final List<String> evicted = new CopyOnWriteArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();

  private BoundedQueue<String> queue(Overflow overflow, int capacity) {
    return queue(BoundedQueueConfig.builder().overflow(overflow).capacity(capacity));
  }

  private BoundedQueue<String> queue(BoundedQueueConfig.Builder b) {
    BoundedQueue<String> q = BoundedQueue.of("q", b.ticker(ticker).build(), evicted::add);
    q.addListener(
        new BoundedQueueListener() {
          @Override
          public void onRejected(BackPressure cause, long size) {
            events.add("rejected " + cause + " " + size);
          }

          @Override
          public void onDropped(BackPressure cause) {
            events.add("dropped " + cause);
          }

          @Override
          public void onEvicted(BackPressure cause, long waitedNanos) {
            events.add("evicted " + cause + " " + waitedNanos);
          }
        });
    return q;
  }

  @Test
  void rejectRefusesTheNewElementAndAddThrowsAnOverloadRejection() {
    BoundedQueue<String> q = queue(Overflow.REJECT, 2);
    assertThat(q.offer("a")).isTrue();
    assertThat(q.offer("b")).isTrue();
    assertThat(q.offer("c")).isFalse();
    assertThatThrownBy(() -> q.add("d"))
        .isInstanceOfSatisfying(
            QueueFullException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RejectedException.Reason.OVERLOAD);
              assertThat(e.cause()).isEqualTo(BackPressure.LOAD);
              assertThat(e.component()).isEqualTo("q");
              assertThat(e).hasMessageContaining("full (2/2)");
            });
    assertThat(q).containsExactly("a", "b");
    assertThat(q.stats().rejections()).isEqualTo(2);
    assertThat(events).containsExactly("rejected LOAD 2", "rejected LOAD 2");
  }

  @Test
  void dropNewestAcceptsAndDiscardsTheNewElementCountingIt() {
    BoundedQueue<String> q = queue(Overflow.DROP_NEWEST, 2);
    q.add("a");
    q.add("b");
    assertThat(q.offer("c")).isTrue();
    assertThat(q).containsExactly("a", "b");
    assertThat(q.stats().drops()).isEqualTo(1);
    assertThat(q.stats().rejections()).isZero();
    assertThat(events).containsExactly("dropped LOAD");
  }

  @Test
  void dropOldestEvictsTheHeadToTheCallbackAndCountsIt() {
    BoundedQueue<String> q =
        queue(
            BoundedQueueConfig.builder()
                .overflow(Overflow.DROP_OLDEST)
                .capacity(2)
                .measureWait(true));
    q.add("a");
    ticker.advanceMillis(5);
    q.add("b");
    q.add("c");
    assertThat(q).containsExactly("b", "c");
    assertThat(evicted).containsExactly("a");
    assertThat(q.stats().evictions()).isEqualTo(1);
    assertThat(events).containsExactly("evicted LOAD 5000000");
  }

  @Test
  void anEvictionCallbackThatThrowsLosesNothingAndCorruptsNothing() {
    BoundedQueue<String> q =
        BoundedQueue.of(
            "q",
            BoundedQueueConfig.builder().overflow(Overflow.DROP_OLDEST).capacity(1).build(),
            e -> {
              throw new IllegalStateException("boom " + e);
            });
    q.add("a");
    assertThat(q.offer("b")).isTrue();
    assertThat(q.offer("c")).isTrue();
    assertThat(q.poll()).isEqualTo("c");
    BoundedQueueStats s = q.stats();
    assertThat(s.enqueues()).isEqualTo(3);
    assertThat(s.evictions()).isEqualTo(2);
    assertThat(s.dequeues()).isEqualTo(1);
    assertThat(s.size()).isZero();
  }

  @Test
  void blockMakesTheProducerWaitForRoomThenRefusesIt() throws Exception {
    BoundedQueue<String> q =
        queue(
            BoundedQueueConfig.builder()
                .overflow(Overflow.BLOCK)
                .capacity(1)
                .blockTimeout(Duration.ofMillis(20)));
    q.add("a");
    CompletableFuture<Boolean> refused = CompletableFuture.supplyAsync(() -> q.offer("b"));
    await().until(() -> waitingOnAQueue());
    assertThat(refused).as("real time passing does not end a wait on a still ticker").isNotDone();
    ticker.advanceMillis(20);
    assertThat(refused.get(1, TimeUnit.MINUTES)).as("the block timeout ran out").isFalse();
    AtomicBoolean accepted = new AtomicBoolean();
    Thread producer =
        new Thread(
            () -> {
              try {
                accepted.set(q.offer("c", 1, TimeUnit.MINUTES));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    producer.start();
    await().until(() -> producer.getState() == Thread.State.TIMED_WAITING);
    assertThat(q.take()).isEqualTo("a");
    producer.join();
    assertThat(accepted).isTrue();
    assertThat(q).containsExactly("c");
  }

  @Test
  void sojournEvictsWhatWaitedLongerThanTheTargetWhenAConsumerReachesIt() {
    BoundedQueue<String> q =
        queue(
            BoundedQueueConfig.builder()
                .overflow(Overflow.SOJOURN)
                .capacity(10)
                .sojournTarget(Duration.ofMillis(100)));
    q.add("old1");
    q.add("old2");
    ticker.advanceMillis(150);
    q.add("fresh");
    assertThat(q.poll()).isEqualTo("fresh");
    assertThat(evicted).containsExactly("old1", "old2");
    BoundedQueueStats s = q.stats();
    assertThat(s.evictions()).isEqualTo(2);
    assertThat(s.dequeues()).isEqualTo(1);
    assertThat(s.waits()).isEqualTo(3);
    assertThat(s.totalWait()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void sojournMakesRoomByEvictingAStaleHeadAndRefusesWhenAllAreFresh() {
    BoundedQueue<String> q =
        queue(
            BoundedQueueConfig.builder()
                .overflow(Overflow.SOJOURN)
                .capacity(2)
                .sojournTarget(Duration.ofMillis(100)));
    q.add("a");
    ticker.advanceMillis(150);
    q.add("b");
    assertThat(q.offer("c")).isTrue();
    assertThat(evicted).containsExactly("a");
    assertThat(q.offer("d")).isFalse();
    assertThat(q).containsExactly("b", "c");
  }

  @Test
  void aFullQueueWhoseConsumerKeepsTakingIsLoadAndOneWithoutATakeForTheStallTimeIsFailure() {
    BoundedQueue<String> q =
        queue(BoundedQueueConfig.builder().capacity(2).stallTime(Duration.ofSeconds(10)));
    q.add("a");
    q.add("b");
    ticker.advance(Duration.ofSeconds(9));
    assertThat(q.stats().backPressure()).isEqualTo(BackPressure.LOAD);
    q.poll();
    q.add("c");
    ticker.advance(Duration.ofSeconds(9)); // a take 9 s ago: still load
    assertThat(q.offer("d")).isFalse();
    assertThat(q.stats().backPressure()).isEqualTo(BackPressure.LOAD);
    ticker.advance(Duration.ofSeconds(1)); // 10 s full without a take
    assertThatThrownBy(() -> q.add("e"))
        .isInstanceOfSatisfying(
            QueueFullException.class,
            e -> {
              assertThat(e.cause()).isEqualTo(BackPressure.FAILURE);
              assertThat(e.reason()).isEqualTo(RejectedException.Reason.DEPENDENCY_FAILURE);
              assertThat(e).hasMessageContaining("stalled consumer");
            });
    BoundedQueueStats s = q.stats();
    assertThat(s.backPressure()).isEqualTo(BackPressure.FAILURE);
    assertThat(s.rejections()).isEqualTo(2);
    assertThat(s.failureRejections()).isEqualTo(1);
    assertThat(events).containsExactly("rejected LOAD 2", "rejected FAILURE 2");
    q.poll(); // the consumer is back
    q.add("f");
    assertThat(q.stats().backPressure()).isEqualTo(BackPressure.LOAD);
  }

  @Test
  void raisingTheCapacityAdmitsMoreAndLoweringItEvictsNothing() {
    BoundedQueue<String> q = queue(Overflow.REJECT, 2);
    q.add("a");
    q.add("b");
    q.setCapacity(3);
    assertThat(q.offer("c")).isTrue();
    assertThat(q.remainingCapacity()).isZero();
    q.setCapacity(1);
    assertThat(q).containsExactly("a", "b", "c");
    assertThat(q.offer("d")).isFalse();
    q.poll();
    q.poll();
    assertThat(q.offer("d")).isFalse();
    q.poll();
    assertThat(q.offer("d")).isTrue();
    assertThat(q.stats().capacity()).isEqualTo(1);
  }

  @Test
  void dropOldestOverALoweredCapacityStillHandsEveryEvictedElementToTheCallback() {
    BoundedQueue<String> q = queue(Overflow.DROP_OLDEST, 3);
    q.addAll(List.of("a", "b", "c"));
    q.setCapacity(1);
    assertThat(q.offer("d")).isTrue();
    assertThat(evicted).containsExactly("a");
    assertThat(q).containsExactly("b", "c", "d");
    BoundedQueueStats s = q.stats();
    assertThat(s.enqueues()).isEqualTo(s.dequeues() + s.evictions() + s.size());
    assertThat(s.rejections()).isZero();
  }

  @Test
  void aRaisedCapacityReleasesAWaitingProducer() throws Exception {
    BoundedQueue<String> q = queue(Overflow.REJECT, 1);
    q.add("a");
    Thread producer =
        new Thread(
            () -> {
              try {
                q.put("b");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    producer.start();
    await().until(() -> producer.getState() == Thread.State.WAITING);
    q.setCapacity(2);
    producer.join();
    assertThat(q).containsExactly("a", "b");
  }

  @Test
  void closingRefusesNewElementsAndReleasesAWaitingProducerWithARejection() throws Exception {
    BoundedQueue<String> q = queue(Overflow.REJECT, 1);
    q.add("a");
    List<Throwable> thrown = new CopyOnWriteArrayList<>();
    Thread producer =
        new Thread(
            () -> {
              try {
                q.put("b");
              } catch (Throwable t) {
                thrown.add(t);
              }
            });
    producer.start();
    await().until(() -> producer.getState() == Thread.State.WAITING);
    q.close();
    producer.join();
    assertThat(thrown).singleElement().isInstanceOf(QueueFullException.class);
    assertThat(((QueueFullException) thrown.get(0)).cause()).isEqualTo(BackPressure.NONE);
    assertThat(q.offer("c")).isFalse();
    assertThat(q.poll()).isEqualTo("a");
  }

  @Test
  @SuppressWarnings("NullAway") // offers null on purpose
  void theBlockingQueueBasicsHold() throws Exception {
    BoundedQueue<String> q = queue(Overflow.REJECT, 4);
    assertThat(q.remainingCapacity()).isEqualTo(4);
    q.addAll(List.of("a", "b", "c"));
    assertThat(q.peek()).isEqualTo("a");
    assertThat(q.remainingCapacity()).isEqualTo(1);
    List<String> out = new ArrayList<>();
    assertThat(q.drainTo(out, 2)).isEqualTo(2);
    assertThat(out).containsExactly("a", "b");
    q.add("d");
    assertThat(q.drainTo(out)).isEqualTo(2);
    assertThat(out).containsExactly("a", "b", "c", "d");
    assertThat(q.poll(0, TimeUnit.MILLISECONDS)).isNull();
    assertThatThrownBy(() -> q.drainTo(q)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> q.offer(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("e");
    q.addAll(List.of("x", "y", "z"));
    assertThat(q.remove("y")).isTrue();
    assertThat(q.toArray()).containsExactly("x", "z");
    q.clear();
    assertThat(q).isEmpty();
    BoundedQueueStats s = q.stats();
    assertThat(s.enqueues()).isEqualTo(s.dequeues());
  }

  @Test
  void anInterruptedThreadsOfferThatNeedNotWaitIsAcceptedAndKeepsTheInterrupt() {
    BoundedQueue<String> q = queue(Overflow.REJECT, 1);
    Thread.currentThread().interrupt();
    try {
      assertThat(q.offer("a")).isTrue();
      assertThat(q.poll()).isEqualTo("a");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void theIteratorWalksASnapshotAndRemovesFromTheQueue() {
    BoundedQueue<String> q = queue(Overflow.REJECT, 4);
    q.addAll(List.of("a", "b", "c"));
    Iterator<String> it = q.iterator();
    q.poll(); // not seen by the snapshot
    assertThat(it.next()).isEqualTo("a");
    assertThat(it.next()).isEqualTo("b");
    it.remove();
    assertThatThrownBy(it::remove).isInstanceOf(IllegalStateException.class);
    assertThat(q).containsExactly("c");
  }

  @Test
  void itBacksAThreadPoolExecutorWhoseRejectionPolicySeesTheFullQueue() throws Exception {
    BoundedQueue<Runnable> q =
        BoundedQueue.of("pool", BoundedQueueConfig.builder().capacity(2).ticker(ticker).build());
    List<Runnable> refused = new CopyOnWriteArrayList<>();
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, q, (r, e) -> refused.add(r));
    try {
      Runnable task =
          () -> {
            try {
              gate.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            ran.incrementAndGet();
          };
      for (int i = 0; i < 5; i++) {
        pool.execute(task);
      }
      assertThat(refused).hasSize(2); // one running, two queued
      assertThat(q.stats().rejections()).isEqualTo(2);
      gate.countDown();
      await().until(() -> ran.get() == 3);
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(q.stats().dequeues()).isEqualTo(2);
  }

  @Test
  void badSettingsAreRefusedNamingTheOptionAndTheValue() {
    assertThatThrownBy(() -> BoundedQueueConfig.builder().capacity(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> BoundedQueueConfig.builder().stallTime(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stallTime");
    assertThatThrownBy(() -> BoundedQueueConfig.builder().sojournTarget(Duration.ZERO))
        .hasMessageContaining("sojournTarget");
    assertThatThrownBy(() -> BoundedQueue.ofDefaults(" ")).hasMessageContaining("name");
    assertThatThrownBy(() -> BoundedQueue.ofDefaults("q").setCapacity(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity")
        .hasMessageContaining("-3");
  }

  @Test
  void theConfigRoundTripsThroughItsBuilder() {
    BoundedQueueConfig c =
        BoundedQueueConfig.builder().capacity(7).overflow(Overflow.SOJOURN).build();
    assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
    assertThat(c.measureWait()).isTrue();
    assertThat(BoundedQueueConfig.defaults().capacity()).isEqualTo(1024);
    assertThat(BoundedQueueConfig.defaults().overflow()).isEqualTo(Overflow.REJECT);
    assertThat(BoundedQueueConfig.defaults().measureWait()).isFalse();
    assertThat(c.toString()).contains("capacity=7", "overflow=SOJOURN");
  }

  @Test
  void aTimedPollEndsWhenTheQueuesTickerSaysSoNotWhenRealTimePasses() throws Exception {
    BoundedQueue<String> q = queue(Overflow.REJECT, 2);
    CompletableFuture<Boolean> empty =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return q.poll(50, TimeUnit.MILLISECONDS) == null;
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    await().until(() -> waitingOnAQueue());
    assertThat(empty).isNotDone();
    ticker.advanceMillis(49);
    assertThat(empty).as("1 ms of its wait is left").isNotDone();
    ticker.advanceMillis(1);
    assertThat(empty.get(1, TimeUnit.MINUTES)).as("nothing came: null").isTrue();
  }

  /** Whether some thread waits on the queue's lock conditions (a producer or a consumer). */
  private static boolean waitingOnAQueue() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(
            t ->
                t.getState() == Thread.State.TIMED_WAITING
                    && Arrays.stream(t.getStackTrace())
                        .anyMatch(f -> f.getClassName().equals(BoundedQueue.class.getName())));
  }
}
