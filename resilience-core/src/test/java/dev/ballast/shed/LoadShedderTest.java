package dev.ballast.shed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Allocations;
import dev.ballast.Gate;
import dev.ballast.RejectedException;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.Ticker;
import dev.ballast.testlog.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class LoadShedderTest {
  private final TestTicker ticker = new TestTicker();

  /** Target 100 ms over 10 s (buckets of 1 s), at least 5 samples, 5 timed and 1 probe a bucket. */
  private LoadShedder shedder() {
    return LoadShedder.of("api", config().build());
  }

  private LoadShedderConfig.Builder config() {
    return LoadShedderConfig.builder()
        .target(Duration.ofMillis(100))
        .window(Duration.ofSeconds(10))
        .minimumSamples(5)
        .samplesPerWindow(50)
        .probesPerWindow(10)
        .ticker(ticker);
  }

  /** One admitted call that takes {@code millis} of ticker time. */
  private void call(LoadShedder shedder, long millis) {
    long permit = shedder.acquire();
    ticker.advanceMillis(millis);
    shedder.onResult(permit, "ok");
  }

  @Test
  void theDefaultsMeasureLatencyAgainstAHundredMillisecondsOverTenSeconds() {
    LoadShedderConfig d = LoadShedderConfig.defaults();
    assertThat(d.measure()).isEqualTo(LoadShedderConfig.Measure.LATENCY);
    assertThat(d.target()).isEqualTo(Duration.ofMillis(100));
    assertThat(d.window()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.minimumSamples()).isEqualTo(20);
    assertThat(d.samplesPerWindow()).isEqualTo(200);
    assertThat(d.probesPerWindow()).isEqualTo(10);
    assertThat(d.ticker()).isSameAs(Ticker.system());
    assertThat(d.toBuilder().build()).isEqualTo(d).hasSameHashCodeAs(d);
    assertThat(d)
        .hasToString(
            "LoadShedderConfig{measure=LATENCY, target=PT0.1S, window=PT10S, minimumSamples=20,"
                + " samplesPerWindow=200, probesPerWindow=10}");
    assertThat(LoadShedder.ofDefaults("api").config()).isSameAs(d);
  }

  @Test
  void callsUnderTheTargetAreAllAdmitted() {
    LoadShedder shedder = shedder();
    for (int i = 0; i < 20; i++) {
      call(shedder, 50);
    }
    LoadShedderStats stats = shedder.stats();
    assertThat(stats.calls()).isEqualTo(20);
    assertThat(stats.rejections()).isZero();
    assertThat(stats.shedding()).isFalse();
    assertThat(stats.windowMean()).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void aMeanLatencyOverTheTargetShedsNewWorkNamingTheFiguresAndWhenToComeBack() {
    LoadShedder shedder = shedder();
    for (int i = 0; i < 5; i++) {
      call(shedder, 150); // 750 ms in: all in the first bucket
    }
    assertThat(shedder.stats().shedding()).isTrue();
    shedder.acquire(); // the bucket's one probe
    assertThatThrownBy(shedder::acquire)
        .isInstanceOfSatisfying(
            LoadShedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RejectedException.Reason.OVERLOAD);
              assertThat(e.component()).isEqualTo("api");
              assertThat(e.measured()).isEqualTo(Duration.ofMillis(150));
              assertThat(e.target()).isEqualTo(Duration.ofMillis(100));
              assertThat(e.retryAfter()).contains(Duration.ofMillis(250)); // the bucket's end
              assertThat(e.getStackTrace()).isEmpty();
            })
        .hasMessage(
            "load shedder 'api' is shedding: mean latency PT0.15S over 5 samples in the window,"
                + " target PT0.1S");
    assertThat(shedder.tryAcquire()).isEqualTo(Gate.REFUSED);
    assertThat(shedder.stats().rejections()).isEqualTo(2);
  }

  @Test
  void fewerSamplesThanTheMinimumAreNoEvidence() {
    LoadShedder shedder = shedder();
    for (int i = 0; i < 4; i++) {
      call(shedder, 1_000 / 5);
    }
    assertThat(shedder.stats().shedding()).isFalse();
    assertThat(shedder.tryAcquire()).isNotEqualTo(Gate.REFUSED);
  }

  @Test
  void whileSheddingItAdmitsItsProbesInEveryBucketAndTimesThem() {
    LoadShedder shedder = shedder();
    for (int i = 0; i < 5; i++) {
      call(shedder, 150);
    }
    long probe = shedder.tryAcquire();
    assertThat(probe).isNotEqualTo(Gate.REFUSED);
    assertThat(shedder.tryAcquire()).isEqualTo(Gate.REFUSED);
    ticker.advanceMillis(250); // the next bucket
    assertThat(shedder.tryAcquire()).isNotEqualTo(Gate.REFUSED);
    assertThat(shedder.tryAcquire()).isEqualTo(Gate.REFUSED);
    assertThat(shedder.stats().probes()).isEqualTo(2);
    shedder.onResult(probe, "ok"); // 250 ms: a sample
    assertThat(shedder.stats().windowSamples()).isEqualTo(6);
  }

  @Test
  void fastProbesEndTheSheddingOnceTheMeanIsBackUnderTheTarget() {
    LoadShedder shedder = shedder();
    for (int i = 0; i < 5; i++) {
      call(shedder, 150); // mean 150 ms
    }
    for (int bucket = 0; bucket < 3 && shedder.stats().shedding(); bucket++) {
      ticker.advanceMillis(1_000);
      call(shedder, 0); // the bucket's probe, instant
    }
    // (5 * 150 + 3 * 0) / 8 = 93.75 ms <= 100 ms
    LoadShedderStats stats = shedder.stats();
    assertThat(stats.shedding()).isFalse();
    assertThat(stats.windowSamples()).isEqualTo(8);
    assertThat(shedder.tryAcquire()).isNotEqualTo(Gate.REFUSED);
  }

  @Test
  void withNoTrafficAtAllItAdmitsAgainOnceTheSlowSamplesLeaveTheWindow() {
    LoadShedder shedder = shedder();
    for (int i = 0; i < 5; i++) {
      call(shedder, 150);
    }
    assertThat(shedder.tryAcquire()).isNotEqualTo(Gate.REFUSED); // the probe, never completed
    assertThat(shedder.tryAcquire()).isEqualTo(Gate.REFUSED);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(shedder.tryAcquire()).isNotEqualTo(Gate.REFUSED);
    assertThat(shedder.tryAcquire()).isNotEqualTo(Gate.REFUSED);
    assertThat(shedder.stats().shedding()).isFalse();
    assertThat(shedder.stats().windowSamples()).isZero();
  }

  @Test
  void failedCallsAreTimedLikeSuccessfulOnesAndAReleasedPermitCountsNothing() {
    LoadShedder shedder = shedder();
    for (int i = 0; i < 5; i++) {
      long permit = shedder.acquire();
      ticker.advanceMillis(150);
      shedder.onError(permit, new IOException("down"));
    }
    long released = shedder.acquire();
    ticker.advanceMillis(150);
    shedder.release(released);
    assertThat(shedder.stats().windowSamples()).isEqualTo(5);
    assertThat(shedder.stats().shedding()).isTrue();
  }

  @Test
  void itTimesOnlyItsShareOfCallsPerBucketSoTheOthersReadNoClock() {
    AtomicLong reads = new AtomicLong();
    Ticker counting =
        () -> {
          reads.incrementAndGet();
          return ticker.read();
        };
    TestScheduler scheduler = new TestScheduler(ticker);
    LoadShedder shedder =
        LoadShedder.of(
            "api",
            LoadShedderConfig.builder()
                .scheduler(new SchedulerWithTicker(scheduler, counting))
                .samplesPerWindow(50)
                .minimumSamples(5)
                .build());
    for (int i = 0; i < 5; i++) {
      shedder.onResult(shedder.acquire(), "ok"); // the bucket's five timed calls
    }
    long before = reads.get();
    for (int i = 0; i < 100; i++) {
      long permit = shedder.acquire();
      shedder.onResult(permit, "ok");
    }
    assertThat(reads.get()).isEqualTo(before);
    ticker.advanceMillis(1_000); // the timer rolls the bucket: five more are timed
    shedder.onResult(shedder.acquire(), "ok");
    assertThat(reads.get()).isGreaterThan(before);
  }

  @Test
  void theSuccessPathAllocatesNothing() {
    LoadShedder exact = shedder();
    LoadShedder rolled = LoadShedder.ofDefaults("rolled");
    assertThat(Allocations.bytesPerCall(() -> exact.run(() -> {}))).isZero();
    assertThat(Allocations.bytesPerCall(() -> rolled.run(() -> {}))).isZero();
  }

  @Test
  void listenersHearSheddingStartStopAndEachRefusalWithTheFigures() {
    LoadShedder shedder = shedder();
    List<String> events = new CopyOnWriteArrayList<>();
    shedder.addListener(
        new LoadShedderListener() {
          @Override
          public void onSheddingStarted(long measuredNanos, long targetNanos) {
            events.add("started " + measuredNanos / 1_000_000 + " " + targetNanos / 1_000_000);
          }

          @Override
          public void onSheddingStopped(long measuredNanos, long targetNanos) {
            events.add("stopped " + measuredNanos / 1_000_000 + " " + targetNanos / 1_000_000);
          }

          @Override
          public void onRejected(long measuredNanos) {
            events.add("rejected " + measuredNanos / 1_000_000);
          }
        });
    for (int i = 0; i < 5; i++) {
      call(shedder, 150);
    }
    shedder.tryAcquire(); // probe
    shedder.tryAcquire();
    ticker.advance(Duration.ofSeconds(10));
    shedder.tryAcquire();
    assertThat(events).containsExactly("started 150 100", "rejected 150", "stopped 0 100");
  }

  @Test
  void aListenerThatThrowsLosesNeitherTheCallersOutcomeNorTheShedding() {
    LoadShedder shedder = shedder();
    shedder.addListener(
        new LoadShedderListener() {
          @Override
          public void onSheddingStarted(long measuredNanos, long targetNanos) {
            throw new IllegalStateException("listener bug");
          }
        });
    for (int i = 0; i < 4; i++) {
      call(shedder, 150);
    }
    String result =
        shedder.get(
            () -> {
              ticker.advanceMillis(150);
              return "answer"; // the fifth sample starts the shedding
            });
    assertThat(result).isEqualTo("answer");
    assertThat(shedder.stats().shedding()).isTrue();
  }

  @Test
  void transitionsAreLoggedNamingTheShedderAndTheFigures() {
    LogCapture.clear();
    LoadShedder shedder = shedder();
    for (int i = 0; i < 5; i++) {
      call(shedder, 150);
    }
    ticker.advance(Duration.ofSeconds(10));
    shedder.tryAcquire();
    assertThat(LogCapture.lines(LoadShedder.class.getName()))
        .extracting(l -> l.level() + " " + l.message())
        .containsExactly(
            "WARN name=api shedding started: mean latency PT0.15S over 5 samples in the window,"
                + " target PT0.1S",
            "INFO name=api shedding stopped: mean latency PT0S over 0 samples in the window,"
                + " target PT0.1S");
  }

  @Test
  void reportedQueueingDelaysAreSamplesWhetherTheCallIsAdmittedOrNot() {
    LoadShedder shedder =
        LoadShedder.of(
            "worker",
            config().measure(LoadShedderConfig.Measure.QUEUEING_DELAY).probesPerWindow(1).build());
    long ms = 1_000_000;
    for (int i = 0; i < 4; i++) {
      shedder.release(shedder.acquire(300 * ms));
    }
    assertThat(shedder.tryAcquire(300 * ms)).isNotEqualTo(Gate.REFUSED); // 5th sample: a probe
    assertThatThrownBy(() -> shedder.acquire(300 * ms))
        .isInstanceOf(LoadShedException.class)
        .hasMessageContaining("mean queueing delay PT0.3S over 6 samples");
    for (int i = 0; i < 20; i++) {
      shedder.tryAcquire(0); // the first twelve refused, yet each brings the mean down
    }
    assertThat(shedder.stats().shedding()).isFalse();
    assertThat(shedder.stats().windowSamples()).isEqualTo(26);
    assertThat(shedder.tryAcquire(0)).isNotEqualTo(Gate.REFUSED);
  }

  @Test
  void aQueueingDelayIsRefusedWhenNegativeOrWhenTheShedderMeasuresLatency() {
    LoadShedder latency = shedder();
    assertThatThrownBy(() -> latency.acquire(5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "load shedder 'api' measures LATENCY; acquire(queueingDelayNanos) needs"
                + " measure(QUEUEING_DELAY)");
    LoadShedder queueing =
        LoadShedder.of(
            "worker", config().measure(LoadShedderConfig.Measure.QUEUEING_DELAY).build());
    assertThatIllegalArgumentException()
        .isThrownBy(() -> queueing.tryAcquire(-5))
        .withMessage("queueingDelayNanos must be >= 0, was -5");
    assertThat(queueing.stats().windowSamples()).isZero();
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void badSettingsAreRefusedNamingTheOptionAndTheValue() {
    LoadShedderConfig.Builder b = LoadShedderConfig.builder();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.target(Duration.ZERO))
        .withMessage("target must be > 0, was PT0S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.target(Duration.ofMillis(-1)))
        .withMessage("target must be > 0, was PT-0.001S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.target(Duration.ofDays(2)))
        .withMessage("target must be <= PT24H, was PT48H");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.window(Duration.ZERO))
        .withMessage("window must be > 0, was PT0S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.window(Duration.ofNanos(9)))
        .withMessage("window must be >= 10 ns, was PT0.000000009S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.minimumSamples(0))
        .withMessage("minimumSamples must be >= 1, was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.samplesPerWindow(-1))
        .withMessage("samplesPerWindow must be >= 1, was -1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.probesPerWindow(0))
        .withMessage("probesPerWindow must be >= 1, was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> LoadShedderConfig.builder().minimumSamples(30).samplesPerWindow(20).build())
        .withMessage("samplesPerWindow must be >= minimumSamples (30), was 20");
    assertThatNullPointerException()
        .isThrownBy(() -> b.measure(null))
        .withMessage("measure must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> LoadShedder.of("api", null))
        .withMessage("config must not be null");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LoadShedder.ofDefaults(" "))
        .withMessage("name must not be blank, was ' '");
  }

  @Test
  void theTickerAndTheSchedulerAreOneChoice() {
    LoadShedderConfig.Builder b = LoadShedderConfig.builder().ticker(ticker);
    assertThatThrownBy(() -> b.scheduler(new TestScheduler(ticker)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("time source was already set to ticker(");
    assertThat(b.ticker(ticker).build().ticker()).isSameAs(ticker);
  }

  @Test
  void statsAndToStringNameTheFigures() {
    LoadShedder shedder = shedder();
    call(shedder, 40);
    assertThat(shedder.stats())
        .hasToString(
            "LoadShedderStats{calls=1, probes=0, rejections=0, windowSamples=1,"
                + " windowMean=PT0.04S, shedding=false}");
    assertThat(shedder).hasToString("loadShedder[api]");
    assertThat(shedder.name()).isEqualTo("api");
  }

  /** A test scheduler that reports another ticker, to count the reads. */
  private static final class SchedulerWithTicker implements dev.ballast.Scheduler {
    private final TestScheduler scheduler;
    private final Ticker ticker;

    SchedulerWithTicker(TestScheduler scheduler, Ticker ticker) {
      this.scheduler = scheduler;
      this.ticker = ticker;
    }

    @Override
    public Ticker ticker() {
      return ticker;
    }

    @Override
    public dev.ballast.Cancellable schedule(Runnable task, long delayNanos) {
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
}
