package dev.ballast.docs.pictures;

import dev.ballast.Gate;
import dev.ballast.bulkhead.AdaptiveLimit;
import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadConfig;
import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkheadConfig;
import dev.ballast.bulkhead.ThreadPoolBulkheadStats;
import dev.ballast.testkit.ManualScheduler;
import dev.ballast.testkit.ManualTicker;
import dev.ballast.testkit.timeline.Lane;
import dev.ballast.testkit.timeline.Timeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * The scripted scenarios behind the pictures of the thread-pool bulkhead and adaptive limit pages,
 * in virtual time like {@link PatternScenarios}: each returns its picture as SVG text.
 */
final class PoolScenarios {
  private PoolScenarios() {}

  /**
   * A thread-pool bulkhead of 3 threads and a queue of 5, a task every 100 ms: while the service
   * answers in 150 ms two threads at most are busy; while it takes 800 ms the threads fill, then
   * the queue, then the excess is refused at once; when it is quick again the queue drains.
   *
   * <p>The pool's threads are real; each task waits on a latch that the scenario opens at the
   * instant the task would finish in virtual time (a worker's start computed as the pool hands work
   * out: first in, first out, to the first thread free), then waits for the task's stage, which the
   * pool completes only after its thread took the next task. So every figure is the same on every
   * run.
   */
  static String threadPoolBulkhead() throws Exception {
    ManualTicker ticker = new ManualTicker();
    ManualScheduler scheduler = new ManualScheduler(ticker);
    int threads = 3;
    ThreadPoolBulkhead pool =
        ThreadPoolBulkhead.of(
            "reports",
            ThreadPoolBulkheadConfig.builder().maxThreads(threads).queueCapacity(5).build());
    List<CountDownLatch> open = new ArrayList<>();
    try (Timeline timeline = Timeline.start(ticker)) {
      Lane service = timeline.lane("reports service");
      Lane busy = timeline.lane("threads busy (of 3)");
      Lane queued = timeline.lane("tasks queued (of 5)");
      busy.limit(threads);
      queued.limit(5);
      timeline.attach(pool);
      long[] freeAt = new long[threads];
      Runnable sample =
          () -> {
            ThreadPoolBulkheadStats stats = pool.stats();
            busy.level(stats.activeThreads());
            queued.level(stats.queued());
            timeline.sample();
          };
      for (int step = 0; step < 70; step++) {
        if (step == 0 || step == 15 || step == 35) {
          service.state(step == 15 ? "slow" : "healthy");
        }
        long now = ticker.read();
        CountDownLatch done = new CountDownLatch(1);
        CompletableFuture<String> stage =
            pool.submit(
                    () -> {
                      done.await();
                      return "report";
                    })
                .toCompletableFuture();
        if (stage.isCompletedExceptionally()) {
          done.countDown();
        } else {
          open.add(done);
          int thread = 0;
          for (int t = 1; t < threads; t++) {
            if (freeAt[t] < freeAt[thread]) {
              thread = t;
            }
          }
          long start = Math.max(now, freeAt[thread]);
          long millis = serviceMillis(start);
          long finish = start + Duration.ofMillis(millis).toNanos();
          freeAt[thread] = finish;
          scheduler.schedule(
              () -> {
                done.countDown();
                stage.join();
                service.success(Duration.ofMillis(millis));
                sample.run();
              },
              finish - now);
        }
        sample.run();
        ticker.advance(Duration.ofMillis(100));
      }
      return timeline.toSvg(
          "Thread-pool bulkhead 'reports', 3 threads and a queue of 5: full while the service is"
              + " slow");
    } finally {
      open.forEach(CountDownLatch::countDown);
      pool.close();
    }
  }

  /** How long the reports service takes for a task that starts at {@code startNanos}. */
  private static long serviceMillis(long startNanos) {
    long at = Duration.ofNanos(startNanos).toMillis();
    return at >= 1500 && at < 3500 ? 800 : 150;
  }

  /**
   * A bulkhead with an AIMD adaptive limit (starting at 3, windows of 1 s, every call timed, a
   * latency threshold of 300 ms) in front of a service that answers in 250 ms while it has at most
   * 8 calls at once and 250 ms more for each further 8 (it queues them); from 12 s to 20 s it is
   * degraded and serves 2 at a time. A call every 50 ms. The limit grows while the service keeps up
   * and the limit is used, backs off when latency rises past the threshold, and grows again when
   * the service recovers.
   */
  static String adaptiveLimit() throws Exception {
    ManualTicker ticker = new ManualTicker();
    ManualScheduler scheduler = new ManualScheduler(ticker);
    Bulkhead bulkhead =
        Bulkhead.of(
            "pricing",
            BulkheadConfig.builder()
                .adaptiveLimit(
                    AdaptiveLimit.aimd()
                        .initialLimit(3)
                        .minLimit(2)
                        .maxLimit(30)
                        .window(Duration.ofSeconds(1))
                        .sampling(1)
                        .backoffRatio(0.7)
                        .latencyThreshold(Duration.ofMillis(300))
                        .build())
                .ticker(ticker)
                .build());
    try (Timeline timeline = Timeline.start(ticker)) {
      Lane service = timeline.lane("pricing service");
      timeline.attach(bulkhead);
      for (int step = 0; step < 600; step++) {
        long at = step * 50L;
        boolean degraded = at >= 12_000 && at < 20_000;
        if (step == 0 || at == 12_000 || at == 20_000) {
          service.state(degraded ? "degraded" : "healthy");
        }
        long permit = bulkhead.tryAcquire();
        if (permit != Gate.REFUSED) {
          long inFlight = bulkhead.stats().inFlight();
          int capacity = degraded ? 2 : 8;
          long millis = 250 * Math.max(1, (inFlight + capacity - 1) / capacity);
          scheduler.schedule(
              () -> {
                bulkhead.onResult(permit, "9.99");
                service.success(Duration.ofMillis(millis));
              },
              Duration.ofMillis(millis).toNanos());
        }
        if (step % 2 == 0) {
          timeline.sample();
        }
        ticker.advance(Duration.ofMillis(50));
      }
      return timeline.toSvg(
          "Adaptive limit of bulkhead 'pricing': grows, backs off when latency rises, recovers");
    }
  }
}
