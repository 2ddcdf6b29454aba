package dev.ballast.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Gate;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.Together;
import dev.ballast.testlog.LogCapture;
import dev.ballast.testlog.ReconfigurationLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

final class ReconfigurationTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final RateLimiter limiter =
      RateLimiter.of(
          "api",
          RateLimiterConfig.builder()
              .limitForPeriod(10)
              .period(Duration.ofSeconds(1))
              .scheduler(scheduler)
              .build());

  @RegisterExtension final ReconfigurationLog log = new ReconfigurationLog(RateLimiter.class);

  private int grants(int tries) {
    int granted = 0;
    for (int i = 0; i < tries; i++) {
      if (limiter.tryAcquire() != Gate.REFUSED) {
        granted++;
      }
    }
    return granted;
  }

  @Test
  void aFasterRateKeepsWhatWasBookedAndHandsOutNoFreshBurst() {
    assertThat(grants(50)).isEqualTo(10);
    RateLimiterConfig next = limiter.config().toBuilder().limitForPeriod(20).build();
    limiter.reconfigure(next);
    assertThat(limiter.config()).isSameAs(next);
    assertThat(grants(50)).as("the ten taken still fill the bucket").isZero();
    ticker.advanceMillis(50);
    assertThat(grants(5)).as("then one every 50 ms").isEqualTo(1);
    assertThat(limiter.stats().permits()).isEqualTo(11);
  }

  @Test
  void aSlowerRateAppliesToThePermitsAlreadyTaken() {
    assertThat(grants(5)).isEqualTo(5);
    limiter.reconfigure(limiter.config().toBuilder().limitForPeriod(2).build());
    assertThat(grants(50)).isEqualTo(1);
    ticker.advanceMillis(499);
    assertThat(grants(5)).isZero();
    ticker.advanceMillis(1);
    assertThat(grants(5)).isEqualTo(1);
  }

  @Test
  void aSmoothModePacesFromTheNextRequest() {
    limiter.reconfigure(limiter.config().toBuilder().mode(RateLimiterConfig.Mode.SMOOTH).build());
    assertThat(grants(10)).isEqualTo(1);
    ticker.advanceMillis(100);
    assertThat(grants(10)).isEqualTo(1);
  }

  @Test
  void aLongerMaxWaitLetsTheNextCallerWait() {
    assertThat(grants(10)).isEqualTo(10);
    limiter.reconfigure(limiter.config().toBuilder().maxWait(Duration.ofSeconds(1)).build());
    long before = ticker.read();
    assertThat(limiter.acquire()).isEqualTo(1);
    assertThat(ticker.read() - before).isEqualTo(Duration.ofMillis(100).toNanos());
  }

  @Test
  void aChangedLimitIsReportedToListenersAndLoggedOnce() {
    List<String> heard = new CopyOnWriteArrayList<>();
    limiter.addListener(
        new RateLimiterListener() {
          @Override
          public void onLimitChanged(long oldLimit, long newLimit) {
            heard.add(oldLimit + "->" + newLimit);
          }
        });
    limiter.reconfigure(limiter.config().toBuilder().limitForPeriod(20).build());
    assertThat(heard).containsExactly("10->20");
    assertThat(log.lines("api"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.INFO);
              assertThat(l.message())
                  .isEqualTo("name=api reconfigured burst=10->20 limitForPeriod=10->20");
            });
  }

  @Test
  void aConfigRestoresALimitAnOperatorChanged() {
    RateLimiterConfig original = limiter.config();
    limiter.changeLimit(50);
    LogCapture.clear();
    limiter.reconfigure(original);
    assertThat(limiter.stats().limit()).isEqualTo(10);
    assertThat(log.lines("api"))
        .singleElement()
        .satisfies(l -> assertThat(l.message()).contains("limitForPeriod=50->10"));
  }

  @Test
  void theSchedulerTheClockResolutionAndWarmUpOnOrOffCannotChangeAndNothingDoes() {
    RateLimiterConfig before = limiter.config();
    assertThatThrownBy(
            () ->
                limiter.reconfigure(
                    before.toBuilder()
                        .limitForPeriod(3)
                        .scheduler(new TestScheduler(ticker))
                        .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("rate limiter 'api': scheduler cannot change at run time (was ");
    assertThatThrownBy(
            () ->
                limiter.reconfigure(
                    RateLimiterConfig.builder()
                        .limitForPeriod(10)
                        .period(Duration.ofSeconds(1))
                        .scheduler(scheduler)
                        .mode(RateLimiterConfig.Mode.SMOOTH)
                        .warmUp(Duration.ofSeconds(5))
                        .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "rate limiter 'api': warmUp (on or off) cannot change at run time (was PT0S, given"
                + " PT5S); nothing was changed");
    assertThatThrownBy(
            () ->
                limiter.reconfigure(
                    before.toBuilder()
                        .limitForPeriod(3)
                        .clockResolution(Duration.ofMillis(1))
                        .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "rate limiter 'api': clockResolution cannot change at run time (was PT0S, given"
                + " PT0.001S); nothing was changed");
    assertThat(limiter.config()).isSameAs(before);
    assertThat(limiter.stats().limit()).isEqualTo(10);
    assertThat(log.lines("api")).isEmpty();
  }

  @Test
  @Tag("concurrency")
  void requestsRacingReconfigurationsNeverTakeMoreThanTheLargestBurst() throws Exception {
    List<RateLimiterConfig> configs =
        List.of(limiter.config(), limiter.config().toBuilder().limitForPeriod(1000).build());
    LongAdder granted = new LongAdder();
    Together.whileRepeating(
        4,
        t -> {
          for (int i = 0; i < 20_000; i++) {
            if (limiter.tryAcquire() != Gate.REFUSED) {
              granted.increment();
            }
            assertThat(configs).contains(limiter.config());
          }
        },
        round -> limiter.reconfigure(configs.get(round % 2)));
    // Time stood still: the booked second holds at most 1,000 of the fastest rate's permits.
    assertThat(granted.sum()).isBetween(10L, 1000L);
    assertThat(limiter.stats().permits()).isEqualTo(granted.sum());
    assertThat(limiter.stats().calls() + limiter.stats().rejections()).isEqualTo(80_000);
  }
}
