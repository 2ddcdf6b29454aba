package dev.ballast.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ballast.Ticker;
import dev.ballast.internal.TimerWheel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The timer wheel's idle/wake handshake (the "Parking" note of {@link TimerWheel}): a task
 * scheduled while the wheel's thread goes idle is not lost, and no task runs twice.
 *
 * <p>One wheel with a real thread serves every state of the run (a thread per state would be a
 * thread per sample). Each actor schedules a task due at once and waits until it has run: the wheel
 * runs it within a tick (100 µs) or two, and then, finding nothing pending, goes idle. So the
 * actors' next schedule, in the next state, races the thread's way into its idle park: the thread
 * CASes its state to IDLE and then reads the submissions, while {@code schedule} pushes its task
 * and then reads the state; at least one side must see the other. If neither did, the thread would
 * park with the task unseen, and nothing but a later schedule would ever wake it.
 *
 * <p>The wait is bounded ({@link #PATIENCE_NANOS}, ten thousand ticks: far beyond any scheduling
 * delay) so that a lost wake-up ends as an outcome instead of a hang. The arbiter then reads how
 * many times each task ran, after the later states have woken the wheel again (a task that waited
 * past the bound may have run late by then: the actor's own reading records that it was late).
 */
public final class TimerWheelWake {

  /** How long an actor waits for its task: ten thousand ticks. */
  static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** The one wheel of the run: a 100 µs tick, the finest the wheel takes. */
  static final TimerWheel WHEEL =
      TimerWheel.of("jcstress", Duration.ofNanos(100_000), Ticker.system());

  private TimerWheelWake() {}

  /** Waits up to {@link #PATIENCE_NANOS} for the task to run; its run count at the end. */
  static int awaitRun(AtomicInteger runs) {
    long start = System.nanoTime();
    int n;
    while ((n = runs.get()) == 0 && System.nanoTime() - start < PATIENCE_NANOS) {
      // Let the wheel's thread have the core: the run has as many spinning actors as cores.
      LockSupport.parkNanos(10_000);
    }
    return n;
  }

  /**
   * Two threads each schedule a task on the wheel as it goes idle, and wait for it. Reads {@code
   * first seen, second seen, first runs, second runs}: whether each actor saw its task run within
   * the bound (1) or not (0), then how many times each task had run when the arbiter looked.
   */
  @JCStressTest
  @Outcome(
      id = "1, 1, 1, 1",
      expect = ACCEPTABLE,
      desc = "both tasks ran once, each within the bound")
  @Outcome(
      id = {"0, .*", ".*, 0, .*"},
      expect = FORBIDDEN,
      desc = "lost wake-up: a task sat unrun for 1 s (ten thousand ticks) on an idle wheel")
  @Outcome(expect = FORBIDDEN, desc = "a task ran twice")
  @State
  public static class ScheduleAsItIdles {
    private final AtomicInteger firstRuns = new AtomicInteger();
    private final AtomicInteger secondRuns = new AtomicInteger();

    @Actor
    public void first(IIII_Result r) {
      var unused = WHEEL.schedule(firstRuns::incrementAndGet, 0);
      r.r1 = awaitRun(firstRuns) > 0 ? 1 : 0;
    }

    @Actor
    public void second(IIII_Result r) {
      var unused = WHEEL.schedule(secondRuns::incrementAndGet, 0);
      r.r2 = awaitRun(secondRuns) > 0 ? 1 : 0;
    }

    @Arbiter
    public void runs(IIII_Result r) {
      r.r3 = firstRuns.get();
      r.r4 = secondRuns.get();
    }
  }
}
