package dev.ballast.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.awaitility.Awaitility.await;

import dev.ballast.Gate;
import dev.ballast.RejectedException;
import dev.ballast.TestTicker;
import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadConfig;
import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkheadConfig;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.fallback.Fallback;
import dev.ballast.fallback.FallbackConfig;
import dev.ballast.governor.Governor;
import dev.ballast.queue.BoundedQueue;
import dev.ballast.queue.BoundedQueueConfig;
import dev.ballast.ratelimiter.RateLimiter;
import dev.ballast.ratelimiter.RateLimiterConfig;
import dev.ballast.retry.Retry;
import dev.ballast.shed.AdaptiveThrottle;
import dev.ballast.shed.AdaptiveThrottleConfig;
import dev.ballast.shed.LoadShedder;
import dev.ballast.shed.LoadShedderConfig;
import dev.ballast.timeout.Timeout;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

final class HealthSnapshotTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T09:00:00Z"), ZoneOffset.UTC);

  private final TestTicker ticker = new TestTicker();

  /** A backend's "429": what an adaptive throttle counts as a refusal. */
  static final class TooManyRequests extends RejectedException {
    private static final long serialVersionUID = 1L;

    TooManyRequests() {
      super("backend", Reason.OVERLOAD, null, "429 Too Many Requests", false);
    }
  }

  private static ComponentHealth only(Object component) {
    HealthSnapshot s = HealthSnapshot.of(List.of(component), CLOCK);
    assertThat(s.components()).hasSize(1);
    return s.components().get(0);
  }

  private CircuitBreaker breaker(String name) {
    return CircuitBreaker.of(
        name,
        CircuitBreakerConfig.builder()
            .consecutiveFailures(1)
            .waitInOpen(Duration.ofSeconds(10))
            .ticker(ticker)
            .build());
  }

  private static void fail(CircuitBreaker b) {
    b.onError(b.acquire(), new IOException("down"));
  }

  @Test
  void aBreakerIsUpClosedOrDisabledAndDegradedOpenHalfOpenOrForcedOpen() {
    CircuitBreaker b = breaker("inventory");
    assertThat(only(b).status()).isEqualTo(HealthStatus.UP);
    assertThat(only(b).state()).isEqualTo("CLOSED");

    fail(b);
    ComponentHealth open = only(b);
    assertThat(open.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(open.state()).isEqualTo("OPEN");
    assertThat(open.pattern()).isEqualTo("circuitbreaker");
    assertThat(open.name()).isEqualTo("inventory");
    assertThat(open.figures())
        .containsKeys(
            "windowFailureRate",
            "windowSlowCallRate",
            "windowCalls",
            "windowFailures",
            "rejections",
            "timeUntilProbeMillis")
        .containsEntry("timeUntilProbeMillis", 10_000.0);

    ticker.advance(Duration.ofSeconds(10));
    b.acquire(); // the probe, left running
    assertThat(only(b).state()).isEqualTo("HALF_OPEN");
    assertThat(only(b).status()).isEqualTo(HealthStatus.DEGRADED);

    b.forceOpen();
    assertThat(only(b).state()).isEqualTo("FORCED_OPEN");
    assertThat(only(b).status()).isEqualTo(HealthStatus.DEGRADED);

    b.disable();
    assertThat(only(b).state()).isEqualTo("DISABLED");
    assertThat(only(b).status()).isEqualTo(HealthStatus.UP);

    b.reset();
    assertThat(only(b).state()).isEqualTo("CLOSED");
    assertThat(only(b).status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void aBulkheadIsOverloadedWhileEveryPermitIsTakenAndUpAgainOnceOneIsBack() {
    Bulkhead bulkhead =
        Bulkhead.of("db", BulkheadConfig.builder().maxConcurrentCalls(2).ticker(ticker).build());
    long first = bulkhead.acquire();
    assertThat(only(bulkhead).status()).isEqualTo(HealthStatus.UP);
    assertThat(only(bulkhead).state()).isEqualTo("AVAILABLE");
    bulkhead.acquire();
    assertThat(bulkhead.tryAcquire()).isEqualTo(Gate.REFUSED);
    ComponentHealth full = only(bulkhead);
    assertThat(full.status()).isEqualTo(HealthStatus.OVERLOADED);
    assertThat(full.state()).isEqualTo("FULL");
    assertThat(full.figures())
        .containsEntry("inFlight", 2L)
        .containsEntry("maxConcurrentCalls", 2L)
        .containsEntry("waiting", 0L)
        .containsEntry("rejections", 1L);

    bulkhead.onResult(first, "ok");
    ComponentHealth again = only(bulkhead);
    assertThat(again.status())
        .as("a refusal in the past does not keep it overloaded: only the present counts")
        .isEqualTo(HealthStatus.UP);
    assertThat(again.figures()).containsEntry("rejections", 1L);
  }

  @Test
  void aBulkheadIsFullWhenItsUnreservedPermitsAreTakenWhateverItsReservedPartitionsHave() {
    Bulkhead api =
        Bulkhead.of(
            "api",
            BulkheadConfig.builder()
                .maxConcurrentCalls(4)
                .partition("admin", 2)
                .ticker(ticker)
                .build());
    Gate admin = api.partition("admin");
    admin.acquire();
    admin.acquire();
    assertThat(only(api).status())
        .as("the partition is full, ordinary calls are not")
        .isEqualTo(HealthStatus.UP);
    long ordinary = api.acquire();
    api.acquire();
    assertThat(api.tryAcquire()).isEqualTo(Gate.REFUSED);
    assertThat(only(api).status()).isEqualTo(HealthStatus.OVERLOADED);
    api.onResult(ordinary, "ok");
    assertThat(only(api).status()).isEqualTo(HealthStatus.UP);

    Bulkhead reservedOnly =
        Bulkhead.of(
            "reserved-free",
            BulkheadConfig.builder()
                .maxConcurrentCalls(3)
                .partition("health", 1)
                .ticker(ticker)
                .build());
    reservedOnly.acquire();
    reservedOnly.acquire();
    assertThat(reservedOnly.tryAcquire()).isEqualTo(Gate.REFUSED);
    assertThat(only(reservedOnly).figures()).containsEntry("inFlight", 2L);
    assertThat(only(reservedOnly).status())
        .as("the reserved permit is free, but ordinary calls are refused")
        .isEqualTo(HealthStatus.OVERLOADED);
  }

  @Test
  void aThreadPoolBulkheadIsOverloadedWhenEveryThreadIsBusyAndItsQueueFull() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    try (ThreadPoolBulkhead pool =
        ThreadPoolBulkhead.of(
            "reports",
            ThreadPoolBulkheadConfig.builder()
                .maxThreads(1)
                .queueCapacity(1)
                .closeTimeout(Duration.ofSeconds(5))
                .build())) {
      pool.submit(
          () -> {
            started.countDown();
            release.await();
            return "done";
          });
      started.await();
      assertThat(only(pool).status()).as("the queue has room").isEqualTo(HealthStatus.UP);
      pool.submit(() -> "queued");
      ComponentHealth full = only(pool);
      assertThat(full.status()).isEqualTo(HealthStatus.OVERLOADED);
      assertThat(full.state()).isEqualTo("FULL");
      assertThat(full.figures())
          .containsEntry("activeThreads", 1L)
          .containsEntry("maxThreads", 1L)
          .containsEntry("queued", 1L)
          .containsEntry("queueCapacity", 1L);
      release.countDown();
      await().until(() -> pool.stats().queued() == 0 && pool.stats().activeThreads() == 0);
      assertThat(only(pool).status()).isEqualTo(HealthStatus.UP);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aLoadShedderIsOverloadedWhileSheddingAndUpOnceItsWindowRecovers() {
    LoadShedder shedder =
        LoadShedder.of(
            "api",
            LoadShedderConfig.builder()
                .target(Duration.ofMillis(100))
                .window(Duration.ofSeconds(10))
                .minimumSamples(5)
                .samplesPerWindow(50)
                .ticker(ticker)
                .build());
    assertThat(only(shedder).state()).isEqualTo("ACCEPTING");
    for (int i = 0; i < 5; i++) {
      long permit = shedder.acquire();
      ticker.advanceMillis(150);
      shedder.onResult(permit, "ok");
    }
    ComponentHealth shedding = only(shedder);
    assertThat(shedding.status()).isEqualTo(HealthStatus.OVERLOADED);
    assertThat(shedding.state()).isEqualTo("SHEDDING");
    assertThat(shedding.figures())
        .containsEntry("windowMeanMillis", 150.0)
        .containsEntry("targetMillis", 100.0)
        .containsEntry("windowSamples", 5L);

    ticker.advance(Duration.ofSeconds(10));
    shedder.tryAcquire(); // a call while shedding rolls the window
    assertThat(only(shedder).status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void anAdaptiveThrottleRefusingForARefusingBackendIsDegradedNotOverloaded() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of(
            "backend",
            AdaptiveThrottleConfig.builder()
                .window(Duration.ofSeconds(10))
                .minimumRequests(1)
                .ticker(ticker)
                .build());
    assertThat(only(throttle).status()).isEqualTo(HealthStatus.UP);
    assertThat(only(throttle).state()).isEqualTo("ACCEPTING");
    for (int i = 0; i < 10; i++) {
      long permit = throttle.tryAcquire();
      if (permit != Gate.REFUSED) {
        throttle.onError(permit, new TooManyRequests());
      }
    }
    ComponentHealth throttling = only(throttle);
    assertThat(throttling.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(throttling.state()).isEqualTo("THROTTLING");
    assertThat((Double) throttling.figures().get("windowRejectionProbability")).isPositive();

    ticker.advance(Duration.ofSeconds(10));
    assertThat(only(throttle).status())
        .as("the refusals left the window")
        .isEqualTo(HealthStatus.UP);
  }

  @Test
  void aQueueFullUnderLoadIsOverloadedAndOneWithAStalledConsumerIsDegraded() {
    BoundedQueue<String> q =
        BoundedQueue.of(
            "jobs",
            BoundedQueueConfig.builder()
                .capacity(2)
                .stallTime(Duration.ofSeconds(10))
                .ticker(ticker)
                .build());
    q.add("a");
    assertThat(only(q).status()).isEqualTo(HealthStatus.UP);
    assertThat(only(q).state()).isEqualTo("ACCEPTING");
    q.add("b");
    ComponentHealth load = only(q);
    assertThat(load.status()).isEqualTo(HealthStatus.OVERLOADED);
    assertThat(load.state()).isEqualTo("FULL_LOAD");
    assertThat(load.figures()).containsEntry("size", 2L).containsEntry("capacity", 2L);

    ticker.advance(Duration.ofSeconds(10)); // no take for the stall time
    ComponentHealth stalled = only(q);
    assertThat(stalled.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(stalled.state()).isEqualTo("FULL_FAILURE");

    q.poll();
    assertThat(only(q).status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void aRateLimiterAtItsLimitIsStillUpBecauseItIsDoingItsJob() {
    RateLimiter limiter =
        RateLimiter.of(
            "partner-api",
            RateLimiterConfig.builder()
                .limitForPeriod(2)
                .period(Duration.ofSeconds(1))
                .ticker(ticker)
                .build());
    assertThat(only(limiter).state()).isEqualTo("AVAILABLE");
    limiter.tryAcquire();
    limiter.tryAcquire();
    assertThat(limiter.tryAcquire()).isEqualTo(Gate.REFUSED);
    ComponentHealth atLimit = only(limiter);
    assertThat(atLimit.state()).isEqualTo("AT_LIMIT");
    assertThat(atLimit.status()).isEqualTo(HealthStatus.UP);
    assertThat(atLimit.figures())
        .containsEntry("limit", 2L)
        .containsEntry("availablePermits", 0L)
        .containsEntry("rejections", 1L);
  }

  @Test
  void aPausedGovernorIsDegradedAndARunningOneUp() {
    Governor governor = Governor.ofDefaults("autoscaler");
    assertThat(only(governor).status()).isEqualTo(HealthStatus.UP);
    assertThat(only(governor).state()).isEqualTo("RUNNING");
    governor.pause("incident 42");
    assertThat(only(governor).status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(only(governor).state()).isEqualTo("PAUSED");
    governor.resume();
    assertThat(only(governor).status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void theWrappersAreAlwaysUpAndShowTheirCounts() throws Exception {
    Retry retry = Retry.ofDefaults("retry");
    Fallback<String> fallback =
        Fallback.of(
            "fallback", FallbackConfig.<String>builder().exceptionFallbackValue("-").build());
    String answer =
        fallback.call(
            () -> {
              throw new IOException("down");
            });
    assertThat(answer).isEqualTo("-");
    try (Timeout timeout = Timeout.ofDefaults("timeout")) {
      HealthSnapshot s = HealthSnapshot.of(List.of(retry, fallback, timeout), CLOCK);
      assertThat(s.components())
          .extracting(ComponentHealth::pattern)
          .containsExactly("fallback", "retry", "timeout");
      assertThat(s.components())
          .allSatisfy(
              c -> {
                assertThat(c.status()).isEqualTo(HealthStatus.UP);
                assertThat(c.state()).isEqualTo("ACTIVE");
              });
      assertThat(s.components().get(0).figures())
          .containsEntry("calls", 1L)
          .containsEntry("fallbacks", 1L);
      assertThat(s.components().get(2).figures())
          .containsKeys("durationMillis", "timeouts", "abandonedRunning");
    }
  }

  @Test
  void aDependencysOpenBreakerDegradesTheInstanceButLeavesItLiveAndReady() {
    CircuitBreaker b = breaker("inventory");
    Bulkhead bulkhead = Bulkhead.ofDefaults("db");
    fail(b);
    HealthSnapshot s = HealthSnapshot.of(List.of(bulkhead, b), CLOCK);
    assertThat(s.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(s.live()).isTrue();
    assertThat(s.ready()).isTrue();
  }

  @Test
  void theProcesssOwnOverloadMakesTheInstanceNotReadyButStillLive() {
    CircuitBreaker b = breaker("inventory");
    fail(b);
    Bulkhead bulkhead =
        Bulkhead.of("db", BulkheadConfig.builder().maxConcurrentCalls(1).ticker(ticker).build());
    bulkhead.acquire();
    HealthSnapshot s = HealthSnapshot.of(List.of(b, bulkhead), CLOCK);
    assertThat(s.status()).isEqualTo(HealthStatus.OVERLOADED);
    assertThat(s.ready()).isFalse();
    assertThat(s.live()).isTrue();
    assertThat(s.takenAt()).isEqualTo(Instant.parse("2026-12-06T09:00:00Z"));
  }

  @Test
  void noComponentsIsUpAndReady() {
    HealthSnapshot s = HealthSnapshot.of(List.of(), CLOCK);
    assertThat(s.status()).isEqualTo(HealthStatus.UP);
    assertThat(s.ready()).isTrue();
    assertThat(s.components()).isEmpty();
    assertThat(s)
        .hasToString(
            "HealthSnapshot{status=UP, live=true, ready=true, takenAt=2026-12-06T09:00:00Z,"
                + " components=0}");
  }

  @Test
  void componentsAreListedByPatternThenNameWhateverOrderTheyCameIn() {
    List<Object> given =
        List.of(
            Bulkhead.ofDefaults("b"),
            breaker("z"),
            Bulkhead.ofDefaults("a"),
            breaker("a"),
            Governor.ofDefaults("g"));
    assertThat(HealthSnapshot.of(given, CLOCK).components())
        .extracting(c -> c.pattern() + ":" + c.name())
        .containsExactly(
            "bulkhead:a", "bulkhead:b", "circuitbreaker:a", "circuitbreaker:z", "governor:g");
  }

  @Test
  void theFiguresCannotBeChanged() {
    ComponentHealth c = only(Bulkhead.ofDefaults("db"));
    assertThat(c.figures()).isUnmodifiable();
    assertThat(HealthSnapshot.of(List.of(), CLOCK).components()).isUnmodifiable();
  }

  @Test
  void somethingElseIsRefusedNamingItsPositionAndClass() {
    List<Object> given = List.of(Bulkhead.ofDefaults("db"), "inventory");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> HealthSnapshot.of(given))
        .withMessage(
            "components[1] is a java.lang.String, not a Ballast component; a health snapshot"
                + " knows CircuitBreaker, Bulkhead, ThreadPoolBulkhead, Timeout, Retry, Fallback,"
                + " RateLimiter, LoadShedder, AdaptiveThrottle, BoundedQueue, Governor");
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void aNullListANullComponentOrANullClockIsRefusedNamingIt() {
    List<@Nullable Object> withNull =
        new ArrayList<>(Arrays.asList(Bulkhead.ofDefaults("db"), null));
    assertThatNullPointerException()
        .isThrownBy(() -> HealthSnapshot.of(withNull))
        .withMessage("components[1] must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> HealthSnapshot.of(null, CLOCK))
        .withMessage("components must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> HealthSnapshot.of(List.of(), null))
        .withMessage("clock must not be null");
  }
}
