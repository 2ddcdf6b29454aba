package dev.ballast.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import dev.ballast.Ticker;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutConfig;
import dev.ballast.timeout.TimeoutExceededException;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The interrupting timeout's hand-off between the call and its timer ({@link
 * Timeout.Mode#INTERRUPT}): when the deadline races the call's end, the timeout's interrupt never
 * outlives the call. Either the call wins (it returns or throws as it did, and the timer does
 * nothing) or the timer wins (the caller gets a {@link TimeoutExceededException} and its interrupt
 * flag is cleared); an interrupt set after the caller has left would land on its next call,
 * whatever that is.
 *
 * <p>The scheduler does not run the timer: it hands the task to a second actor, which fires it just
 * as the call ends, and its {@link Cancellable} never stops it (the worst case: a cancel that comes
 * too late). Each state reads {@code timed out, flag at return, flag after the timer}: whether the
 * caller got a {@link TimeoutExceededException} (1) or the call's own outcome (0), then the
 * caller's interrupt flag as the call came back, and again once the timer task has finished.
 */
public final class TimeoutInterrupt {

  private TimeoutInterrupt() {}

  /** A timeout whose timer is fired by hand, on another thread, once. */
  static final class Race implements Scheduler {
    private final Timeout timeout =
        Timeout.of(
            "jcstress",
            TimeoutConfig.builder().duration(Duration.ofSeconds(1)).scheduler(this).build());
    private volatile @Nullable Runnable timer;
    private volatile boolean fired;

    @Override
    public Ticker ticker() {
      return () -> 0L; // time stands still: only the timer actor decides the deadline
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
      timer = task;
      return () -> false; // too late to cancel: the timer actor runs it whatever happens
    }

    @Override
    public void sleep(long delayNanos) {
      throw new UnsupportedOperationException("not used by an interrupting timeout");
    }

    @Override
    public void close() {}

    /** The caller's side: the call, then its interrupt flag now and once the timer is done. */
    void call(Supplier<Integer> call, III_Result r) {
      try {
        Integer unused = timeout.get(call);
        r.r1 = 0;
      } catch (TimeoutExceededException e) {
        r.r1 = 1;
      } catch (IllegalStateException e) {
        r.r1 = 0; // the call's own failure, passed through
      }
      r.r2 = Thread.interrupted() ? 1 : 0;
      while (!fired) {
        Thread.onSpinWait();
      }
      r.r3 = Thread.interrupted() ? 1 : 0; // also clears it for the next state's call
    }

    /** The timer's side: fires the call's timer as soon as the call has scheduled it. */
    void fire() {
      Runnable task;
      while ((task = timer) == null) {
        Thread.onSpinWait();
      }
      task.run();
      fired = true;
    }
  }

  /** The deadline races a call that returns a value. */
  @JCStressTest
  @Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "the call won: its value, no interrupt")
  @Outcome(
      id = "1, 0, 0",
      expect = ACCEPTABLE,
      desc = "the timer won: timed out, the interrupt cleared")
  @Outcome(
      id = ".*, 1, .*",
      expect = FORBIDDEN,
      desc = "the caller left the call with the timeout's interrupt still set")
  @Outcome(
      id = ".*, 0, 1",
      expect = FORBIDDEN,
      desc = "the timer interrupted the caller after the call had ended: its next call gets it")
  @Outcome(expect = FORBIDDEN, desc = "an outcome the timeout cannot have")
  @State
  public static class DeadlineAsCallReturns {
    private final Race race = new Race();

    @Actor
    public void caller(III_Result r) {
      race.call(() -> 42, r);
    }

    @Actor
    public void timer() {
      race.fire();
    }
  }

  /** The deadline races a call that throws. */
  @JCStressTest
  @Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "the call won: its exception, no interrupt")
  @Outcome(
      id = "1, 0, 0",
      expect = ACCEPTABLE,
      desc = "the timer won: timed out, the interrupt cleared")
  @Outcome(
      id = ".*, 1, .*",
      expect = FORBIDDEN,
      desc = "the caller left the call with the timeout's interrupt still set")
  @Outcome(
      id = ".*, 0, 1",
      expect = FORBIDDEN,
      desc = "the timer interrupted the caller after the call had ended: its next call gets it")
  @Outcome(expect = FORBIDDEN, desc = "an outcome the timeout cannot have")
  @State
  public static class DeadlineAsCallThrows {
    private final Race race = new Race();

    @Actor
    public void caller(III_Result r) {
      race.call(
          () -> {
            throw new IllegalStateException("the call threw");
          },
          r);
    }

    @Actor
    public void timer() {
      race.fire();
    }
  }
}
