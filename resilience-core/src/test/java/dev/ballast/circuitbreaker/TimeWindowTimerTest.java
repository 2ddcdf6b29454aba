package dev.ballast.circuitbreaker;

import static dev.ballast.circuitbreaker.Breakers.fail;
import static dev.ballast.circuitbreaker.Breakers.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A time window with a scheduler counts an untimed success without reading the clock, in the bucket
 * its timer last rolled to (TimeWindow's notes, "Rolling by timer"): exact when the timer is on
 * time, as in virtual time; a success in the timer's lag lands one bucket early; faults are always
 * placed exactly.
 */
final class TimeWindowTimerTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);

  private CircuitBreakerConfig.Builder config(Scheduler s) {
    return CircuitBreakerConfig.builder()
        .scheduler(s)
        .timeWindow(Duration.ofSeconds(10)) // ten buckets of 1 s
        .minimumCalls(5)
        .failureRateThreshold(0.5)
        .waitInOpen(Duration.ofSeconds(10));
  }

  /** A scheduler whose tasks run only when the test says: a timer thread that lags. */
  private final class LaggingScheduler implements Scheduler {
    private final List<long[]> dues = new ArrayList<>();
    private final List<Runnable> tasks = new ArrayList<>();

    @Override
    public Ticker ticker() {
      return ticker;
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
      dues.add(new long[] {ticker.read() + delayNanos});
      tasks.add(task);
      return () -> false;
    }

    /** Runs what came due, as a late timer thread would. */
    void catchUp() {
      for (int i = 0; i < tasks.size(); i++) {
        if (dues.get(i)[0] <= ticker.read()) {
          Runnable t = tasks.remove(i);
          dues.remove(i);
          i--;
          t.run();
        }
      }
    }

    @Override
    public void sleep(long delayNanos) {
      ticker.advanceNanos(delayNanos);
    }

    @Override
    public void close() {}
  }

  @Test
  void anUntimedSuccessReadsNoClock() {
    AtomicLong reads = new AtomicLong();
    CircuitBreaker b =
        CircuitBreaker.of(
            "coarse", config(new Breakers.CountingScheduler(scheduler, reads)).build());
    succeed(b, 1);
    reads.set(0);
    succeed(b, 100);
    assertThat(reads.get()).isZero();
    ticker.advance(Duration.ofSeconds(3)); // the timer rolls (and reads the clock once)
    reads.set(0);
    succeed(b, 100);
    assertThat(reads.get()).isZero();
    assertThat(b.stats().windowCalls()).isEqualTo(201);
  }

  @Test
  void onTimeTheTimerPlacesSuccessesInTheirBucket() {
    CircuitBreaker b = CircuitBreaker.of("sliding", config(scheduler).build());
    ticker.advance(Duration.ofSeconds(1)); // the first bucket's end: the second bucket's start
    succeed(b, 2);
    ticker.advance(Duration.ofSeconds(9)); // the first bucket leaves the window, the second stays
    assertThat(b.stats().windowCalls()).isEqualTo(2);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(b.stats().windowCalls()).isZero();
  }

  @Test
  void theSameHistoryTripsWhereverBucketBoundariesFall() {
    for (long laterMillis : new long[] {0, 400, 1_000, 5_000}) {
      CircuitBreaker b = CircuitBreaker.of("boundary" + laterMillis, config(scheduler).build());
      fail(b, 3);
      succeed(b, 1);
      ticker.advanceMillis(laterMillis);
      succeed(b, 1);
      assertThat(b.state())
          .as("last success %d ms later", laterMillis)
          .isEqualTo(CircuitBreakerState.OPEN);
    }
  }

  @Test
  void aSuccessRolledInByTheTimerThatBringsAnAgingWindowBackToItsMinimumEvaluates() {
    CircuitBreaker b = CircuitBreaker.of("aging", config(scheduler).build());
    succeed(b, 6); // bucket 0
    ticker.advance(Duration.ofSeconds(5));
    fail(b, 3); // 3 of 9
    ticker.advance(Duration.ofMillis(5_500)); // bucket 0 leaves: the window holds 3 failures
    succeed(b, 1); // 3 of 4, below the minimum
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    succeed(b, 1); // back to the minimum: 3 of 5
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void aSuccessInTheTimersLagLandsInTheBucketBeforeAndAFaultIsPlacedExactly() {
    LaggingScheduler lagging = new LaggingScheduler();
    CircuitBreaker b = CircuitBreaker.of("lag", config(lagging).build());
    ticker.advance(Duration.ofSeconds(1)); // bucket 1 begins; the timer has not run
    succeed(b, 2); // counted in bucket 0: the trade-off
    ticker.advance(Duration.ofSeconds(9)); // bucket 0 leaves the window
    assertThat(b.stats().windowCalls()).as("left one bucket early").isZero();
    fail(b, 1); // read the clock: placed in bucket 10, which becomes the head
    succeed(b, 1); // follows the fault into bucket 10, timer or no timer
    ticker.advance(Duration.ofSeconds(9));
    assertThat(b.stats().windowCalls()).isEqualTo(2);
    lagging.catchUp(); // the late roll installs the bucket of now and schedules the next
    succeed(b, 1);
    ticker.advance(Duration.ofSeconds(1)); // bucket 10 leaves; bucket 19's success stays
    assertThat(b.stats().windowCalls()).isEqualTo(1);
  }

  @Test
  void theTimerStopsWhenTheClosedPeriodEnds() {
    CircuitBreaker b = CircuitBreaker.of("stops", config(scheduler).build());
    assertThat(scheduler.pending()).isEqualTo(1); // the window's next roll
    fail(b, 5);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(scheduler.pending()).as("only the open wait's timer").isEqualTo(1);
    ticker.advance(Duration.ofSeconds(10));
    succeed(b, 1); // the probe closes it: a new window, rolling again
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(scheduler.pending()).isEqualTo(1);
  }

  @Test
  void aClosedSchedulerLeavesTheWindowReadingTheClock() {
    AtomicLong reads = new AtomicLong();
    TestScheduler closed = new TestScheduler(ticker);
    closed.close();
    CircuitBreaker b =
        CircuitBreaker.of("closed", config(new Breakers.CountingScheduler(closed, reads)).build());
    succeed(b, 1);
    reads.set(0);
    succeed(b, 10);
    assertThat(reads.get()).isEqualTo(10);
    ticker.advance(Duration.ofSeconds(1));
    succeed(b, 1);
    ticker.advance(Duration.ofSeconds(9)); // the first bucket leaves; the last success stays
    assertThat(b.stats().windowCalls()).isEqualTo(1);
  }
}
