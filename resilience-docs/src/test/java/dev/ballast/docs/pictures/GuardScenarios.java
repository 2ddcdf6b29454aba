package dev.ballast.docs.pictures;

import dev.ballast.BackOffHint;
import dev.ballast.Handshake;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerOpenException;
import dev.ballast.fallback.Fallback;
import dev.ballast.fallback.FallbackConfig;
import dev.ballast.governor.Decision;
import dev.ballast.governor.Governor;
import dev.ballast.governor.GovernorConfig;
import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryConfig;
import dev.ballast.testkit.ManualScheduler;
import dev.ballast.testkit.ManualTicker;
import dev.ballast.testkit.timeline.Lane;
import dev.ballast.testkit.timeline.Timeline;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The scripted scenarios behind the pictures of the governor, fallback and handshaking pages, in
 * virtual time like {@link PatternScenarios}: each returns its picture as SVG text.
 */
final class GuardScenarios {
  private GuardScenarios() {}

  /**
   * An autoscaler under a governor, ticking every 10 s and waiting out every delay: a surge for two
   * minutes (scale-ups allowed, one a tick, 12 to 24 instances), then a quiet spell (two
   * scale-downs at once, then one per two minutes, each early ask delayed), a pause by an operator
   * from 6:00 to 7:00 (every ask refused), and monitoring that reports 3 healthy instances from
   * 9:00 to 10:20 (the divergence asks for a confirmation, and the autoscaler waits for a person
   * until monitoring is fixed).
   */
  static String governor() throws Exception {
    ManualTicker ticker = new ManualTicker();
    Governor governor =
        Governor.of(
            "autoscaler",
            GovernorConfig.builder()
                .action("scale-up", 20, Duration.ofMinutes(1))
                .action("scale-down", 2, Duration.ofMinutes(4))
                .band(10, 50)
                .divergenceLimit(0.2)
                .ticker(ticker)
                .build());
    try (Timeline timeline = Timeline.start(ticker)) {
      Lane fleet = timeline.lane("fleet (instances the autoscaler runs)");
      Lane monitoring = timeline.lane("healthy instances monitoring reports");
      timeline.attach(governor);
      int expected = 12;
      long waitUntil = Long.MIN_VALUE;
      boolean awaitingPerson = false;
      for (int tick = 0; tick < 68; tick++) {
        boolean monitoringBroken = tick >= 54 && tick < 62;
        if (tick == 0 || tick == 12 || tick == 54 || tick == 62) {
          fleet.state(
              tick == 0
                  ? "surge"
                  : tick == 54 ? "monitoring broken" : tick == 62 ? "monitoring fixed" : "quiet");
        }
        if (tick == 36) {
          governor.pause("incident 42");
        } else if (tick == 42) {
          governor.resume();
        }
        if (tick == 62) {
          awaitingPerson = false; // a person looked, found monitoring wrong and fixed it
        }
        int reported = monitoringBroken ? 3 : expected;
        governor.observe(expected, reported);
        monitoring.level(reported);
        int wanted = tick < 12 ? 24 : 12;
        if (wanted != expected && !awaitingPerson && ticker.read() >= waitUntil) {
          String action = wanted > expected ? "scale-up" : "scale-down";
          int next = wanted > expected ? expected + 1 : expected - 1;
          Decision decision = governor.decide(action, next);
          if (decision.allowed()) {
            expected = next;
          } else if (decision.verdict() == Decision.Verdict.DELAY) {
            waitUntil = decision.untilNanos();
          } else if (decision.verdict() == Decision.Verdict.CONFIRM) {
            awaitingPerson = true;
          }
        }
        fleet.level(expected);
        ticker.advance(Duration.ofSeconds(10));
      }
      return timeline.toSvg(
          "Governor 'autoscaler': scale-ups free, scale-downs delayed, a pause, a confirmation");
    }
  }

