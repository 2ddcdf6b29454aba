package dev.ballast.testkit.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.Ticker;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.testkit.timeline.TimelineEvent.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Many threads recording on one timeline at once: nothing lost, nothing counted twice. */
@Tag("concurrency")
final class TimelineConcurrencyTest {
  private static final int THREADS = 8;
  private static final int CALLS = 2_000;

  @Test
  void everyEventFromManyThreadsIsKeptOrCountedAsDropped() throws Exception {
    for (int cap : new int[] {Timeline.DEFAULT_MAX_EVENTS, THREADS * CALLS / 3}) {
      CircuitBreaker breaker =
          CircuitBreaker.of(
              "shared", CircuitBreakerConfig.builder().ticker(Ticker.system()).build());
      try (Timeline timeline = Timeline.start(Ticker.system(), cap)) {
        timeline.attach(breaker);
        run(
            thread -> {
              Lane own = timeline.lane("worker " + thread);
              for (int i = 0; i < CALLS; i++) {
                breaker.call(() -> "ok");
                own.success(Duration.ofNanos(i));
              }
            });

        List<TimelineEvent> events = timeline.events();
        long total = 1 + 2L * THREADS * CALLS; // the initial state, then two per call
        assertThat(events.size() + timeline.dropped()).isEqualTo(total);
        assertThat(events).hasSize((int) Math.min(total, cap));
        assertThat(events)
            .extracting(TimelineEvent::sequence)
            .doesNotHaveDuplicates()
            .allSatisfy(s -> assertThat(s).isBetween(0L, (long) cap - 1));
        assertThat(events).isSortedAccordingTo((a, b) -> Long.compare(a.atNanos(), b.atNanos()));
        if (cap >= total) {
          Map<String, Long> perLane =
              events.stream()
                  .filter(e -> e.kind() == Kind.SUCCESS)
                  .collect(Collectors.groupingBy(TimelineEvent::lane, Collectors.counting()));
          assertThat(perLane)
              .hasSize(THREADS + 1)
              .containsEntry("shared (circuit breaker)", (long) THREADS * CALLS);
          assertThat(perLane.values()).containsOnly((long) CALLS, (long) THREADS * CALLS);
        }
      }
    }
  }

  @Test
  void drawsWhileOtherThreadsRecord() throws Exception {
    try (Timeline timeline = Timeline.start(Ticker.system(), 5_000)) {
      Lane lane = timeline.lane("busy");
      CountDownLatch drawn = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<?> writer =
            pool.submit(
                () -> {
                  while (drawn.getCount() > 0) {
                    lane.failure(Duration.ofMillis(1));
                  }
                });
        Future<String> reader =
            pool.submit(
                () -> {
                  String last = "";
                  for (int i = 0; i < 5; i++) {
                    last = timeline.toSvg("");
                    SvgDocument.parse(last);
                  }
                  drawn.countDown();
                  return last;
                });
        assertThat(reader.get(60, TimeUnit.SECONDS)).startsWith("<?xml");
        writer.get(60, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private interface Work {
    void run(int thread) throws Exception;
  }

  private static void run(Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  work.run(thread);
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
