package dev.ballast.shed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Gate;
import dev.ballast.TestTicker;
import dev.ballast.Together;
import dev.ballast.testlog.ReconfigurationLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

final class ReconfigurationTest {
  private final TestTicker ticker = new TestTicker();

  @RegisterExtension final ReconfigurationLog log = new ReconfigurationLog(LoadShedder.class);

  private LoadShedder shedder() {
    return LoadShedder.of(
        "api",
        LoadShedderConfig.builder()
            .target(Duration.ofMillis(100))
            .window(Duration.ofSeconds(10))
            .minimumSamples(5)
            .ticker(ticker)
            .build());
  }

  private void call(LoadShedder shedder, long millis) {
    long permit = shedder.acquire();
    ticker.advanceMillis(millis);
    shedder.onResult(permit, "ok");
  }

  @Test
  void aLowerTargetIsMeasuredAgainstTheSamplesAlreadyInTheWindow() {
    LoadShedder shedder = shedder();
    for (int i = 0; i < 5; i++) {
      call(shedder, 80);
    }
    assertThat(shedder.stats().shedding()).isFalse();
    LoadShedderConfig next = shedder.config().toBuilder().target(Duration.ofMillis(50)).build();
    shedder.reconfigure(next);
    assertThat(shedder.config()).isSameAs(next);
    assertThat(shedder.stats().windowSamples()).isEqualTo(5);
    assertThat(shedder.stats().shedding()).isTrue();
    assertThat(log.lines("api"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.INFO);
              assertThat(l.message()).isEqualTo("name=api reconfigured target=PT0.1S->PT0.05S");
            });
  }

  @Test
  void aHigherTargetStopsSheddingAtTheNextEvaluation() {
    LoadShedder shedder = shedder();
    for (int i = 0; i < 5; i++) {
      call(shedder, 150);
    }
    assertThat(shedder.stats().shedding()).isTrue();
    shedder.reconfigure(shedder.config().toBuilder().target(Duration.ofMillis(200)).build());
    assertThat(shedder.tryAcquire()).isNotEqualTo(Gate.REFUSED);
    assertThat(shedder.stats().shedding()).isFalse();
  }

  @Test
  void theMeasureAndTheWindowCannotChangeAndNothingDoes() {
    LoadShedder shedder = shedder();
    LoadShedderConfig before = shedder.config();
    assertThatThrownBy(
            () ->
                shedder.reconfigure(
                    before.toBuilder()
                        .target(Duration.ofMillis(10))
                        .measure(LoadShedderConfig.Measure.QUEUEING_DELAY)
                        .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "load shedder 'api': measure cannot change at run time (was LATENCY, given"
                + " QUEUEING_DELAY); nothing was changed");
    assertThatThrownBy(
            () -> shedder.reconfigure(before.toBuilder().window(Duration.ofSeconds(20)).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window cannot change at run time");
    assertThat(shedder.config()).isSameAs(before);
    assertThat(log.lines("api")).isEmpty();
  }

  @Test
  @Tag("concurrency")
  void requestsRacingReconfigurationsAreEachAdmittedOrRefusedOnce() throws Exception {
    LoadShedder shedder = shedder();
    List<LoadShedderConfig> configs =
        List.of(
            shedder.config(),
            shedder.config().toBuilder().target(Duration.ofNanos(1)).probesPerWindow(50).build());
    LongAdder admitted = new LongAdder();
    LongAdder refused = new LongAdder();
    race(
        () -> {
          long p = shedder.tryAcquire();
          if (p == Gate.REFUSED) {
            refused.increment();
          } else {
            admitted.increment();
            shedder.onResult(p, "ok");
          }
          assertThat(configs).contains(shedder.config());
        },
        i -> shedder.reconfigure(configs.get(i % 2)));
    LoadShedderStats s = shedder.stats();
    assertThat(s.calls()).isEqualTo(admitted.sum());
    assertThat(s.rejections()).isEqualTo(refused.sum());
    assertThat(admitted.sum() + refused.sum()).isEqualTo(4L * 10_000);
  }

  /** A generator that always draws {@code value}. */
  private static RandomGenerator always(double value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  private static void outcomes(AdaptiveThrottle throttle, int accepted, int refused) {
    for (int i = 0; i < accepted + refused; i++) {
      long permit = throttle.tryAcquire();
      if (permit != Gate.REFUSED) {
        if (i < accepted) {
          throttle.onResult(permit, "ok");
        } else {
          throttle.onError(permit, new IllegalStateException("429"));
        }
      }
    }
  }

  @Test
  void aLowerKIsAppliedToTheCountsInTheWindowAtTheNextRequest() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of(
            "backend",
            AdaptiveThrottleConfig.builder()
                .window(Duration.ofSeconds(10))
                .minimumRequests(1)
                .random(always(0.0))
                .ticker(ticker)
                .build());
    outcomes(throttle, 10, 10); // 20 requests, 10 accepts: k = 2 refuses nothing
    assertThat(throttle.tryAcquire()).isNotEqualTo(Gate.REFUSED);
    long requests = throttle.stats().windowRequests();
    throttle.reconfigure(throttle.config().toBuilder().k(1.5).build());
    assertThat(throttle.stats().windowRequests()).isEqualTo(requests);
    assertThat(throttle.tryAcquire()).isEqualTo(Gate.REFUSED);
    assertThat(ReconfigurationLog.lines(AdaptiveThrottle.class, "backend"))
        .singleElement()
        .satisfies(l -> assertThat(l.message()).isEqualTo("name=backend reconfigured k=2.0->1.5"));
  }

  @Test
  void aThrottlesWindowCannotChange() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("backend", AdaptiveThrottleConfig.builder().ticker(ticker).build());
    assertThatThrownBy(
            () ->
                throttle.reconfigure(
                    throttle.config().toBuilder().window(Duration.ofSeconds(5)).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "adaptive throttle 'backend': window cannot change at run time (was PT2M, given PT5S)");
  }

  @Test
  @Tag("concurrency")
  void throttledRequestsRacingReconfigurationsAreCountedOnce() throws Exception {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of(
            "backend",
            AdaptiveThrottleConfig.builder()
                .window(Duration.ofSeconds(10))
                .minimumRequests(1)
                .ticker(ticker)
                .build());
    List<AdaptiveThrottleConfig> configs =
        List.of(throttle.config(), throttle.config().toBuilder().k(1.1).minimumRequests(5).build());
    LongAdder refused = new LongAdder();
    race(
        () -> {
          long p = throttle.tryAcquire();
          if (p == Gate.REFUSED) {
            refused.increment();
          } else {
            throttle.onError(p, new IllegalStateException("429"));
          }
          assertThat(configs).contains(throttle.config());
        },
        i -> throttle.reconfigure(configs.get(i % 2)));
    assertThat(throttle.stats().windowRequests()).isEqualTo(4L * 10_000);
    assertThat(throttle.stats().rejections()).isEqualTo(refused.sum());
    assertThat(throttle.stats().windowAccepts()).isZero();
  }

  /** Four threads run {@code call} 10,000 times each while another reconfigures. */
  private static void race(Runnable call, Together.Body reconfigure) throws InterruptedException {
    Together.whileRepeating(
        4,
        t -> {
          for (int i = 0; i < 10_000; i++) {
            call.run();
          }
        },
        reconfigure);
  }
}
