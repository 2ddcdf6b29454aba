package dev.ballast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkheadConfig;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class ThreadPoolBulkheadMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<ThreadPoolBulkhead> opened = new ArrayList<>();
  private final ThreadPoolBulkhead pool = open(Pools.of("inventory", 1, 1));

  @AfterEach
  void closeEveryPool() {
    release.countDown();
    for (ThreadPoolBulkhead p : opened) {
      p.close();
    }
  }

  @Test
  void countsAdmittedRefusedAndCancelledTasksSinceThePoolWasCreated() {
    assertThat(pool.submit(() -> "before binding").toCompletableFuture().join())
        .isEqualTo("before binding"); // still counted, as in stats()
    ThreadPoolBulkheadMetrics.of(pool).bindTo(registry);

    CompletableFuture<String> running = Pools.blocker(pool, release).toCompletableFuture();
    CompletableFuture<String> queued = pool.submit(() -> "queued").toCompletableFuture();
    Pools.refused(pool);
    Pools.refused(pool);
    assertThat(calls("admitted")).isEqualTo(3);
    assertThat(calls("rejected")).isEqualTo(2);
    assertThat(cancelled()).isZero();

    queued.cancel(false);
    release.countDown();

    assertThat(running.join()).isEqualTo("released");
    assertThat(queued).isCancelled();
    assertThat(cancelled()).isEqualTo(1);
    assertThat(calls("admitted")).isEqualTo(3); // a cancelled task stays admitted
  }

  @Test
  void gaugesTheThreadsTheBusyOnesAndTheQueueOfTheMoment() {
    ThreadPoolBulkheadMetrics.of(pool).bindTo(registry);
    assertThat(gauge("threads")).isZero(); // no thread starts before a task arrives
    assertThat(gauge("active.threads")).isZero();
    assertThat(gauge("queued")).isZero();

    CompletableFuture<String> running = Pools.blocker(pool, release).toCompletableFuture();
    assertThat(gauge("threads")).isEqualTo(1.0);
    assertThat(gauge("active.threads")).isEqualTo(1.0);
    assertThat(gauge("queued")).isZero();

    CompletableFuture<String> queued = pool.submit(() -> "queued").toCompletableFuture();
    assertThat(gauge("queued")).isEqualTo(1.0);

    release.countDown();

    assertThat(running.join()).isEqualTo("released");
    assertThat(queued.join()).isEqualTo("queued");
    // The worker frees itself before it completes a task's stage: the figures are settled here.
    assertThat(gauge("active.threads")).isZero();
    assertThat(gauge("queued")).isZero();
    assertThat(gauge("threads")).as("the idle thread waits for work").isEqualTo(1.0);
  }

  @Test
  void aTaskCancelledInTheQueueLeavesItAtOnce() {
    ThreadPoolBulkheadMetrics.of(pool).bindTo(registry);
    Pools.blocker(pool, release);
    CompletableFuture<String> queued = pool.submit(() -> "queued").toCompletableFuture();
    assertThat(gauge("queued")).isEqualTo(1.0);

    queued.cancel(false);

    assertThat(gauge("queued")).isZero();
    assertThat(cancelled()).isEqualTo(1);
    // Its place is free again: the next task is queued, not refused.
    pool.submit(() -> "next");
    assertThat(gauge("queued")).isEqualTo(1.0);
    assertThat(calls("rejected")).isZero();
  }

  @Test
  void gaugesTheLimitsOfEachPool() {
    ThreadPoolBulkhead wide = open(Pools.of("stock", 4, 0));
    ThreadPoolBulkheadMetrics.of(pool).bindTo(registry);
    ThreadPoolBulkheadMetrics.of(wide).bindTo(registry);

    assertThat(gauge("max.threads")).isEqualTo(1.0);
    assertThat(gauge("queue.capacity")).isEqualTo(1.0);
    assertThat(gauge("max.threads", "stock")).isEqualTo(4.0);
    assertThat(gauge("queue.capacity", "stock")).isZero();
  }

  @Test
  void anIdleThreadThatEndsAfterKeepAliveLeavesTheThreadsGauge() {
    ThreadPoolBulkhead brief =
        open(
            ThreadPoolBulkhead.of(
                "brief",
                ThreadPoolBulkheadConfig.builder()
                    .maxThreads(2)
                    .keepAlive(Duration.ofMillis(50))
                    .build()));
    ThreadPoolBulkheadMetrics.of(brief).bindTo(registry);
    CompletableFuture<String> first = Pools.blocker(brief, release).toCompletableFuture();
    CompletableFuture<String> second = Pools.blocker(brief, release).toCompletableFuture();
    assertThat(gauge("threads", "brief")).isEqualTo(2.0);

    release.countDown();
    first.join();
    second.join();

    await().until(() -> gauge("threads", "brief") == 0.0);
    assertThat(gauge("max.threads", "brief")).isEqualTo(2.0);
  }

  @Test
  void closingInCancelModeCountsTheDroppedTaskAndLeavesNoThread() {
    ThreadPoolBulkhead cancelling =
        open(
            ThreadPoolBulkhead.of(
                "cancelling",
                ThreadPoolBulkheadConfig.builder()
                    .maxThreads(1)
                    .queueCapacity(1)
                    .closeMode(ThreadPoolBulkhead.CloseMode.CANCEL)
                    .closeTimeout(Duration.ofSeconds(5))
                    .build()));
    ThreadPoolBulkheadMetrics.of(cancelling).bindTo(registry);
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<String> running =
        cancelling
            .submit(
                () -> {
                  started.countDown();
                  release.await(); // interrupted by close
                  return "released";
                })
            .toCompletableFuture();
    cancelling.submit(() -> "queued");
    await().until(() -> started.getCount() == 0);

    cancelling.close();

    assertThat(running).isCompletedExceptionally(); // the running task was interrupted
    assertThat(cancelled("cancelling")).isEqualTo(1); // the queued one never ran
    assertThat(gauge("threads", "cancelling")).isZero();
    assertThat(gauge("active.threads", "cancelling")).isZero();
    assertThat(gauge("queued", "cancelling")).isZero();
    Pools.refused(cancelling);
    assertThat(calls("rejected", "cancelling")).isEqualTo(1);
  }

  @Test
  void resilience4jNamesAreTheSevenGaugesWithoutBaseUnits() {
    ThreadPoolBulkhead two = open(Pools.of("payments", 2, 3));
    ThreadPoolBulkheadMetrics.builder(two).resilience4jNames().build().bindTo(registry);
    CompletableFuture<String> first = Pools.blocker(two, release).toCompletableFuture();

    assertThat(registry.getMeters().stream().map(m -> m.getId().getName()))
        .containsExactlyInAnyOrder(
            "resilience4j.bulkhead.queue.depth",
            "resilience4j.bulkhead.queue.capacity",
            "resilience4j.bulkhead.thread.pool.size",
            "resilience4j.bulkhead.max.thread.pool.size",
            "resilience4j.bulkhead.core.thread.pool.size",
            "resilience4j.bulkhead.active.thread.count",
            "resilience4j.bulkhead.available.thread.count");
    assertThat(registry.getMeters())
        .allSatisfy(m -> assertThat(m.getId().getType()).isEqualTo(Meter.Type.GAUGE))
        .allSatisfy(m -> assertThat(m.getId().getBaseUnit()).isNull());
    assertThat(r4j("thread.pool.size")).isEqualTo(1.0);
    assertThat(r4j("active.thread.count")).isEqualTo(1.0);
    assertThat(r4j("available.thread.count")).isEqualTo(1.0);
    assertThat(r4j("max.thread.pool.size")).isEqualTo(2.0);
    assertThat(r4j("core.thread.pool.size")).as("no core size: the maximum").isEqualTo(2.0);
    assertThat(r4j("queue.capacity")).isEqualTo(3.0);
    assertThat(r4j("queue.depth")).isZero();

    CompletableFuture<String> second = Pools.blocker(two, release).toCompletableFuture();
    CompletableFuture<String> queued = Pools.blocker(two, release).toCompletableFuture();

    assertThat(r4j("active.thread.count")).isEqualTo(2.0);
    assertThat(r4j("available.thread.count")).isZero();
    assertThat(r4j("queue.depth")).isEqualTo(1.0);

    release.countDown();
    assertThat(List.of(first.join(), second.join(), queued.join())).containsOnly("released");

    // Both threads idle: alive, not active, so both available again.
    assertThat(r4j("thread.pool.size")).isEqualTo(2.0);
    assertThat(r4j("active.thread.count")).isZero();
    assertThat(r4j("available.thread.count")).isEqualTo(2.0);
    assertThat(r4j("queue.depth")).isZero();
  }

  @Test
  void bothStylesCanShareARegistry() {
    ThreadPoolBulkheadMetrics.of(pool).bindTo(registry);
    ThreadPoolBulkheadMetrics.builder(pool).resilience4jNames().build().bindTo(registry);
    Pools.blocker(pool, release);

    assertThat(registry.getMeters()).hasSize(8 + 7);
    assertThat(gauge("active.threads")).isEqualTo(1.0);
    assertThat(registry.get("resilience4j.bulkhead.active.thread.count").gauge().value())
        .isEqualTo(1.0);
  }

  @Test
  void namesTheBulkheadAndTheStyle() {
    assertThat(ThreadPoolBulkheadMetrics.of(pool))
        .hasToString("ThreadPoolBulkheadMetrics[inventory]");
    assertThat(ThreadPoolBulkheadMetrics.builder(pool).resilience4jNames().build())
        .hasToString("ThreadPoolBulkheadMetrics[inventory, resilience4jNames]");
  }

  private ThreadPoolBulkhead open(ThreadPoolBulkhead p) {
    opened.add(p);
    return p;
  }

  private double calls(String outcome) {
    return calls(outcome, "inventory");
  }

  private double calls(String outcome, String poolName) {
    return registry
        .get("ballast.bulkhead.pool.calls")
        .tags("name", poolName, "outcome", outcome)
        .functionCounter()
        .count();
  }

  private double cancelled() {
    return cancelled("inventory");
  }

  private double cancelled(String poolName) {
    return registry
        .get("ballast.bulkhead.pool.cancelled")
        .tag("name", poolName)
        .functionCounter()
        .count();
  }

  private double gauge(String name) {
    return gauge(name, "inventory");
  }

  private double gauge(String name, String poolName) {
    return registry.get("ballast.bulkhead.pool." + name).tag("name", poolName).gauge().value();
  }

  private double r4j(String name) {
    return registry.get("resilience4j.bulkhead." + name).tag("name", "payments").gauge().value();
  }
}
