package dev.ballast.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ballast.Together;
import dev.ballast.testlog.ReconfigurationLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

final class ThreadPoolReconfigurationTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private final ThreadPoolBulkhead pool =
      ThreadPoolBulkhead.of(
          "inventory",
          ThreadPoolBulkheadConfig.builder()
              .maxThreads(1)
              .queueCapacity(2)
              .closeTimeout(Duration.ofSeconds(5))
              .build());

  @RegisterExtension
  final ReconfigurationLog log = new ReconfigurationLog(ThreadPoolBulkhead.class);

  @AfterEach
  void close() {
    release.countDown();
    pool.close();
    assertThat(pool.stats().threads()).isZero();
  }

  private CompletionStage<String> blocker(CountDownLatch started) {
    return pool.submit(
        () -> {
          started.countDown();
          release.await();
          return "released";
        });
  }

  @Test
  void moreThreadsStartTheQueuedTasksAtOnce() throws Exception {
    CountDownLatch started = new CountDownLatch(3);
    List<CompletionStage<String>> tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tasks.add(blocker(started));
    }
    await().until(() -> pool.stats().queued() == 2);
    ThreadPoolBulkheadConfig next = pool.config().toBuilder().maxThreads(3).build();
    pool.reconfigure(next);
    assertThat(pool.config()).isSameAs(next);
    started.await(); // the two queued tasks run on new threads
    assertThat(pool.stats().queued()).isZero();
    assertThat(pool.stats().threads()).isEqualTo(3);
    release.countDown();
    for (CompletionStage<String> t : tasks) {
      assertThat(t.toCompletableFuture().get()).isEqualTo("released");
    }
    assertThat(log.lines("inventory"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.INFO);
              assertThat(l.message()).isEqualTo("name=inventory reconfigured maxThreads=1->3");
            });
  }

  @Test
  void aSmallerQueueKeepsItsTasksAndRefusesNewOnes() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    List<CompletionStage<String>> tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tasks.add(blocker(started));
    }
    await().until(() -> pool.stats().queued() == 2);
    pool.reconfigure(pool.config().toBuilder().queueCapacity(1).build());
    assertThat(pool.stats().queued()).isEqualTo(2);
    assertThatThrownBy(() -> pool.submit(() -> "late").toCompletableFuture().join())
        .hasCauseInstanceOf(ThreadPoolBulkheadRejectedException.class);
    release.countDown();
    for (CompletionStage<String> t : tasks) {
      assertThat(t.toCompletableFuture().get()).isEqualTo("released");
    }
  }

  @Test
  void threadsAboveALowerLimitLeaveWhenTheyRunOutOfWork() throws Exception {
    pool.reconfigure(pool.config().toBuilder().maxThreads(3).build());
    CountDownLatch started = new CountDownLatch(3);
    List<CompletionStage<String>> tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tasks.add(blocker(started));
    }
    started.await();
    pool.reconfigure(pool.config().toBuilder().maxThreads(1).build());
    assertThat(pool.stats().threads()).isEqualTo(3); // nothing is cut short
    release.countDown();
    for (CompletionStage<String> t : tasks) {
      assertThat(t.toCompletableFuture().get()).isEqualTo("released");
    }
    await().until(() -> pool.stats().threads() == 1);
  }

  @Test
  void virtualThreadsCannotChange() {
    assumeTrue(WorkerThreads.virtualThreadsAvailable()); // else such a config cannot be built
    ThreadPoolBulkheadConfig before = pool.config();
    assertThatThrownBy(
            () -> pool.reconfigure(before.toBuilder().maxThreads(4).virtualThreads(true).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "thread-pool bulkhead 'inventory': virtualThreads cannot change at run time (was"
                + " false, given true); nothing was changed");
    assertThat(pool.config()).isSameAs(before);
    assertThat(pool.stats().maxThreads()).isEqualTo(1);
  }

  @Test
  @Tag("concurrency")
  void submissionsRacingReconfigurationsEachRunOnceOrAreRefused() throws Exception {
    List<ThreadPoolBulkheadConfig> configs =
        List.of(
            pool.config(),
            pool.config().toBuilder().maxThreads(4).queueCapacity(0).build(),
            pool.config().toBuilder().maxThreads(2).queueCapacity(8).build());
    LongAdder ran = new LongAdder();
    LongAdder refused = new LongAdder();
    Together.whileRepeating(
        4,
        t -> {
          for (int i = 0; i < 2_000; i++) {
            try {
              pool.submit(
                      () -> {
                        ran.increment();
                        return "ok";
                      })
                  .toCompletableFuture()
                  .join();
            } catch (CompletionException e) {
              assertThat(e).hasCauseInstanceOf(ThreadPoolBulkheadRejectedException.class);
              refused.increment();
            }
            assertThat(configs).contains(pool.config());
          }
        },
        round -> pool.reconfigure(configs.get(round % configs.size())));
    assertThat(ran.sum() + refused.sum()).isEqualTo(4L * 2_000);
    ThreadPoolBulkheadStats s = pool.stats();
    assertThat(s.rejections()).isEqualTo(refused.sum());
    await().until(() -> pool.stats().activeThreads() == 0 && pool.stats().queued() == 0);
    assertThat(pool.stats().threads()).isLessThanOrEqualTo(pool.config().maxThreads() + 4);
  }
}