  /**
   * A fallback around a breaker around the inventory service, a call every 100 ms: healthy for 2 s,
   * broken for 3 s (each call fails after 200 ms), healed. While it fails the fallback answers a
   * default; once the breaker opens (three failures in a row) it answers the cached copy at once;
   * after the heal the breaker's probe succeeds and the answers are fresh again. The caller's lane
   * shows which answer it got: every call was answered.
   */
  static String fallback() throws Exception {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "inventory",
            CircuitBreakerConfig.builder()
                .consecutiveFailures(3)
                .waitInOpen(Duration.ofSeconds(1))
                .ticker(ticker)
                .build());
    Fallback<String> fallback =
        Fallback.of(
            "inventory",
            FallbackConfig.<String>builder()
                .rejectionFallback(refused -> "cached")
                .onExceptionWhen(e -> e instanceof IOException)
                .exceptionFallback(e -> "default")
                .build());
    try (Timeline timeline = Timeline.start(ticker)) {
      Lane service = timeline.lane("inventory service");
      timeline.attach(breaker);
      timeline.attach(fallback);
      Lane caller = timeline.lane("answer the caller got");
      String[] phases = {"healthy", "broken", "healed"};
      long[] phaseMillis = {2000, 3000, 3000};
      for (int p = 0; p < phases.length; p++) {
        service.state(phases[p]);
        boolean broken = p == 1;
        for (long spent = 0; spent < phaseMillis[p]; ) {
          long before = ticker.read();
          String answer =
              fallback.apply(
                  () ->
                      breaker.call(
                          () -> {
                            ticker.advance(Duration.ofMillis(broken ? 200 : 20));
                            if (broken) {
                              service.failure(Duration.ofMillis(200));
                              throw new IOException("connection reset");
                            }
                            service.success(Duration.ofMillis(20));
                            return "fresh";
                          }));
          caller.state(answer);
          long took = Duration.ofNanos(ticker.read() - before).toMillis();
          ticker.advance(Duration.ofMillis(Math.max(0, 100 - took)));
          spent += Math.max(100, took);
        }
      }
      return timeline.toSvg(
          "Fallback 'inventory': a default while the service fails, the cache while the breaker"
              + " is open");
    }
  }

  /** What the orders service answers: a status and, for a refusal, its Retry-After header. */
  record Reply(int status, String retryAfter) {}

  /**
   * A breaker and a retry that honour the server's word: the orders service answers 503 with {@code
   * Retry-After: 2} from 2 s to 3.5 s. The first 503 opens the breaker for exactly the hint, 2 s,
   * whatever its trip rule; the other callers' requests (one every 250 ms, through the breaker
   * alone) are refused at once meanwhile; the caller whose request met the 503 goes through a retry
   * that waits for the hint, and its second attempt, 2 s later, is the breaker's probe: 200,
   * closed.
   */
  static String handshaking() throws Exception {
    ManualTicker ticker = new ManualTicker();
    ManualScheduler scheduler = new ManualScheduler(ticker);
    long origin = ticker.read();
    Instant wallClock = Instant.parse("2026-01-01T00:00:00Z");
    BackOffHint fromHttp =
        (result, error) ->
            result instanceof Reply r
                ? Handshake.hint(r.status(), r.retryAfter(), wallClock)
                : null;
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "orders",
            CircuitBreakerConfig.builder()
                .scheduler(scheduler)
                .backOffHint(fromHttp, Duration.ofMinutes(1))
                .build());
    Retry retry =
        Retry.of(
            "orders",
            RetryConfig.builder()
                .maxAttempts(3)
                .retryOnResult(r -> r instanceof Reply reply && reply.status() == 503)
                .waitForRetryAfter(Duration.ofSeconds(10))
                .backOffHint(fromHttp)
                .scheduler(scheduler)
                .executor(Runnable::run)
                .build());
    try (Timeline timeline = Timeline.start(ticker)) {
      Lane service = timeline.lane("orders service");
      timeline.attach(breaker);
      timeline.attach(retry);
      Lane caller = timeline.lane("the caller behind the retry");
      for (int step = 0; step < 28; step++) {
        long at = step * 250L;
        boolean overloaded = at >= 2000 && at < 3500;
        if (step == 0 || at == 2000 || at == 3500) {
          service.state(overloaded ? "503, Retry-After: 2" : "200");
        }
        if (at == 2000) {
          retry
              .callAsync(
                  () ->
                      breaker.callAsync(
                          () -> CompletableFuture.completedFuture(answer(ticker, origin, service))))
              .thenAccept(reply -> caller.mark("answer " + reply.status()));
        } else {
          try {
            breaker.call(() -> answer(ticker, origin, service));
          } catch (CircuitBreakerOpenException refused) {
            // counted by the breaker's lane
          }
        }
        ticker.advance(Duration.ofMillis(250));
      }
      return timeline.toSvg(
          "Handshaking: a 503 with Retry-After: 2 opens breaker 'orders' for 2 s; the retry"
              + " waits 2 s");
    }
  }

  /**
   * One answer of the orders service at the ticker's time: 503 between 2 s and 3.5 s. Virtual time
   * does not move during a call; the service's lane draws each answer as taking 20 ms.
   */
  private static Reply answer(ManualTicker ticker, long origin, Lane service) {
    long at = Duration.ofNanos(ticker.read() - origin).toMillis();
    if (at >= 2000 && at < 3500) {
      service.failure(Duration.ofMillis(20));
      return new Reply(503, "2");
    }
    service.success(Duration.ofMillis(20));
    return new Reply(200, "");
  }
}
