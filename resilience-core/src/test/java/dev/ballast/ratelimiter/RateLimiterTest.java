package dev.ballast.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ballast.Allocations;
import dev.ballast.Cancellable;
import dev.ballast.Gate;
import dev.ballast.Handshake;
import dev.ballast.RejectedException;
import dev.ballast.Scheduler;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.Ticker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class RateLimiterTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);

  /** 10 permits a second: one every 100 ms. */
  private RateLimiterConfig.Builder tenPerSecond() {
    return RateLimiterConfig.builder()
        .limitForPeriod(10)
        .period(Duration.ofSeconds(1))
        .scheduler(scheduler);
  }

  private static int grants(RateLimiter limiter, int tries) {
    int granted = 0;
    for (int i = 0; i < tries; i++) {
      if (limiter.tryAcquire() != Gate.REFUSED) {
        granted++;
      }
    }
    return granted;
  }

  @Test
  void aBurstyLimiterGrantsItsWholeBurstAtOnceThenOnePermitPerInterval() {
    RateLimiter limiter = RateLimiter.of("api", tenPerSecond().build());
    assertThat(grants(limiter, 50)).isEqualTo(10);
    ticker.advanceMillis(99);
    assertThat(grants(limiter, 5)).isZero();
    ticker.advanceMillis(1);
    assertThat(grants(limiter, 5)).isEqualTo(1);
    ticker.advanceMillis(350);
    assertThat(grants(limiter, 5)).isEqualTo(3);
    ticker.advance(Duration.ofSeconds(60));
    assertThat(grants(limiter, 50)).as("the bucket holds no more than its burst").isEqualTo(10);
  }

  @Test
  void aSmoothLimiterPacesItsPermitsOneIntervalApartEvenAfterAQuietSpell() {
    RateLimiter limiter =
        RateLimiter.of("api", tenPerSecond().mode(RateLimiterConfig.Mode.SMOOTH).build());
    ticker.advance(Duration.ofSeconds(60));
    assertThat(grants(limiter, 50)).isEqualTo(1);
    ticker.advanceMillis(99);
    assertThat(grants(limiter, 5)).isZero();
    ticker.advanceMillis(1);
    assertThat(grants(limiter, 5)).isEqualTo(1);
  }

  @Test
  void aSmallerBurstCapsWhatAQuietSpellSaves() {
    RateLimiter limiter = RateLimiter.of("api", tenPerSecond().burst(3).build());
    assertThat(grants(limiter, 50)).isEqualTo(3);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(grants(limiter, 50)).isEqualTo(3);
  }

  @Test
  void theRefusalSaysExactlyWhenThePermitsWillBeFreeAndIsARateStyleOverload() {
    RateLimiter limiter = RateLimiter.of("api", tenPerSecond().build());
    grants(limiter, 10);
    ticker.advanceMillis(30);
    RateLimitedException e = (RateLimitedException) catchRejection(() -> limiter.acquire(2));
    assertThat(e.retryAfter()).contains(Duration.ofMillis(170));
    assertThat(e.reason()).isEqualTo(RejectedException.Reason.OVERLOAD);
    assertThat(e.component()).isEqualTo("api");
    assertThat(e.permits()).isEqualTo(2);
    assertThat(e.rateLimited()).isTrue();
    assertThat(e.getStackTrace()).isEmpty();
    assertThat(e).hasMessageContaining("rate limiter 'api' refused 2 permits");
    assertThat(Handshake.httpStatus(e)).isEqualTo(429);
    assertThat(Handshake.retryAfterHeader(e)).contains("1");
    ticker.advanceMillis(169);
    assertThat(limiter.tryAcquire(2)).isEqualTo(Gate.REFUSED);
    ticker.advanceMillis(1);
    assertThat(limiter.tryAcquire(2)).isNotEqualTo(Gate.REFUSED);
  }

  private static RejectedException catchRejection(Runnable r) {
    try {
      r.run();
    } catch (RejectedException e) {
      return e;
    }
    throw new AssertionError("not refused");
  }

  @Test
  void aCallTakingSeveralPermitsSpendsThemAll() {
    RateLimiter limiter = RateLimiter.of("api", tenPerSecond().build());
    assertThat(limiter.tryAcquire(4)).isNotEqualTo(Gate.REFUSED);
    assertThat(limiter.tryAcquire(6)).isNotEqualTo(Gate.REFUSED);
    assertThat(limiter.tryAcquire(1)).isEqualTo(Gate.REFUSED);
    assertThat(limiter.stats().permits()).isEqualTo(10);
    assertThat(limiter.stats().calls()).isEqualTo(2);
  }

  @Test
  void aBoundedWaitWaitsForPermitsDueWithinIt() {
    RateLimiter limiter =
        RateLimiter.of("api", tenPerSecond().maxWait(Duration.ofMillis(250)).build());
    grants(limiter, 10);
    long before = ticker.read();
    limiter.acquire();
    limiter.acquire();
    assertThat(ticker.read() - before).isEqualTo(Duration.ofMillis(200).toNanos());
    assertThat(limiter.stats().waits()).isEqualTo(2);
  }

  @Test
  void anInterruptedWaiterKeepsItsBookedPermitsAndItsInterrupt() {
    RateLimiter limiter =
        RateLimiter.of("api", tenPerSecond().maxWait(Duration.ofMillis(250)).build());
    grants(limiter, 10);
    long before = ticker.read();
    Thread.currentThread().interrupt();
    try {
      assertThat(limiter.acquire()).as("granted: its permit was booked before the wait").isOne();
      assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
    } finally {
      boolean unused = Thread.interrupted();
    }
    assertThat(ticker.read()).as("the wait ended at the interrupt").isEqualTo(before);
    RateLimiterStats s = limiter.stats();
    assertThat(s.permits()).as("the booked permit is spent, not given back").isEqualTo(11);
    assertThat(s.waitingCalls()).isZero();
    assertThat(limiter.tryAcquire(1, Duration.ZERO))
        .as("the next permit is 200 ms away")
        .isEqualTo(Gate.REFUSED);
  }

  @Test
  void aBoundedWaitRefusesAtOnceWhenThePermitsWouldComeTooLateAndBooksNothing() {
    RateLimiter limiter = RateLimiter.of("api", tenPerSecond().build());
    grants(limiter, 10);
    long before = ticker.read();
    assertThat(limiter.tryAcquire(3, Duration.ofMillis(299))).isEqualTo(Gate.REFUSED);
    assertThat(ticker.read()).as("refused without waiting").isEqualTo(before);
    assertThat(limiter.tryAcquire(3, Duration.ofMillis(300))).isNotEqualTo(Gate.REFUSED);
    assertThat(ticker.read() - before).isEqualTo(Duration.ofMillis(300).toNanos());
  }

  @Test
  void aRefusedWaitByAcquireNamesTheWaitAndTheLimit() {
    RateLimiter limiter =
        RateLimiter.of("api", tenPerSecond().maxWait(Duration.ofMillis(50)).build());
    grants(limiter, 10);
    assertThatThrownBy(limiter::acquire)
        .isInstanceOf(RateLimitedException.class)
        .hasMessageContaining("the wait PT0.1S exceeds PT0.05S");
  }

  @Test
  void aWarmUpRampsFromAThirdOfTheRateToTheFullRateOverTheWarmUpAndAgainAfterIdle() {
    RateLimiter limiter =
        RateLimiter.of(
            "api",
            tenPerSecond()
                .mode(RateLimiterConfig.Mode.SMOOTH)
                .warmUp(Duration.ofSeconds(2))
                .maxWait(Duration.ofSeconds(1))
                .build());
    List<Long> gaps = gaps(limiter, 14);
    assertThat(gaps.get(0)).isCloseTo(Duration.ofMillis(290).toNanos(), within(10L));
    for (int i = 1; i < 10; i++) {
      assertThat(gaps.get(i)).isLessThan(gaps.get(i - 1));
    }
    long ramp = gaps.subList(0, 10).stream().mapToLong(Long::longValue).sum();
    assertThat(ramp).isCloseTo(Duration.ofSeconds(2).toNanos(), within(100L));
    assertThat(gaps.subList(10, 13)).containsOnly(Duration.ofMillis(100).toNanos());
    ticker.advance(Duration.ofSeconds(3));
    assertThat(gaps(limiter, 2).get(0))
        .as("cold again after idle")
        .isCloseTo(Duration.ofMillis(290).toNanos(), within(10L));
  }

  @Test
  void aLimitLoweredWhileWarmingKeepsTheColdIntervalAtThreeOfTheNewIntervals() {
    RateLimiter limiter =
        RateLimiter.of(
            "api",
            tenPerSecond()
                .mode(RateLimiterConfig.Mode.SMOOTH)
                .warmUp(Duration.ofSeconds(2))
                .maxWait(Duration.ofSeconds(2))
                .build());
    limiter.changeLimit(5); // interval 200 ms: the stored permits now exceed the new ceiling
    List<Long> gaps = gaps(limiter, 2);
    assertThat(gaps.get(0))
        .isLessThanOrEqualTo(Duration.ofMillis(600).toNanos())
        .isGreaterThan(Duration.ofMillis(200).toNanos());
  }

  /** Takes {@code n} permits one after another; returns the ticker time between grants. */
  private List<Long> gaps(RateLimiter limiter, int n) {
    List<Long> gaps = new ArrayList<>();
    limiter.acquire();
    long last = ticker.read();
    for (int i = 1; i < n; i++) {
      limiter.acquire();
      gaps.add(ticker.read() - last);
      last = ticker.read();
    }
    return gaps;
  }

  @Test
  void aLimitChangedAtRunTimeAppliesFromTheNextPermitAndIsToldToListeners() {
    RateLimiter limiter = RateLimiter.of("api", tenPerSecond().build());
    List<String> heard = new ArrayList<>();
    limiter.addListener(
        new RateLimiterListener() {
          @Override
          public void onLimitChanged(long oldLimit, long newLimit) {
            heard.add(oldLimit + "->" + newLimit);
          }
        });
    grants(limiter, 10);
    limiter.changeLimit(100);
    assertThat(limiter.limit()).isEqualTo(100);
    assertThat(heard).containsExactly("10->100");
    ticker.advanceMillis(100);
    assertThat(grants(limiter, 200)).isEqualTo(10);
    ticker.advance(Duration.ofSeconds(5));
    assertThat(grants(limiter, 200)).as("the burst follows the limit").isEqualTo(100);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> limiter.changeLimit(0))
        .withMessage("limitForPeriod must be >= 1, was 0");
    assertThat(limiter.limit()).as("a refused change changes nothing").isEqualTo(100);
  }

  @Test
  void completingAPermitDoesNothingHoweverOftenItIsDone() {
    RateLimiter limiter = RateLimiter.of("api", tenPerSecond().burst(1).build());
    long permit = limiter.acquire();
    limiter.onResult(permit, "ok");
    limiter.onResult(permit, "ok");
    limiter.onError(permit, new IOException("down"));
    limiter.release(permit);
    limiter.release(Gate.REFUSED);
    assertThat(limiter.tryAcquire()).as("no permit handed back").isEqualTo(Gate.REFUSED);
    assertThat(limiter.stats().calls()).isEqualTo(1);
    assertThat(limiter.stats().rejections()).isEqualTo(1);
  }

  @Test
  void statsCountCallsPermitsWaitsAndRejectionsAndShowThePermitsFreeNow() {
    RateLimiter limiter = RateLimiter.of("api", tenPerSecond().build());
    assertThat(limiter.stats().availablePermits()).isEqualTo(10);
    limiter.tryAcquire(3);
    grants(limiter, 9);
    RateLimiterStats s = limiter.stats();
    assertThat(s.calls()).isEqualTo(8);
    assertThat(s.permits()).isEqualTo(10);
    assertThat(s.rejections()).isEqualTo(2);
    assertThat(s.availablePermits()).isZero();
    assertThat(s.limit()).isEqualTo(10);
    assertThat(s.toString())
        .isEqualTo(
            "RateLimiterStats{calls=8, permits=10, waits=0, rejections=2, availablePermits=0,"
                + " waitingCalls=0, limit=10}");
    ticker.advanceMillis(250);
    assertThat(limiter.stats().availablePermits()).isEqualTo(2);
  }

  @Test
  void permittingAndRefusingAllocateNothing() {
    RateLimiter limiter =
        RateLimiter.of(
            "api",
            RateLimiterConfig.builder()
                .limitForPeriod(1_000_000)
                .period(Duration.ofSeconds(1))
                .ticker(ticker)
                .build());
    assertThat(Allocations.bytesPerCall(() -> limiter.run(() -> {}))).isZero();
    RateLimiter spent = RateLimiter.of("spent", tenPerSecond().build());
    grants(spent, 10);
    assertThat(Allocations.bytesPerCall(spent::tryAcquire)).isZero();
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void badInputIsRefusedNamingTheOptionAndTheValue() {
    RateLimiterConfig.Builder b = RateLimiterConfig.builder();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.limitForPeriod(0))
        .withMessage("limitForPeriod must be >= 1, was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.limitForPeriod(-5))
        .withMessage("limitForPeriod must be >= 1, was -5");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.period(Duration.ZERO))
        .withMessage("period must be > 0, was PT0S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.burst(0))
        .withMessage("burst must be >= 1, was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.maxWait(Duration.ofMillis(-1)))
        .withMessage("maxWait must be >= 0, was PT-0.001S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.warmUp(Duration.ofMillis(-1)))
        .withMessage("warmUp must be >= 0, was PT-0.001S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.clockResolution(Duration.ofNanos(-1)))
        .withMessage("clockResolution must be >= 0, was PT-0.000000001S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.clockResolution(Duration.ofSeconds(2)))
        .withMessageContaining("clockResolution")
        .withMessageContaining("PT2S");
    assertThatIllegalStateException()
        .isThrownBy(() -> RateLimiterConfig.builder().warmUp(Duration.ofSeconds(1)).build())
        .withMessage("mode was already set to BURSTY; warmUp(PT1S) needs mode(SMOOTH)");
    assertThatIllegalStateException()
        .isThrownBy(() -> RateLimiterConfig.builder().scheduler(scheduler).ticker(ticker))
        .withMessageContaining("time source was already set to scheduler(");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                RateLimiterConfig.builder()
                    .limitForPeriod(1)
                    .period(Duration.ofDays(1))
                    .burst(1000)
                    .build())
        .withMessage("burst must be <= 833 at limitForPeriod=1 per PT24H, was 1000");
    assertThatNullPointerException()
        .isThrownBy(() -> b.mode(null))
        .withMessage("mode must not be null");

    RateLimiter limiter = RateLimiter.of("api", tenPerSecond().build());
    assertThatIllegalArgumentException()
        .isThrownBy(() -> limiter.acquire(0))
        .withMessage("permits must be in [1, burst=10] for rate limiter 'api', was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> limiter.tryAcquire(11))
        .withMessage("permits must be in [1, burst=10] for rate limiter 'api', was 11");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> limiter.tryAcquire(1, Duration.ofNanos(-1)))
        .withMessage("timeout must be >= 0, was PT-0.000000001S");
    assertThat(limiter.stats().rejections()).as("misuse is not a refusal").isZero();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RateLimiter.of(" ", RateLimiterConfig.defaults()))
        .withMessage("name must not be blank, was ' '");
  }

  @Test
  void theConfigRoundTripsThroughItsBuilderAndPrintsItsSettings() {
    RateLimiterConfig c = tenPerSecond().burst(4).maxWait(Duration.ofMillis(5)).build();
    assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
    assertThat(RateLimiterConfig.defaults().toString())
        .isEqualTo(
            "RateLimiterConfig{limitForPeriod=50, period=PT1S, burst=50, mode=BURSTY,"
                + " warmUp=PT0S, maxWait=PT0S, clockResolution=PT0S}");
    RateLimiterConfig coarse = c.toBuilder().clockResolution(Duration.ofMillis(1)).build();
    assertThat(coarse).isNotEqualTo(c).isEqualTo(coarse.toBuilder().build());
    assertThat(coarse.clockResolution()).isEqualTo(Duration.ofMillis(1));
    assertThat(RateLimiter.ofDefaults("x").toString()).isEqualTo("rateLimiter[x]");
  }

  /** A scheduler on the test's time line whose ticker counts how often it is read. */
  private final class CountingScheduler implements Scheduler {
    final AtomicInteger reads = new AtomicInteger();
    final Ticker counting =
        () -> {
          reads.incrementAndGet();
          return ticker.read();
        };

    @Override
    public Ticker ticker() {
      return counting;
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
      return scheduler.schedule(task, delayNanos);
    }

    @Override
    public void sleep(long delayNanos) throws InterruptedException {
      scheduler.sleep(delayNanos);
    }

    @Override
    public void close() {
      scheduler.close();
    }
  }

  @Test
  void withAClockResolutionCallsReadTheTimersReadingNotTheClockAndTheRateHolds() {
    CountingScheduler exactTimer = new CountingScheduler();
    RateLimiter exact = RateLimiter.of("exact", tenPerSecond().scheduler(exactTimer).build());
    int before = exactTimer.reads.get();
    assertThat(grants(exact, 100)).isEqualTo(10);
    assertThat(exactTimer.reads.get() - before).as("every call reads the clock").isEqualTo(100);

    CountingScheduler timer = new CountingScheduler();
    RateLimiter coarse =
        RateLimiter.of(
            "coarse",
            tenPerSecond().scheduler(timer).clockResolution(Duration.ofMillis(1)).build());
    before = timer.reads.get();
    assertThat(grants(coarse, 100)).isEqualTo(10);
    assertThat(timer.reads.get() - before)
        .as("the first call starts the timer with one read; the rest read its reading")
        .isEqualTo(1);
    ticker.advanceMillis(99);
    assertThat(grants(coarse, 5)).isZero();
    ticker.advanceMillis(1);
    assertThat(grants(coarse, 5)).as("the timer kept the reading fresh").isEqualTo(1);
    ticker.advance(Duration.ofSeconds(60));
    assertThat(grants(coarse, 50)).isEqualTo(10);
  }

  @Test
  void aClockResolutionWithATickerAndNoSchedulerStillReadsTheTickerEveryCall() {
    AtomicInteger reads = new AtomicInteger();
    Ticker counting =
        () -> {
          reads.incrementAndGet();
          return ticker.read();
        };
    RateLimiter limiter =
        RateLimiter.of(
            "ticked",
            RateLimiterConfig.builder()
                .limitForPeriod(10)
                .ticker(counting)
                .clockResolution(Duration.ofMillis(1))
                .build());
    int before = reads.get();
    assertThat(grants(limiter, 20)).isEqualTo(10);
    assertThat(reads.get() - before).as("no timer to refresh a reading: exact").isEqualTo(20);
  }
}
