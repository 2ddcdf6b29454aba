package dev.ballast.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ballast.Gate;
import dev.ballast.shed.AdaptiveThrottle;
import dev.ballast.shed.AdaptiveThrottleConfig;
import dev.ballast.shed.AdaptiveThrottleStats;
import dev.ballast.shed.LoadShedder;
import dev.ballast.shed.LoadShedderConfig;
import dev.ballast.shed.LoadShedderListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The load-shedding window (buckets installed by CAS, each carrying the totals before it) and the
 * load shedder's decision (a CAS'd flag whose winner reports the transition): two threads
 * installing the same new bucket while counting into it, and two samples crossing the target at
 * once.
 */
public final class ShedWindow {

  private ShedWindow() {}

  /**
   * One request accepted in the first bucket, then the ticker moved into the second, which nobody
   * has installed yet; two threads each make a request the backend accepts. Both race to install
   * the second bucket and count into it. Results: requests, accepts and calls in {@code stats()}.
   */
  @JCStressTest
  @Outcome(id = "3, 3, 3", expect = ACCEPTABLE, desc = "every request and accept counted once")
  @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "a request lost in a dropped bucket")
  @Outcome(id = "3, 2, 3", expect = FORBIDDEN, desc = "an accept lost in a dropped bucket")
  @Outcome(expect = FORBIDDEN, desc = "counts that disagree with three requests accepted")
  @State
  public static class TwoInstallTheNextBucket {
    private final ManualTicker ticker = new ManualTicker();
    private final AdaptiveThrottle throttle =
        AdaptiveThrottle.of(
            "jcstress",
            AdaptiveThrottleConfig.builder()
                .window(Duration.ofSeconds(10))
                .minimumRequests(1_000) // never refuses: only the counting races
                .ticker(ticker)
                .build());

    public TwoInstallTheNextBucket() {
      request();
      ticker.advance(Duration.ofSeconds(1).toNanos()); // into the second bucket, not installed
    }

    private void request() {
      long permit = throttle.tryAcquire();
      if (permit != Gate.REFUSED) {
        throttle.onResult(permit, "ok");
      }
    }

    @Actor
    public void first() {
      request();
    }

    @Actor
    public void second() {
      request();
    }

    @Arbiter
    public void counts(III_Result r) {
      AdaptiveThrottleStats stats = throttle.stats();
      r.r1 = (int) stats.windowRequests();
      r.r2 = (int) stats.windowAccepts();
      r.r3 = (int) stats.calls();
    }
  }

  /**
   * A shedder judging from two samples, holding one of zero; two threads each report a queueing
   * delay of one second, so that whichever comes second takes the mean over the target (both may
   * see it). Results: how many "shedding started" events the listener heard, and whether the
   * shedder sheds.
   */
  @JCStressTest
  @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "shedding, and started reported once")
  @Outcome(id = "2, 1", expect = FORBIDDEN, desc = "the one transition reported twice")
  @Outcome(id = "0, .*", expect = FORBIDDEN, desc = "the transition never reported")
  @Outcome(expect = FORBIDDEN, desc = "not shedding with the mean over the target")
  @State
  public static class TwoCrossTheTarget {
    private final AtomicInteger started = new AtomicInteger();
    private final LoadShedder shedder =
        LoadShedder.of(
            "jcstress",
            LoadShedderConfig.builder()
                .measure(LoadShedderConfig.Measure.QUEUEING_DELAY)
                .target(Duration.ofMillis(100))
                .minimumSamples(2)
                .ticker(new ManualTicker())
                .build());

    public TwoCrossTheTarget() {
      shedder.release(shedder.tryAcquire(0));
      shedder.addListener(
          new LoadShedderListener() {
            @Override
            public void onSheddingStarted(long measuredNanos, long targetNanos) {
              started.incrementAndGet();
            }
          });
    }

    @Actor
    public void first() {
      shedder.release(shedder.tryAcquire(Duration.ofSeconds(1).toNanos()));
    }

    @Actor
    public void second() {
      shedder.release(shedder.tryAcquire(Duration.ofSeconds(1).toNanos()));
    }

    @Arbiter
    public void verdict(II_Result r) {
      r.r1 = started.get();
      r.r2 = shedder.stats().shedding() ? 1 : 0;
    }
  }
}
