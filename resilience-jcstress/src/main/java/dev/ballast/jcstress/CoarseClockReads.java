package dev.ballast.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import dev.ballast.Ticker;
import dev.ballast.internal.CoarseClock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * {@link CoarseClock}: the cached reading a timer refreshes. A timer here is a stand-in that keeps
 * the task it was given, run by an actor, so the refresh races the readers.
 */
public final class CoarseClockReads {

  private CoarseClockReads() {}

  /** A scheduler that keeps what it is given and counts it; an actor runs the task. */
  static final class KeptTimer implements Scheduler {
    final ManualTicker ticker = new ManualTicker();
    final AtomicReference<Runnable> task = new AtomicReference<>();
    final AtomicInteger scheduled = new AtomicInteger();

    @Override
    public Ticker ticker() {
      return ticker;
    }

    @Override
    public Cancellable schedule(Runnable r, long delayNanos) {
      scheduled.incrementAndGet();
      task.set(r);
      return () -> false;
    }

    @Override
    public void sleep(long delayNanos) {
      ticker.advance(delayNanos);
    }

    @Override
    public void close() {}

    void runKept() {
      Runnable r = task.getAndSet(null);
      if (r != null) {
        r.run();
      }
    }
  }

  /**
   * A reader reads twice while the timer refreshes from 0 to 10: its readings never go back and are
   * never ahead of the source.
   */
  @JCStressTest
  @Outcome(
      id = {"0, 0", "0, 10", "10, 10"},
      expect = ACCEPTABLE,
      desc = "before, across or after the refresh")
  @Outcome(expect = FORBIDDEN, desc = "a reading went back, or was not one the source gave")
  @State
  public static class ReadsRacingARefresh {
    private final KeptTimer timer = new KeptTimer();
    private final Ticker clock = CoarseClock.of(timer.ticker, timer, 1);

    public ReadsRacingARefresh() {
      long unused = clock.read(); // starts the timer at 0
      timer.ticker.advance(10);
    }

    @Actor
    public void reader(JJ_Result r) {
      r.r1 = clock.read();
      r.r2 = clock.read();
    }

    @Actor
    public void refresh() {
      timer.runKept();
    }
  }

  /**
   * Two readers find the clock stopped and restart it at once: one timer task is scheduled, not
   * two, and both read the source.
   */
  @JCStressTest
  @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "one task scheduled, both read the source")
  @Outcome(expect = FORBIDDEN, desc = "two tasks scheduled, or a stale reading")
  @State
  public static class TwoRestartAtOnce {
    private final KeptTimer timer = new KeptTimer();
    private final Ticker clock = CoarseClock.of(timer.ticker, timer, 1);
    private final AtomicInteger exact = new AtomicInteger();

    public TwoRestartAtOnce() {
      timer.ticker.advance(5);
    }

    @Actor
    public void first() {
      if (clock.read() == 5) {
        exact.incrementAndGet();
      }
    }

    @Actor
    public void second() {
      if (clock.read() == 5) {
        exact.incrementAndGet();
      }
    }

    @Arbiter
    public void scheduled(II_Result r) {
      r.r1 = timer.scheduled.get();
      r.r2 = exact.get();
    }
  }
}
