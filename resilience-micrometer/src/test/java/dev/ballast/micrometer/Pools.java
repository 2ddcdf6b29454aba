package dev.ballast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkheadConfig;
import dev.ballast.bulkhead.ThreadPoolBulkheadRejectedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;

/**
 * Thread-pool bulkheads for the binders' tests, and tasks through them that are admitted, queued,
 * refused or cancelled.
 */
final class Pools {
  private Pools() {}

  /**
   * A pool of {@code threads} threads and a queue of {@code queue}, whose idle threads outlive any
   * test (so that the threads gauge changes only when the test makes it), and whose close waits at
   * most 5 s.
   */
  static ThreadPoolBulkhead of(String name, int threads, int queue) {
    return ThreadPoolBulkhead.of(
        name,
        ThreadPoolBulkheadConfig.builder()
            .maxThreads(threads)
            .queueCapacity(queue)
            .keepAlive(Duration.ofMinutes(10))
            .closeTimeout(Duration.ofSeconds(5))
            .build());
  }

  /** A task that holds its thread until {@code release} is counted down. */
  static CompletionStage<String> blocker(ThreadPoolBulkhead pool, CountDownLatch release) {
    return pool.submit(
        () -> {
          release.await();
          return "released";
        });
  }

  /** A task the pool refuses, its threads busy and its queue full (or the pool closed). */
  static void refused(ThreadPoolBulkhead pool) {
    CompletableFuture<String> refused = pool.submit(() -> "refused").toCompletableFuture();
    assertThatThrownBy(refused::join)
        .as("a task submitted to %s", pool)
        .hasCauseInstanceOf(ThreadPoolBulkheadRejectedException.class);
  }

  /**
   * On a pool of one thread and a queue of one: one task holds the thread, a second waits in the
   * queue and is cancelled there, a third is refused; then the first is let go, and the pool is
   * closed, so that no thread outlives the call. On an open pool that is 2 admitted, 1 rejected and
   * 1 cancelled; on a closed one, 3 rejected.
   */
  static void fillRefuseCancelAndClose(ThreadPoolBulkhead pool) {
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> running = blocker(pool, release).toCompletableFuture();
    CompletableFuture<String> queued = pool.submit(() -> "queued").toCompletableFuture();
    refused(pool);
    queued.cancel(false);
    release.countDown();
    running.handle((r, e) -> r).join();
    pool.close();
    assertThat(pool.stats().threads()).as("threads of %s after close", pool).isZero();
  }
}
