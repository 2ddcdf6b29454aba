package dev.ballast.circuitbreaker;

import static dev.ballast.circuitbreaker.Breakers.config;
import static dev.ballast.circuitbreaker.Breakers.fail;
import static dev.ballast.circuitbreaker.Breakers.slow;
import static dev.ballast.circuitbreaker.Breakers.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.TestTicker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class TripRulesTest {
  private final TestTicker ticker = new TestTicker();

  @Test
  void countWindowTripsWhenRateReachesThresholdExactly() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "cw",
            config(ticker).countWindow(10).minimumCalls(10).failureRateThreshold(0.5).build());
    succeed(b, 5);
    fail(b, 4);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    fail(b, 1); // 5 of 10 = 0.5 >= 0.5
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void rateIsNotRoundedToWholePercents() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "exact",
            config(ticker)
                .countWindow(1000)
                .minimumCalls(1000)
                .failureRateThreshold(0.333)
                .build());
    succeed(b, 668);
    fail(b, 332); // 0.332 < 0.333: a breaker that rounded to whole percents would trip here
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(b.stats().windowFailureRate()).isEqualTo(0.332);
    fail(b, 1); // window slides: 333 of the last 1000
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void successThatReachesMinimumCallsEvaluatesTheCountWindow() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "reach",
            config(ticker).countWindow(10).minimumCalls(10).failureRateThreshold(0.5).build());
    succeed(b, 2);
    fail(b, 6); // 6 of 8: above the threshold, below the minimum
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    succeed(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    succeed(b, 1); // the tenth call, a success: 6 of 10 = 0.6 >= 0.5
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(b.stats().lastTrip())
        .hasValueSatisfying(
            t -> {
              assertThat(t.windowCalls()).isEqualTo(10);
              assertThat(t.windowFailures()).isEqualTo(6);
            });
  }

  @Test
  void successThatReachesMinimumCallsBelowTheThresholdLeavesItClosed() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "below",
            config(ticker).countWindow(10).minimumCalls(10).failureRateThreshold(0.5).build());
    fail(b, 4);
    succeed(b, 6); // 4 of 10
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    succeed(b, 100);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  private CircuitBreaker timeWindow(String name) {
    return CircuitBreaker.of(
        name,
        config(ticker)
            .timeWindow(Duration.ofSeconds(10))
            .minimumCalls(5)
            .failureRateThreshold(0.5)
            .build());
  }

  @Test
  void successThatReachesMinimumCallsEvaluatesTheTimeWindow() {
    CircuitBreaker b = timeWindow("twreach");
    fail(b, 3);
    succeed(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    succeed(b, 1); // the fifth call, in the same bucket: 3 of 5
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void theSameTimeWindowHistoryTripsWhereverBucketBoundariesFall() {
    // F F F S S with the last success 0 ms, 400 ms (same bucket), 1 s (next bucket) or 5 s later.
    for (long laterMillis : new long[] {0, 400, 1_000, 5_000}) {
      CircuitBreaker b = timeWindow("boundary" + laterMillis);
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
  void successThatBringsAnAgingTimeWindowBackToItsMinimumEvaluates() {
    CircuitBreaker b = timeWindow("aging");
    succeed(b, 6); // bucket 0
    ticker.advance(Duration.ofSeconds(5));
    fail(b, 3); // 3 of 9
    ticker.advance(Duration.ofMillis(5_500)); // bucket 0 leaves: the window holds 3 failures
    succeed(b, 1); // rolls a bucket: 3 of 4, below the minimum
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    succeed(b, 1); // same bucket, back to the minimum: 3 of 5
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void countWindowNeverTripsBelowMinimumCalls() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "min",
            config(ticker).countWindow(100).minimumCalls(20).failureRateThreshold(0.5).build());
    fail(b, 19);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(b.stats().windowFailureRate()).isEqualTo(1.0);
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void countWindowForgetsFailuresOlderThanTheWindow() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "slide",
            config(ticker).countWindow(10).minimumCalls(10).failureRateThreshold(0.5).build());
    fail(b, 4);
    succeed(b, 6);
    assertThat(b.stats().windowFailures()).isEqualTo(4);
    succeed(b, 4); // the four failures slide out
    assertThat(b.stats().windowFailures()).isZero();
    assertThat(b.stats().windowCalls()).isEqualTo(10);
    fail(b, 4);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void minimumCallsIsCappedByTheCountWindow() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "cap",
            config(ticker).countWindow(5).minimumCalls(50).failureRateThreshold(1.0).build());
    fail(b, 5);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void timeWindowTripsOnRateWithinTheWindow() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "tw",
            config(ticker)
                .timeWindow(Duration.ofSeconds(10))
                .minimumCalls(4)
                .failureRateThreshold(0.5)
                .build());
    succeed(b, 2);
    ticker.advance(Duration.ofSeconds(3));
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    fail(b, 1); // 2 of 4
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void timeWindowForgetsCallsOlderThanTheWindowWhenCallsStopAndRestart() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "gap",
            config(ticker)
                .timeWindow(Duration.ofSeconds(10))
                .minimumCalls(4)
                .failureRateThreshold(0.5)
                .build());
    fail(b, 3);
    assertThat(b.stats().windowCalls()).isEqualTo(3);
    ticker.advance(Duration.ofSeconds(25)); // silence, longer than the window
    assertThat(b.stats().windowCalls()).isZero();
    fail(b, 1); // would be 4 of 4 if the stale failures still counted
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(b.stats().windowCalls()).isEqualTo(1);
  }

  @Test
  void timeWindowNeverTripsBelowMinimumCalls() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "twmin",
            config(ticker)
                .timeWindow(Duration.ofSeconds(1))
                .minimumCalls(5)
                .failureRateThreshold(0.1)
                .build());
    fail(b, 4);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void timeWindowSlidesBucketByBucket() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "buckets",
            config(ticker)
                .timeWindow(Duration.ofSeconds(10))
                .minimumCalls(5)
                .failureRateThreshold(0.6)
                .build());
    fail(b, 1);
    succeed(b, 1);
    ticker.advance(Duration.ofSeconds(5));
    succeed(b, 2); // 1 of 4
    ticker.advance(Duration.ofMillis(5500)); // the first bucket (1 failure, 1 success) leaves
    assertThat(b.stats().windowCalls()).isEqualTo(2);
    assertThat(b.stats().windowFailures()).isZero();
  }

  @Test
  void aCallAtTheInstantABucketEndsCountsInTheNextBucket() {
    CircuitBreaker b = timeWindow("edge"); // ten buckets of 1 s from now
    ticker.advance(Duration.ofSeconds(1)); // the first bucket's end: the second bucket's start
    succeed(b, 1);
    ticker.advance(Duration.ofSeconds(9)); // the first bucket leaves the window, the second stays
    assertThat(b.stats().windowCalls()).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(b.stats().windowCalls()).isZero();
  }

  @Test
  void aTimeWindowSlidesTheSameOnATickerThatReadsNegative() {
    // System.nanoTime() may read negative: only differences of readings mean anything.
    AtomicLong nanos = new AtomicLong(-100_000_000_000L);
    CircuitBreaker b =
        CircuitBreaker.of(
            "negative",
            CircuitBreakerConfig.builder()
                .ticker(nanos::get)
                .timeWindow(Duration.ofSeconds(10))
                .minimumCalls(5)
                .failureRateThreshold(0.5)
                .build());
    succeed(b, 3);
    nanos.addAndGet(5_000_000_000L);
    succeed(b, 1);
    fail(b, 1);
    assertThat(b.stats().windowCalls()).isEqualTo(5);
    nanos.addAndGet(6_000_000_000L); // the first second's three successes leave the window
    CircuitBreakerStats s = b.stats();
    assertThat(s.windowCalls()).isEqualTo(2);
    assertThat(s.windowFailures()).isEqualTo(1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void aTimeWindowsStatsCountItsFailuresAndSlowCalls() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "twstats",
            config(ticker)
                .timeWindow(Duration.ofSeconds(10))
                .slowCallDuration(Duration.ofMillis(10))
                .build());
    succeed(b, 3);
    fail(b, 2);
    ticker.advance(Duration.ofSeconds(2)); // another bucket
    slow(b, ticker, Duration.ofMillis(20));
    CircuitBreakerStats s = b.stats();
    assertThat(s.windowCalls()).isEqualTo(6);
    assertThat(s.windowFailures()).isEqualTo(2);
    assertThat(s.windowSlowCalls()).isEqualTo(1);
    assertThat(s.windowSuccesses()).isEqualTo(4);
  }

  @Test
  void consecutiveFailuresTripAndASuccessEndsTheStreak() {
    CircuitBreaker b = CircuitBreaker.of("streak", config(ticker).consecutiveFailures(3).build());
    fail(b, 2);
    succeed(b, 1);
    fail(b, 2);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(b.stats().windowFailures()).isEqualTo(2);
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void leakyBucketTripsOnABurstButNotOnATrickle() {
    CircuitBreaker b =
        CircuitBreaker.of("leaky", config(ticker).leakyBucket(3, Duration.ofSeconds(1)).build());
    for (int i = 0; i < 20; i++) { // one fault a second leaks away as fast as it comes
      fail(b, 1);
      ticker.advance(Duration.ofSeconds(1));
    }
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    fail(b, 3);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(b.stats().windowFailures()).isEqualTo(3);
    fail(b, 1); // the fourth fault overflows a bucket of three
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void slowCallRateTrips() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "slow",
            config(ticker)
                .countWindow(4)
                .minimumCalls(4)
                .slowCallDuration(Duration.ofMillis(100))
                .slowCallRateThreshold(0.5)
                .build());
    succeed(b, 2);
    slow(b, ticker, Duration.ofMillis(100)); // exactly the threshold: not slow
    assertThat(b.stats().windowSlowCalls()).isZero();
    slow(b, ticker, Duration.ofMillis(101));
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(b.stats().windowSlowCallRate()).isEqualTo(0.25);
    slow(b, ticker, Duration.ofMillis(500));
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void slowSuccessCountsAsSlowAndAsSuccess() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "slowok",
            config(ticker).countWindow(10).slowCallDuration(Duration.ofMillis(10)).build());
    slow(b, ticker, Duration.ofMillis(20));
    CircuitBreakerStats s = b.stats();
    assertThat(s.windowCalls()).isEqualTo(1);
    assertThat(s.windowSlowCalls()).isEqualTo(1);
    assertThat(s.windowFailures()).isZero();
  }

  @Test
  void slowCallCountsAsAFaultForTheLeakyBucket() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "slowleak",
            config(ticker)
                .leakyBucket(1, Duration.ofMinutes(1))
                .slowCallDuration(Duration.ofMillis(10))
                .build());
    slow(b, ticker, Duration.ofMillis(20));
    slow(b, ticker, Duration.ofMillis(20));
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void timeWindowTripsOnSlowRate() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "twslow",
            config(ticker)
                .timeWindow(Duration.ofSeconds(10))
                .minimumCalls(2)
                .slowCallDuration(Duration.ofMillis(10))
                .slowCallRateThreshold(1.0)
                .build());
    slow(b, ticker, Duration.ofMillis(20));
    slow(b, ticker, Duration.ofMillis(20));
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }
}
