package dev.ballast.shed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.Gate;
import dev.ballast.TestTicker;
import dev.ballast.Together;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Many threads on one shedder or throttle: after join, every count adds up. */
final class ConcurrencyTest {
  private static final int THREADS = 8;
  private static final int CALLS = 20_000;

  private final TestTicker ticker = new TestTicker();

  @Test
  void aShedderTimesExactlyItsShareOfABucketAndAdmitsEveryCallWhileUnderTarget()
      throws InterruptedException {
    LoadShedder shedder =
        LoadShedder.of(
            "api",
            LoadShedderConfig.builder()
                .samplesPerWindow(50)
                .minimumSamples(5)
                .ticker(ticker)
                .build());
    Together.run(
        THREADS,
        t -> {
          for (int i = 0; i < CALLS; i++) {
            shedder.onResult(shedder.acquire(), "ok");
          }
        });
    LoadShedderStats stats = shedder.stats();
    assertThat(stats.calls()).isEqualTo((long) THREADS * CALLS);
    assertThat(stats.rejections()).isZero();
    assertThat(stats.windowSamples()).isEqualTo(5); // the ticker never moved: one bucket
  }

  @Test
  void aSheddingShedderAdmitsExactlyItsProbesAndRefusesEveryOtherCall()
      throws InterruptedException {
    LoadShedder shedder =
        LoadShedder.of(
            "worker",
            LoadShedderConfig.builder()
                .measure(LoadShedderConfig.Measure.QUEUEING_DELAY)
                .minimumSamples(1)
                .probesPerWindow(30)
                .ticker(ticker)
                .build());
    // Now shedding; this first call is the bucket's first probe.
    shedder.release(shedder.acquire(Duration.ofSeconds(1).toNanos()));
    LongAdder admitted = new LongAdder();
    LongAdder refused = new LongAdder();
    Together.run(
        THREADS,
        t -> {
          for (int i = 0; i < CALLS; i++) {
            long permit = shedder.tryAcquire(Duration.ofSeconds(1).toNanos());
            if (permit == Gate.REFUSED) {
              refused.increment();
            } else {
              admitted.increment();
              shedder.release(permit);
            }
          }
        });
    LoadShedderStats stats = shedder.stats();
    assertThat(admitted.sum()).isEqualTo(2); // 30 a window: 3 a bucket, and one bucket
    assertThat(stats.probes()).isEqualTo(3);
    assertThat(stats.rejections()).isEqualTo(refused.sum());
    assertThat(stats.calls() + stats.rejections()).isEqualTo(1L + THREADS * CALLS);
    assertThat(stats.windowSamples()).isEqualTo(1L + THREADS * CALLS);
  }

  @Test
  void aThrottlesWindowCountsEveryRequestAndAcceptWhileItsBucketsRoll()
      throws InterruptedException {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of(
            "backend",
            AdaptiveThrottleConfig.builder().window(Duration.ofHours(1)).ticker(ticker).build());
    AtomicLong accepted = new AtomicLong();
    AtomicLong released = new AtomicLong();
    LongAdder refused = new LongAdder();
    Thread clock =
        new Thread(
            () -> {
              for (int minute = 0; minute < 50; minute++) { // buckets of 6 min: eight rolls
                ticker.advance(Duration.ofMinutes(1));
                Thread.onSpinWait();
              }
            });
    clock.start();
    Together.run(
        THREADS,
        t -> {
          for (int i = 0; i < CALLS; i++) {
            long permit = throttle.tryAcquire();
            if (permit == Gate.REFUSED) {
              refused.increment();
            } else if (i % 10 == 0) {
              released.incrementAndGet();
              throttle.release(permit);
            } else if (i % 3 == 0) {
              throttle.onError(permit, new IOException("down"));
            } else if (i % 7 == 0) {
              throttle.onError(permit, new AdaptiveThrottleTest.TooManyRequests());
            } else {
              accepted.incrementAndGet();
              throttle.onResult(permit, "ok");
            }
          }
        });
    clock.join();
    AdaptiveThrottleStats stats = throttle.stats();
    assertThat(stats.calls() + stats.rejections()).isEqualTo((long) THREADS * CALLS);
    assertThat(stats.rejections()).isEqualTo(refused.sum());
    assertThat(stats.windowRequests()).isEqualTo((long) THREADS * CALLS - released.get());
    assertThat(stats.windowAccepts()).isEqualTo(accepted.get());
  }
}
