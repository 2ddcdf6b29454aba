package dev.ballast.docs.pictures;

import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerOpenException;
import dev.ballast.retry.Backoff;
import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryConfig;
import dev.ballast.testkit.ManualScheduler;
import dev.ballast.testkit.ManualTicker;
import dev.ballast.testkit.timeline.Lane;
import dev.ballast.testkit.timeline.Timeline;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scripted scenarios behind the pictures of the pattern pages, each in virtual time (a {@link
 * ManualTicker}, a {@link ManualScheduler}), so a scenario draws the same bytes on every run. Each
 * returns the picture as SVG text; {@link PatternPicturesTest} compares it with the committed file.
 */
final class PatternScenarios {
  private PatternScenarios() {}

  /**
   * A breaker on a dependency that is healthy, breaks, then heals: a call every 100 ms (or as soon
   * as the last one failed, 200 ms after it began); five failures in a row open it; after a second
   * it lets a probe through, which fails while the dependency is still broken (open again) and
   * succeeds once it healed (closed).
   */
  static String circuitBreaker() throws Exception {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "inventory",
            CircuitBreakerConfig.builder()
                .consecutiveFailures(5)
                .waitInOpen(Duration.ofSeconds(1))
                .ticker(ticker)
                .build());
    try (Timeline timeline = Timeline.start(ticker)) {
      Lane scenario = timeline.lane("dependency");
      timeline.attach(breaker);
      String[] phases = {"healthy", "broken", "healed"};
      long[] phaseMillis = {2000, 3500, 2500};
      for (int p = 0; p < phases.length; p++) {
        scenario.state(phases[p]);
        boolean broken = p == 1;
        for (long spent = 0; spent < phaseMillis[p]; ) {
          long took = call(breaker, ticker, broken ? 200 : 20, broken);
          ticker.advance(Duration.ofMillis(Math.max(0, 100 - took)));
          spent += Math.max(100, took);
        }
      }
      return timeline.toSvg(
          "Circuit breaker 'inventory': five failures in a row open it; after 1 s a probe;"
              + " closed once the dependency heals");
    }
  }

  /** One call through the breaker; returns how many milliseconds it took. */
  private static long call(CircuitBreaker breaker, ManualTicker ticker, long millis, boolean fail)
      throws IOException {
    try {
      breaker.call(
          () -> {
            ticker.advance(Duration.ofMillis(millis));
            if (fail) {
              throw new IOException("read timed out");
            }
            return "42 in stock";
          });
      return millis;
    } catch (CircuitBreakerOpenException refused) {
      return 0;
    } catch (IOException failed) {
      return millis;
    }
  }

  /**
   * A retry with exponential back-off (100 ms doubling, five attempts, no jitter) around a
   * dependency that fails three times and then answers, then, later, around one that keeps failing,
   * so the retry gives up after its fifth attempt.
   */
  static String retry() throws Exception {
    ManualTicker ticker = new ManualTicker();
    ManualScheduler scheduler = new ManualScheduler(ticker);
    Retry retry =
        Retry.of(
            "prices",
            RetryConfig.builder()
                .maxAttempts(5)
                .backoff(Backoff.exponential(Duration.ofMillis(100), 2))
                .scheduler(scheduler)
                .build());
    try (Timeline timeline = Timeline.start(ticker)) {
      Lane dependency = timeline.lane("prices service");
      timeline.attach(retry);
      for (int failures : new int[] {3, 5}) {
        AtomicInteger attempt = new AtomicInteger();
        try {
          retry.call(
              () -> {
                ticker.advance(Duration.ofMillis(30));
                if (attempt.incrementAndGet() <= failures) {
                  dependency.failure(Duration.ofMillis(30));
                  throw new IOException("503 Service Unavailable");
                }
                dependency.success(Duration.ofMillis(30));
                return "9.99";
              });
        } catch (IOException gaveUp) {
          // the second call: five failures, the retry gives up
        }
        ticker.advance(Duration.ofMillis(400));
      }
      return timeline.toSvg(
          "Retry 'prices': back-off of 100 ms doubling; three failures then an answer, then five"
              + " failures and it gives up");
    }
  }

  /**
   * A timeout of 250 ms around a dependency that drips: each call takes 60 ms longer than the one
   * before. The timeout lets the quick ones through and cuts every later one at 250 ms, while the
   * dependency (its own lane) would have held the caller ever longer.
   */
  static String timeout() throws Exception {
    ManualTicker ticker = new ManualTicker();
    ManualScheduler scheduler = new ManualScheduler(ticker);
    Timeout timeout =
        Timeout.of(
            "search",
            TimeoutConfig.builder().duration(Duration.ofMillis(250)).scheduler(scheduler).build());
    try (Timeline timeline = Timeline.start(ticker)) {
      Lane dependency = timeline.lane("search service (uncut)");
      timeline.attach(timeout);
      for (int i = 0; i < 12; i++) {
        long millis = 40 + 60L * i;
        CompletionStage<String> answer =
            timeout.callAsync(
                () -> {
                  CompletableFuture<String> reply = new CompletableFuture<>();
                  scheduler.schedule(
                      () -> {
                        dependency.success(Duration.ofMillis(millis));
                        reply.complete("results");
                      },
                      Duration.ofMillis(millis).toNanos());
                  return reply;
                });
        ticker.advance(Duration.ofMillis(300));
        answer.toCompletableFuture().handle((r, e) -> r).join();
        ticker.advance(Duration.ofMillis(Math.max(0, millis - 300)));
        ticker.advance(Duration.ofMillis(100));
      }
      return timeline.toSvg(
          "Timeout 'search' of 250 ms: each call drips 60 ms slower; the timeout cuts every call"
              + " past 250 ms");
    }
  }
}
