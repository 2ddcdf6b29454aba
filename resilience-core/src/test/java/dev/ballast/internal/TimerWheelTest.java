package dev.ballast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import dev.ballast.TestTicker;
import dev.ballast.Ticker;
import dev.ballast.testlog.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** The wheel's tick logic in virtual time: a manual wheel, driven by advanceTo on this thread. */
final class TimerWheelTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  private final TestTicker ticker = new TestTicker();
  private final TimerWheel wheel = TimerWheel.manual(ticker, MS, 8);
  private final List<String> ran = new CopyOnWriteArrayList<>();

  @BeforeEach
  void clearLog() {
    LogCapture.clear();
  }

  private void advanceMillis(long millis) {
    ticker.advanceMillis(millis);
    wheel.advanceTo(ticker.read());
  }

  private Cancellable schedule(String label, long millis) {
    return wheel.schedule(() -> ran.add(label), millis * MS);
  }

  @Test
  void runsTasksInTheOrderOfTheirDeadlines() {
    schedule("c", 30);
    schedule("a", 10);
    schedule("b", 20);
    schedule("a2", 10);

    advanceMillis(35);

    assertThat(ran).containsExactly("a", "a2", "b", "c");
  }

  @Test
  void runsNoTaskBeforeItsDelay() {
    schedule("a", 10);
    ticker.advanceNanos(10 * MS - 1);
    wheel.advanceTo(ticker.read());
    assertThat(ran).isEmpty();

    ticker.advanceNanos(1);
    wheel.advanceTo(ticker.read());
    assertThat(ran).containsExactly("a");
  }

  @Test
  void roundsADelayUpToTheNextTick() {
    ticker.advanceNanos(MS / 2);
    schedule("a", 3); // due 3.5 ms after the wheel's origin: runs at the 4 ms tick

    advanceMillis(3);
    assertThat(ran).isEmpty();

    advanceMillis(1);
    assertThat(ran).containsExactly("a");
  }

  @Test
  void runsAZeroDelayOnTheNextTick() {
    schedule("now", 0);
    wheel.advanceTo(ticker.read());
    assertThat(ran).isEmpty();

    advanceMillis(1);
    assertThat(ran).containsExactly("now");
  }

  @Test
  void waitsWholeRevolutionsForALongDelay() {
    // 8 buckets of 1 ms: a 20 ms delay sits in bucket 4, visited at 4 and 12 ms before its turn.
    schedule("long", 20);
    schedule("short", 4);

    advanceMillis(4);
    assertThat(ran).containsExactly("short");
    advanceMillis(8);
    assertThat(ran).containsExactly("short");
    advanceMillis(7);
    assertThat(ran).containsExactly("short");
    assertThat(wheel.pendingCount()).isEqualTo(1);

    advanceMillis(1);
    assertThat(ran).containsExactly("short", "long");
    assertThat(wheel.pendingCount()).isZero();
  }

  @Test
  void runsTasksSubmittedWhileNothingWasPendingInDeadlineOrder() {
    // Both come due during one advance of the driver, which had nothing in its buckets.
    schedule("b", 5);
    schedule("a", 2);

    advanceMillis(6);

    assertThat(ran).containsExactly("a", "b");
  }

  @Test
  void runsEveryTaskThatCameDueDuringOneAdvanceOfSeveralTicks() {
    schedule("a", 2);
    schedule("b", 5);
    advanceMillis(1);
    assertThat(wheel.pendingCount()).isEqualTo(2);

    advanceMillis(5);

    assertThat(ran).containsExactly("a", "b");
    assertThat(wheel.pendingCount()).isZero();
  }

  @Test
  void keepsDeadlineOrderWhenCatchingUpMoreThanARevolution() {
    // Buckets 1, 3 and 2 of 8: one pass over the buckets would run them as 17, 10, 3.
    schedule("17", 17);
    schedule("3", 3);
    schedule("10", 10);
    Cancellable cancelled = schedule("cancelled", 12);
    schedule("later", 40);
    cancelled.cancel();

    advanceMillis(20);

    assertThat(ran).containsExactly("3", "10", "17");
    assertThat(wheel.pendingCount()).isEqualTo(1);
    advanceMillis(20);
    assertThat(ran).containsExactly("3", "10", "17", "later");
  }

  @Test
  void runsOverdueTasksOnTheFirstTickThatSeesThem() {
    schedule("a", 2);
    schedule("b", 5);

    advanceMillis(50);

    assertThat(ran).containsExactly("a", "b");
  }

  @Test
  void skipsIdleTicksAndStillTimesTasksFromWhenTheyWereScheduled() {
    advanceMillis(TimeUnit.HOURS.toMillis(24)); // nothing pending: no day of ticks to replay
    ticker.advanceMillis(3); // the driver has not ticked since
    schedule("a", 5); // due 5 ms from now, whatever the driver's last tick

    advanceMillis(4);
    assertThat(ran).isEmpty();
    advanceMillis(1);
    assertThat(ran).containsExactly("a");
  }

  @Test
  void neverRunsATaskWithTheLongestDelay() {
    wheel.schedule(() -> ran.add("never"), Long.MAX_VALUE);
    advanceMillis(TimeUnit.DAYS.toMillis(365));

    assertThat(ran).isEmpty();
    assertThat(wheel.pendingCount()).isEqualTo(1);
  }

  @Test
  void neverRunsACancelledTask() {
    Cancellable a = schedule("a", 10);
    schedule("b", 10);
    advanceMillis(5);

    assertThat(a.cancel()).isTrue();
    advanceMillis(10);

    assertThat(ran).containsExactly("b");
  }

  @Test
  void neverRunsATaskCancelledBeforeTheWheelSawIt() {
    Cancellable a = schedule("a", 1);

    assertThat(a.cancel()).isTrue();
    advanceMillis(5);

    assertThat(ran).isEmpty();
    assertThat(wheel.pendingCount()).isZero();
    assertThat(wheel.drained()).isTrue();
  }

  @Test
  void aCancelBeforeTheWheelTookTheTaskHandsNothingBackAndAnotherAfterItDoes() {
    Cancellable early = schedule("early", 5);
    Cancellable placed = schedule("placed", 5);
    advanceMillis(1);
    Cancellable fresh = schedule("fresh", 5);

    assertThat(fresh.cancel()).isTrue();
    assertThat(wheel.retiredWaiting()).as("dropped when the wheel takes it").isFalse();
    assertThat(placed.cancel()).isTrue();
    assertThat(wheel.retiredWaiting()).as("in a bucket: handed back for unlinking").isTrue();
    assertThat(wheel.pendingCount()).isEqualTo(2);
    advanceMillis(1);

    assertThat(wheel.pendingCount()).as("only early is left").isOne();
    assertThat(wheel.drained()).isTrue();
    assertThat(early.cancel()).isTrue();
    advanceMillis(10);
    assertThat(ran).isEmpty();
    assertThat(wheel.pendingCount()).isZero();
  }

  @Test
  void scheduleAtRunsATaskAtItsDeadlineOnTheTickerAndAPastOneOnTheNextTick() {
    advanceMillis(3);
    wheel.scheduleAt(() -> ran.add("at 8"), ticker.read() + 5 * MS);
    wheel.scheduleAt(() -> ran.add("past"), ticker.read() - 2 * MS);
    Cancellable cancelled = wheel.scheduleAt(() -> ran.add("cancelled"), ticker.read() + MS);

    assertThat(cancelled.cancel()).isTrue();
    advanceMillis(1);
    assertThat(ran).containsExactly("past");
    advanceMillis(3);
    assertThat(ran).containsExactly("past");
    advanceMillis(1);
    assertThat(ran).containsExactly("past", "at 8");
    assertThatNullPointerException()
        .isThrownBy(() -> wheel.scheduleAt(nullTask(), 0L))
        .withMessage("task must not be null");
  }

  @Test
  void cancelIsIdempotentAndTellsWhetherItStoppedTheTask() {
    Cancellable a = schedule("a", 10);
    Cancellable b = schedule("b", 10);

    assertThat(a.cancel()).isTrue();
    assertThat(a.cancel()).isFalse();
    advanceMillis(10);
    assertThat(ran).containsExactly("b");
    assertThat(b.cancel()).as("already ran").isFalse();
    assertThat(b.cancel()).isFalse();
  }

  @Test
  void cancelReturnsFalseWhileTheTaskRuns() {
    AtomicInteger cancelResult = new AtomicInteger(-1);
    Cancellable[] self = new Cancellable[1];
    self[0] = wheel.schedule(() -> cancelResult.set(self[0].cancel() ? 1 : 0), MS);

    advanceMillis(1);

    assertThat(cancelResult).hasValue(0);
  }

  @Test
  void reclaimsCancelledTasksWithinATick() {
    List<Cancellable> handles = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      handles.add(wheel.schedule(() -> ran.add("x"), TimeUnit.HOURS.toNanos(1) + i));
    }
    advanceMillis(1);
    assertThat(wheel.pendingCount()).isEqualTo(1_000);

    handles.forEach(Cancellable::cancel);
    assertThat(wheel.pendingCount()).as("unlinked by the next tick").isEqualTo(1_000);
    assertThat(wheel.drained()).as("handed to the driver, not yet taken").isFalse();
    advanceMillis(1);

    assertThat(wheel.pendingCount()).isZero();
    assertThat(wheel.drained()).isTrue();
    assertThat(ran).isEmpty();
  }

  @Test
  void aCancelBeforeAJumpOfMoreThanARevolutionLeavesNothingBehind() {
    Cancellable dropped = schedule("dropped", 3);
    schedule("later", 40);
    advanceMillis(1);
    dropped.cancel();

    advanceMillis(20);

    assertThat(ran).isEmpty();
    assertThat(wheel.pendingCount()).isEqualTo(1);
    assertThat(wheel.drained()).as("the cancellation was taken in the same pass").isTrue();
  }

  @Test
  void aLaterRoundTaskCancelledByATaskOfItsOwnBucketIsUnlinkedInThatTick() {
    // 8 buckets of 1 ms: 1 ms and 9 ms share bucket 1, the first task ahead of the second.
    Cancellable[] later = new Cancellable[1];
    wheel.schedule(() -> ran.add(later[0].cancel() ? "cancelled later" : "too late"), MS);
    later[0] = schedule("later", 9);

    advanceMillis(1);

    assertThat(ran).containsExactly("cancelled later");
    assertThat(wheel.pendingCount()).as("not left for the next tick's drain").isZero();
    advanceMillis(10);
    assertThat(ran).containsExactly("cancelled later");
  }

  @Test
  void aHandleTellsWhetherItsTaskIsPendingCancelledOrExpired() {
    Cancellable cancelled = schedule("cancelled", 1);
    Cancellable expired = schedule("expired", 1);
    assertThat(cancelled).hasToString("TimerWheel.Node[pending]");

    cancelled.cancel();
    advanceMillis(1);

    assertThat(cancelled).hasToString("TimerWheel.Node[cancelled]");
    assertThat(expired).hasToString("TimerWheel.Node[expired]");
  }

  @Test
  void aThrowingTaskIsLoggedAndLaterTasksStillRun() {
    schedule("before", 1);
    wheel.schedule(
        () -> {
          throw new IllegalStateException("boom");
        },
        MS);
    schedule("same tick", 1);
    schedule("later", 2);

    advanceMillis(2);

    assertThat(ran).containsExactly("before", "same tick", "later");
    assertThat(LogCapture.lines(TimerWheel.class.getName()))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.WARN);
              assertThat(l.message()).isEqualTo("name=manual scheduled task threw; ignored");
              assertThat(l.error()).hasMessage("boom");
            });
  }

  @Test
  void aTaskThatAlwaysThrowsLogsOneLinePerIntervalWithTheCountSuppressed() {
    for (int i = 0; i < 1_000; i++) {
      wheel.schedule(
          () -> {
            throw new IllegalStateException("boom");
          },
          MS);
    }
    advanceMillis(1);
    assertThat(LogCapture.lines(TimerWheel.class.getName())).hasSize(1);

    ticker.advance(Duration.ofSeconds(60));
    wheel.schedule(
        () -> {
          throw new IllegalStateException("boom");
        },
        MS);
    advanceMillis(1);
    assertThat(LogCapture.lines(TimerWheel.class.getName()))
        .extracting(LogCapture.Line::message)
        .containsExactly(
            "name=manual scheduled task threw; ignored",
            "name=manual scheduled task threw; ignored"
                + " (999 more like this suppressed since the last such line)");
  }

  @Test
  void aTaskScheduledByATaskRunsOnALaterTick() {
    wheel.schedule(() -> schedule("child", 0), MS);

    advanceMillis(1);
    assertThat(ran).isEmpty();
    advanceMillis(1);
    assertThat(ran).containsExactly("child");
  }

  @Test
  void aTaskScheduledByATaskRunsWithinTheSameAdvanceWhenItComesDueInIt() {
    advanceMillis(20); // far from the origin: the ticks below are not the wheel's first
    wheel.schedule(() -> schedule("child", 0), MS); // due at once: the clock already reads 23 ms

    advanceMillis(3);

    assertThat(ran).containsExactly("child");
  }

  @Test
  void withASingleBucketEveryTaskWaitsForItsOwnTick() {
    TimerWheel one = TimerWheel.manual(ticker, MS, 1);
    one.schedule(() -> ran.add("3"), 3 * MS);
    one.schedule(() -> ran.add("1"), MS);

    ticker.advanceMillis(1);
    one.advanceTo(ticker.read());
    assertThat(ran).containsExactly("1");
    ticker.advanceMillis(1);
    one.advanceTo(ticker.read());
    assertThat(ran).containsExactly("1");
    ticker.advanceMillis(1);
    one.advanceTo(ticker.read());
    assertThat(ran).containsExactly("1", "3");
  }

  @Test
  void closeDropsPendingTasksAndRefusesNewOnes() {
    Cancellable a = schedule("a", 5);
    advanceMillis(1);
    schedule("b", 5);

    wheel.close();
    wheel.close();
    advanceMillis(10);

    assertThat(ran).isEmpty();
    assertThat(wheel.pendingCount()).isZero();
    assertThat(wheel.drained()).isTrue();
    assertThat(a.cancel()).as("it did stop the task").isTrue();
    assertThatIllegalStateException()
        .isThrownBy(() -> schedule("c", 1))
        .withMessage("timer wheel manual is closed");
  }

  @Test
  void closeDropsPendingTasksAtOnceAndUnlinksEveryNode() {
    Cancellable a = schedule("a", 5);
    Cancellable b = schedule("b", 5);
    advanceMillis(1);
    assertThat(wheel.pendingCount()).isEqualTo(2);

    wheel.close();

    assertThat(wheel.pendingCount()).as("dropped by close itself, not by a later tick").isZero();
    for (Cancellable handle : List.of(a, b)) {
      TimerNode node = (TimerNode) handle;
      assertThat(node.prev).as("a held handle retains nothing of its bucket").isNull();
      assertThat(node.next).isNull();
    }
  }

  @Test
  void aTaskThatClosesTheWheelStopsTheRestOfItsTick() {
    schedule("first", 1);
    wheel.schedule(wheel::close, MS);
    schedule("dropped", 1);

    advanceMillis(2);

    assertThat(ran).containsExactly("first");
  }

  @Test
  void rejectsBadArguments() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> wheel.schedule(() -> {}, -1))
        .withMessage("delayNanos must be >= 0, was -1");
    assertThatNullPointerException()
        .isThrownBy(() -> wheel.schedule(nullTask(), 1))
        .withMessage("task must not be null");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> wheel.sleep(-1))
        .withMessage("delayNanos must be >= 0, was -1");
  }

  @Test
  void factoryChecksItsArguments() {
    Ticker system = Ticker.system();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Scheduler.timerWheel(" "))
        .withMessage("name must not be blank, was ' '");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Scheduler.timerWheel("t", Duration.ofNanos(99_999), system))
        .withMessage("tick must be >= PT0.0001S, was PT0.000099999S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Scheduler.timerWheel("t", Duration.ofSeconds(2), system))
        .withMessage("tick must be <= PT1S, was PT2S");
    assertThatNullPointerException()
        .isThrownBy(() -> Scheduler.timerWheel("t", Duration.ofMillis(1), nullTicker()))
        .withMessage("ticker must not be null");
  }

  @Test
  void factoryAcceptsTheSmallestAndTheLargestTickAndTheWheelDescribesItself() {
    TestTicker fixed = new TestTicker();
    TimerWheel fine = TimerWheel.of("fine", Duration.ofNanos(100_000), fixed);
    TimerWheel coarse = TimerWheel.of("coarse", Duration.ofSeconds(1), fixed);

    assertThat(fine.name()).isEqualTo("fine");
    assertThat(fine).hasToString("TimerWheel[name=fine, tick=100us, buckets=1024, pending=0]");
    assertThat(coarse)
        .hasToString("TimerWheel[name=coarse, tick=1000000us, buckets=1024, pending=0]");
    fine.close();
    coarse.close();
  }

  @SuppressWarnings("NullAway") // deliberately passes null to check the refusal
  private static Runnable nullTask() {
    return null;
  }

  @SuppressWarnings("NullAway") // deliberately passes null to check the refusal
  private static Ticker nullTicker() {
    return null;
  }
}
