package dev.ballast.circuitbreaker;

import static dev.ballast.circuitbreaker.Breakers.config;
import static dev.ballast.circuitbreaker.Breakers.fail;
import static dev.ballast.circuitbreaker.Breakers.slow;
import static dev.ballast.circuitbreaker.Breakers.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.RejectedException;
import dev.ballast.TestTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class StateMachineTest {
  private final TestTicker ticker = new TestTicker();

  private CircuitBreaker tripped(CircuitBreakerConfig.Builder builder) {
    CircuitBreaker b = CircuitBreaker.of("sm", builder.consecutiveFailures(1).build());
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    return b;
  }

  @Test
  void rejectsCallsWhileOpenWithoutCallingAndSaysWhenToRetry() {
    CircuitBreaker b = tripped(config(ticker));
    ticker.advance(Duration.ofSeconds(4));
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> b.call(calls::incrementAndGet))
        .isInstanceOfSatisfying(
            CircuitBreakerOpenException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RejectedException.Reason.DEPENDENCY_FAILURE);
              assertThat(e.state()).isEqualTo(CircuitBreakerState.OPEN);
              assertThat(e.component()).isEqualTo("sm");
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(6));
              assertThat(e.getMessage()).contains("sm").contains("OPEN");
              assertThat(e.getStackTrace()).isEmpty();
            });
    assertThat(calls).hasValue(0);
    assertThat(b.stats().rejections()).isEqualTo(1);
  }

  @Test
  void rejectionsCarryAStackTraceWhenAsked() {
    CircuitBreaker b = tripped(config(ticker).stackTraces(true));
    assertThatThrownBy(b::acquire)
        .isInstanceOfSatisfying(
            CircuitBreakerOpenException.class, e -> assertThat(e.getStackTrace()).isNotEmpty());
  }

  @Test
  void movesToHalfOpenOnTheFirstRequestAfterTheWait() {
    CircuitBreaker b = tripped(config(ticker));
    ticker.advance(Duration.ofMillis(9_999));
    assertThatThrownBy(b::acquire).isInstanceOf(CircuitBreakerOpenException.class);
    ticker.advance(Duration.ofMillis(1));
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN); // no timer: the request moves it
    long permit = b.acquire();
    assertThat(b.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    b.onResult(permit, "ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void halfOpenAdmitsExactlyTheConfiguredProbes() {
    CircuitBreaker b = tripped(config(ticker).halfOpenProbes(3).halfOpenSuccesses(3));
    ticker.advance(Duration.ofSeconds(10));
    long p1 = b.acquire();
    long p2 = b.acquire();
    long p3 = b.acquire();
    assertThatThrownBy(b::acquire)
        .isInstanceOfSatisfying(
            CircuitBreakerOpenException.class,
            e -> assertThat(e.state()).isEqualTo(CircuitBreakerState.HALF_OPEN));
    b.onResult(p1, "ok");
    b.onResult(p2, "ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    assertThatThrownBy(b::acquire).isInstanceOf(CircuitBreakerOpenException.class);
    b.onResult(p3, "ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void closesAfterTheConfiguredSuccessesEvenWithProbesOutstanding() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "late",
            config(ticker).consecutiveFailures(2).halfOpenProbes(3).halfOpenSuccesses(2).build());
    fail(b, 2);
    ticker.advance(Duration.ofSeconds(10));
    long p1 = b.acquire();
    long p2 = b.acquire();
    long p3 = b.acquire();
    b.onResult(p1, "ok");
    b.onResult(p2, "ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    // A probe that completes after the breaker closed is counted by the closed period, like any
    // call that completes in it: one failure, below this rule's streak of two.
    b.onError(p3, new IOException("late"));
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(b.stats().windowFailures()).isEqualTo(1);
  }

  @Test
  void anyProbeFailureReopens() {
    CircuitBreaker b = tripped(config(ticker).halfOpenProbes(2));
    ticker.advance(Duration.ofSeconds(10));
    long p1 = b.acquire();
    long p2 = b.acquire();
    b.onResult(p1, "ok");
    b.onError(p2, new IOException("still down"));
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void aSlowProbeReopensWhenTheSlowRuleIsOn() {
    CircuitBreaker b = tripped(config(ticker).slowCallDuration(Duration.ofMillis(50)));
    ticker.advance(Duration.ofSeconds(10));
    slow(b, ticker, Duration.ofMillis(60));
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void anIgnoredProbeReturnsItsPermit() {
    CircuitBreaker b = tripped(config(ticker));
    ticker.advance(Duration.ofSeconds(10));
    long p1 = b.acquire();
    assertThatThrownBy(b::acquire).isInstanceOf(CircuitBreakerOpenException.class);
    b.release(p1);
    long p2 = b.acquire();
    b.onResult(p2, "ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void aHungProbeCannotKeepTheBreakerHalfOpen() {
    CircuitBreaker b = tripped(config(ticker).probeLease(Duration.ofSeconds(30)));
    ticker.advance(Duration.ofSeconds(10));
    long hung = b.acquire(); // never completes
    assertThat(hung).isNotZero();
    ticker.advance(Duration.ofSeconds(29));
    assertThatThrownBy(b::acquire) // within the lease: refused, still half-open
        .isInstanceOfSatisfying(
            CircuitBreakerOpenException.class,
            e -> assertThat(e.state()).isEqualTo(CircuitBreakerState.HALF_OPEN));
    assertThat(b.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    ticker.advance(Duration.ofSeconds(1));
    assertThatThrownBy(b::acquire).isInstanceOf(CircuitBreakerOpenException.class);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN); // lease expired: reopened
    ticker.advance(Duration.ofSeconds(10));
    long probe = b.acquire();
    b.onResult(probe, "ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void aRequestRightAfterTheProbesWentOutIsRefusedWithoutReopening() {
    CircuitBreaker b = tripped(config(ticker).probeLease(Duration.ofSeconds(5)));
    ticker.advance(Duration.ofSeconds(10));
    long probe = b.acquire();
    assertThatThrownBy(b::acquire)
        .isInstanceOfSatisfying(
            CircuitBreakerOpenException.class,
            e -> assertThat(e.state()).isEqualTo(CircuitBreakerState.HALF_OPEN));
    assertThat(b.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    b.onResult(probe, "ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void anExpiredProbeLeaseCountsAsAnotherTripForTheWaitGrowth() {
    CircuitBreaker b =
        tripped(
            config(ticker)
                .probeLease(Duration.ofSeconds(5))
                .waitGrowth(2.0, Duration.ofSeconds(100)));
    ticker.advance(Duration.ofSeconds(10));
    b.acquire(); // a probe that never completes
    ticker.advance(Duration.ofSeconds(5));
    assertThat(retryAfter(b)).isEqualTo(Duration.ofSeconds(20)); // reopened by the second trip
  }

  @Test
  void aResetByAListenerDuringTheMoveToHalfOpenAdmitsTheCallAsAClosedOne() {
    CircuitBreaker b = tripped(config(ticker));
    ListenerTest.Recorder r = new ListenerTest.Recorder();
    b.addListener(
        new CircuitBreakerListener() {
          @Override
          public void onStateTransition(CircuitBreakerState from, CircuitBreakerState to) {
            if (to == CircuitBreakerState.HALF_OPEN) {
              b.reset(); // an operator's hook that closes instead of probing
            }
          }
        });
    b.addListener(r);
    ticker.advance(Duration.ofSeconds(10));
    long permit = b.acquire();
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    ticker.advance(Duration.ofMillis(5));
    b.onResult(permit, "ok"); // timed from its acquire, as any call while listeners listen
    assertThat(r.events)
        .containsExactlyInAnyOrder("OPEN->HALF_OPEN", "HALF_OPEN->CLOSED", "success 5000000")
        .endsWith("success 5000000");
  }

  @Test
  void aProbeOfAnEarlierPeriodThatCompletesLateIsReportedButNotCounted() {
    // A wait of 1 ns and probes taken at one instant: probe permits run ahead of the clock, so the
    // next period's floor comes from the last probe issued, which is still out.
    CircuitBreaker b = tripped(config(ticker).waitInOpen(Duration.ofNanos(1)).halfOpenProbes(2));
    ListenerTest.Recorder r = new ListenerTest.Recorder();
    b.addListener(r);
    ticker.advanceNanos(1);
    long first = b.acquire();
    long late = b.acquire();
    b.onError(first, new IOException("still down")); // reopens for 1 ns; `late` is still out
    ticker.advanceNanos(1);
    long probe = b.acquire(); // a new half-open period
    r.events.clear();
    b.onResult(late, "ok");
    assertThat(r.events).containsExactly("success 0"); // reported,
    assertThat(b.stats().windowSuccesses()).isZero(); // but not a probe of this period
    long second = b.acquire(); // and it took no slot of this period
    assertThatThrownBy(b::acquire).isInstanceOf(CircuitBreakerOpenException.class);
    b.onResult(probe, "ok");
    b.onResult(second, "ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void aCallThatBeganWhileClosedIsNotAProbe() {
    List<CircuitBreakerState> seen = new ArrayList<>();
    CircuitBreaker b = CircuitBreaker.of("stale", config(ticker).consecutiveFailures(1).build());
    b.addListener(
        new CircuitBreakerListener() {
          @Override
          public void onStateTransition(CircuitBreakerState from, CircuitBreakerState to) {
            seen.add(to);
          }
        });
    long early = b.acquire(); // begins while CLOSED and is still running
    fail(b, 1);
    ticker.advance(Duration.ofSeconds(10));
    long probe = b.acquire();
    b.onResult(early, "ok"); // neither a probe success nor a returned probe permit
    assertThat(b.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    assertThatThrownBy(b::acquire).isInstanceOf(CircuitBreakerOpenException.class);
    b.onResult(probe, "ok");
    assertThat(seen)
        .containsExactly(
            CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN, CircuitBreakerState.CLOSED);
  }

  @Test
  void waitGrowsOnRepeatedTripsUpToTheCap() {
    CircuitBreaker b = tripped(config(ticker).waitGrowth(2.0, Duration.ofSeconds(25)));
    assertThat(retryAfter(b)).isEqualTo(Duration.ofSeconds(10));
    ticker.advance(Duration.ofSeconds(10));
    b.onError(b.acquire(), new IOException()); // second trip: 20 s
    assertThat(retryAfter(b)).isEqualTo(Duration.ofSeconds(20));
    ticker.advance(Duration.ofSeconds(20));
    b.onError(b.acquire(), new IOException()); // third: 40 s, capped at 25 s
    assertThat(retryAfter(b)).isEqualTo(Duration.ofSeconds(25));
    ticker.advance(Duration.ofSeconds(25));
    b.onResult(b.acquire(), "ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    fail(b, 1); // closing resets the growth
    assertThat(retryAfter(b)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void waitsAreExactToTheNanosecondHoweverLong() {
    // Over about 104 days a count of nanoseconds may not survive a trip through a double.
    Duration odd = Duration.ofDays(150).plusNanos(1);
    CircuitBreaker first =
        tripped(config(ticker).waitInOpen(odd).waitGrowth(2.0, Duration.ofDays(365)));
    assertThat(retryAfter(first)).isEqualTo(odd); // the first trip waits waitInOpen itself
    CircuitBreaker flat =
        tripped(config(ticker).waitInOpen(odd).waitGrowth(1.0, Duration.ofDays(365)));
    ticker.advance(odd);
    flat.onError(flat.acquire(), new IOException()); // a second trip, with no growth
    assertThat(retryAfter(flat)).isEqualTo(odd);
    Duration cap = Duration.ofDays(200).plusNanos(1);
    CircuitBreaker capped =
        tripped(config(ticker).waitInOpen(Duration.ofDays(100)).waitGrowth(2.0, cap));
    ticker.advance(Duration.ofDays(100));
    capped.onError(capped.acquire(), new IOException()); // 200 days, grown to the cap
    assertThat(retryAfter(capped)).isEqualTo(cap);
  }

  private static Duration retryAfter(CircuitBreaker b) {
    try {
      b.acquire();
    } catch (CircuitBreakerOpenException e) {
      return e.retryAfter().orElseThrow();
    }
    throw new AssertionError("breaker admitted a call");
  }

  @Test
  void resetClosesFromAnyStateWithCountsCleared() {
    CircuitBreaker b = CircuitBreaker.of("reset", config(ticker).countWindow(10).build());
    fail(b, 3);
    b.reset();
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(b.stats().windowCalls()).isZero();
    b.forceOpen();
    b.reset();
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    CircuitBreaker open = tripped(config(ticker));
    open.reset();
    succeed(open, 1);
    assertThat(open.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void forcedOpenRefusesEverythingUntilReset() {
    CircuitBreaker b = CircuitBreaker.of("forced", config(ticker).build());
    b.forceOpen();
    ticker.advance(Duration.ofDays(1));
    assertThatThrownBy(b::acquire)
        .isInstanceOfSatisfying(
            CircuitBreakerOpenException.class,
            e -> {
              assertThat(e.state()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
              assertThat(e.retryAfter()).isEmpty();
            });
    b.reset();
    succeed(b, 1);
  }

  @Test
  void disabledAdmitsEverythingStillMeasuresAndNeverTrips() {
    CircuitBreaker b =
        CircuitBreaker.of("off", config(ticker).countWindow(10).minimumCalls(1).build());
    b.disable();
    fail(b, 50);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.DISABLED);
    assertThat(b.stats().windowFailures()).isEqualTo(10);
    assertThat(b.stats().windowFailureRate()).isEqualTo(1.0);
    b.reset();
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(b.stats().windowCalls()).isZero();
  }

  @Test
  void rejectionFromAnInnerPolicyIsNotAFailure() {
    CircuitBreaker inner = tripped(config(ticker));
    CircuitBreaker outer =
        CircuitBreaker.of("outer", config(ticker).consecutiveFailures(1).build());
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> outer.call(() -> inner.call(() -> "x")))
          .isInstanceOf(CircuitBreakerOpenException.class);
    }
    assertThat(outer.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(outer.stats().windowCalls()).isZero();
  }
}
