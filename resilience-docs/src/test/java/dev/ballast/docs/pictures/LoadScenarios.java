package dev.ballast.docs.pictures;

import dev.ballast.Gate;
import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadConfig;
import dev.ballast.queue.BoundedQueue;
import dev.ballast.queue.BoundedQueueConfig;
import dev.ballast.ratelimiter.RateLimiter;
import dev.ballast.ratelimiter.RateLimiterConfig;
import dev.ballast.shed.LoadShedder;
import dev.ballast.shed.LoadShedderConfig;
import dev.ballast.testkit.ManualScheduler;
import dev.ballast.testkit.ManualTicker;
import dev.ballast.testkit.timeline.Lane;
import dev.ballast.testkit.timeline.Timeline;
import java.time.Duration;

/**
 * The scripted scenarios behind the pictures of the load patterns' pages (bulkhead, rate limiter,
 * load shedder, bounded queue), in virtual time like {@link PatternScenarios}: each returns its
 * picture as SVG text.
 */
final class LoadScenarios {
  private LoadScenarios() {}

  /**
   * A bulkhead of four permits around a dependency that turns slow: a call arrives every 100 ms;
   * while each takes 150 ms two are in flight, while each takes 900 ms the bulkhead fills and
   * refuses the excess at once; when the dependency is quick again it drains.
   */
  static String bulkhead() throws Exception {
    ManualTicker ticker = new ManualTicker();
    ManualScheduler scheduler = new ManualScheduler(ticker);
    Bulkhead bulkhead =
        Bulkhead.of(
            "reports", BulkheadConfig.builder().maxConcurrentCalls(4).ticker(ticker).build());
    try (Timeline timeline = Timeline.start(ticker)) {
      Lane dependency = timeline.lane("reports service");
      timeline.attach(bulkhead);
      for (int step = 0; step < 70; step++) {
        boolean slow = step >= 15 && step < 40;
        if (step == 0 || step == 15 || step == 40) {
          dependency.state(slow ? "slow" : "healthy");
        }
        long millis = slow ? 900 : 150;
        long permit = bulkhead.tryAcquire();
        if (permit != Gate.REFUSED) {
          scheduler.schedule(
              () -> {
                bulkhead.onResult(permit, "report");
                dependency.success(Duration.ofMillis(millis));
                timeline.sample();
              },
              Duration.ofMillis(millis).toNanos());
        }
        timeline.sample();
        ticker.advance(Duration.ofMillis(100));
      }
      return timeline.toSvg(
          "Bulkhead 'reports' of 4 permits: full while the service is slow, the excess refused at"
              + " once");
    }
  }

  /**
   * A rate limiter of 5 permits a second, asked for 10 a second: half the calls are refused; after
   * 3 s an operator raises the limit to 10 and every call passes.
   */
  static String rateLimiter() throws Exception {
    ManualTicker ticker = new ManualTicker();
    ManualScheduler scheduler = new ManualScheduler(ticker);
    RateLimiter limiter =
        RateLimiter.of(
            "partner-api",
            RateLimiterConfig.builder()
                .limitForPeriod(5)
                .period(Duration.ofSeconds(1))
                .scheduler(scheduler)
                .build());
    try (Timeline timeline = Timeline.start(ticker)) {
      Lane calls = timeline.lane("calls to partner-api");
      timeline.attach(limiter);
      for (int step = 0; step < 60; step++) {
        if (step == 30) {
          limiter.changeLimit(10);
          calls.mark("limit raised to 10/s");
        }
        if (limiter.tryAcquire() != Gate.REFUSED) {
          calls.success(Duration.ofMillis(20));
        }
        timeline.sample();
        ticker.advance(Duration.ofMillis(100));
      }
      return timeline.toSvg(
          "Rate limiter 'partner-api', 5 a second, asked for 10: the excess refused until raised"
              + " to 10");
    }
  }

  /**
   * A load shedder with a 100 ms latency target over a 1 s window: a call every 50 ms; when the
   * service slows to 250 ms it starts shedding, keeps probing, and stops once the probes are quick
   * again.
   */
  static String loadShedder() throws Exception {
    ManualTicker ticker = new ManualTicker();
    ManualScheduler scheduler = new ManualScheduler(ticker);
    LoadShedder shedder =
        LoadShedder.of(
            "checkout",
            LoadShedderConfig.builder()
                .target(Duration.ofMillis(100))
                .window(Duration.ofSeconds(1))
                .minimumSamples(5)
                .scheduler(scheduler)
                .build());
    try (Timeline timeline = Timeline.start(ticker)) {
      Lane service = timeline.lane("checkout service");
      timeline.attach(shedder);
      for (int step = 0; step < 120; step++) {
        boolean overloaded = step >= 30 && step < 70;
        if (step == 0 || step == 30 || step == 70) {
          service.state(overloaded ? "overloaded" : "healthy");
        }
        long millis = overloaded ? 250 : 40;
        long permit = shedder.tryAcquire();
        if (permit != Gate.REFUSED) {
          scheduler.schedule(
              () -> {
                shedder.onResult(permit, "ok");
                service.success(Duration.ofMillis(millis));
              },
              Duration.ofMillis(millis).toNanos());
        }
        ticker.advance(Duration.ofMillis(50));
      }
      return timeline.toSvg(
          "Load shedder 'checkout', target 100 ms: sheds while the service is slow, probing, then"
              + " stops");
    }
  }

  /**
   * A bounded queue of 10 between a producer (an item every 50 ms) and a consumer that takes one
   * every 100 ms, then, after 3 s, one every 25 ms: the queue fills, refuses the excess, and drains
   * once the consumer keeps up.
   */
  static String boundedQueue() throws Exception {
    ManualTicker ticker = new ManualTicker();
    BoundedQueue<String> queue =
        BoundedQueue.of("events", BoundedQueueConfig.builder().capacity(10).ticker(ticker).build());
    try (Timeline timeline = Timeline.start(ticker)) {
      Lane consumer = timeline.lane("consumer");
      timeline.attach(queue);
      consumer.state("slow");
      for (int tick = 0; tick < 200; tick++) {
        if (tick == 120) {
          consumer.state("fast");
        }
        if (tick % 2 == 0) {
          queue.offer("event " + tick);
        }
        int every = tick < 120 ? 4 : 1;
        if (tick % every == 0 && queue.poll() != null) {
          consumer.success(Duration.ofMillis(every * 25L));
        }
        timeline.sample();
        ticker.advance(Duration.ofMillis(25));
      }
      return timeline.toSvg(
          "Bounded queue 'events' of 10: the consumer falls behind, the queue fills and refuses"
              + " the excess, then drains");
    }
  }
}
