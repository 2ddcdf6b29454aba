package dev.ballast.circuitbreaker;

import static dev.ballast.circuitbreaker.Breakers.config;
import static dev.ballast.circuitbreaker.Breakers.fail;
import static dev.ballast.circuitbreaker.Breakers.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Gate;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.testlog.ReconfigurationLog;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

final class ReconfigurationTest {
  private final TestTicker ticker = new TestTicker();

  @RegisterExtension final ReconfigurationLog log = new ReconfigurationLog(CircuitBreaker.class);

  @Test
  void aNewThresholdAppliesToTheCountsAlreadyInTheWindow() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "kept",
            config(ticker).countWindow(10).minimumCalls(10).failureRateThreshold(0.5).build());
    succeed(b, 6);
    fail(b, 3);
    b.reconfigure(b.config().toBuilder().failureRateThreshold(0.3).build());
    assertThat(b.stats().windowCalls()).isEqualTo(9);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    fail(b, 1); // 4 of 10: under the old 0.5, over the new 0.3
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void theWindowRestartsEmptyWhenItsSizeChanges() {
    CircuitBreaker b = CircuitBreaker.of("resized", config(ticker).countWindow(10).build());
    succeed(b, 5);
    fail(b, 2);
    b.reconfigure(b.config().toBuilder().countWindow(20).build());
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(b.stats().windowCalls()).isZero();
    succeed(b, 25);
    assertThat(b.stats().windowCalls()).isEqualTo(20);
  }

  @Test
  void theWindowRestartsWhenTheTripRuleChanges() {
    CircuitBreaker b = CircuitBreaker.of("rule", config(ticker).countWindow(10).build());
    fail(b, 3);
    b.reconfigure(b.config().toBuilder().consecutiveFailures(2).build());
    assertThat(b.stats().windowCalls()).isZero();
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void aStreakIsKeptAndMeasuredAgainstTheNewCount() {
    CircuitBreaker b = CircuitBreaker.of("streak", config(ticker).consecutiveFailures(5).build());
    fail(b, 3);
    b.reconfigure(b.config().toBuilder().consecutiveFailures(4).build());
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void aRaisedMinimumIsReachedBySuccessesAsWellAsFailures() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "minimum",
            config(ticker).countWindow(10).minimumCalls(2).failureRateThreshold(0.5).build());
    succeed(b, 2); // the window reached its minimum
    b.reconfigure(b.config().toBuilder().minimumCalls(6).build());
    fail(b, 3); // 3 of 5: below the new minimum
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    succeed(b, 1); // 3 of 6: at the new minimum, at the threshold
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void aTimeWindowKeepsItsBucketsWhenItsDurationStays() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "timed",
            config(ticker)
                .timeWindow(Duration.ofSeconds(10))
                .minimumCalls(4)
                .failureRateThreshold(0.9)
                .build());
    succeed(b, 2);
    fail(b, 2);
    b.reconfigure(b.config().toBuilder().failureRateThreshold(0.6).build());
    assertThat(b.stats().windowCalls()).isEqualTo(4);
    fail(b, 1); // 3 of 5
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    b.reset();
    succeed(b, 3);
    b.reconfigure(b.config().toBuilder().timeWindow(Duration.ofSeconds(20)).build());
    assertThat(b.stats().windowCalls()).isZero();
  }

  @Test
  void anOpenBreakersWaitIsRecomputedFromItsStart() {
    CircuitBreaker b = CircuitBreaker.of("open", config(ticker).consecutiveFailures(1).build());
    fail(b, 1);
    ticker.advance(Duration.ofSeconds(2));
    b.reconfigure(b.config().toBuilder().waitInOpen(Duration.ofSeconds(3)).build());
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(b.stats().timeUntilProbe()).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.tryAcquire()).isEqualTo(Gate.REFUSED);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(b.tryAcquire()).isNotEqualTo(Gate.REFUSED);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
  }

  @Test
  void aLongerWaitKeepsAnOpenBreakerOpenPastItsOldEnd() {
    TestScheduler scheduler = new TestScheduler(ticker);
    CircuitBreaker b =
        CircuitBreaker.of(
            "longer",
            CircuitBreakerConfig.builder()
                .scheduler(scheduler)
                .waitInOpen(Duration.ofSeconds(10))
                .consecutiveFailures(1)
                .build());
    fail(b, 1);
    b.reconfigure(b.config().toBuilder().waitInOpen(Duration.ofSeconds(30)).build());
    ticker.advance(Duration.ofSeconds(10));
    scheduler.runDue();
    assertThat(b.tryAcquire()).isEqualTo(Gate.REFUSED);
    ticker.advance(Duration.ofSeconds(20));
    scheduler.runDue();
    assertThat(b.tryAcquire()).isNotEqualTo(Gate.REFUSED);
  }

  @Test
  void aHalfOpenPeriodKeepsItsProbesAndClosesOnTheNewSuccessCount() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "probing", config(ticker).consecutiveFailures(1).halfOpenProbes(3).build());
    fail(b, 1);
    ticker.advance(Duration.ofSeconds(10));
    long p1 = b.acquire();
    long p2 = b.acquire();
    long p3 = b.acquire();
    b.onResult(p1, "ok");
    b.reconfigure(b.config().toBuilder().halfOpenProbes(2).build());
    assertThat(b.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    b.onResult(p2, "ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    b.onResult(p3, "ok"); // began in the period that closed: counted as a closed call
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void aForcedOpenBreakerStaysForcedOpen() {
    CircuitBreaker b = CircuitBreaker.of("forced", config(ticker).build());
    b.forceOpen();
    b.reconfigure(b.config().toBuilder().waitInOpen(Duration.ofSeconds(1)).build());
    assertThat(b.state()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
  }

  @Test
  void theNameStaysAndConfigReturnsTheNewOne() {
    CircuitBreaker b = CircuitBreaker.of("named", config(ticker).build());
    CircuitBreakerConfig next = b.config().toBuilder().failureRateThreshold(0.25).build();
    b.reconfigure(next);
    assertThat(b.name()).isEqualTo("named");
    assertThat(b.config()).isSameAs(next);
  }

  @Test
  void anotherTickerIsRefusedNamingBothAndNothingChanges() {
    CircuitBreaker b = CircuitBreaker.of("ticking", config(ticker).consecutiveFailures(2).build());
    CircuitBreakerConfig before = b.config();
    fail(b, 1);
    TestTicker other = new TestTicker();
    assertThatThrownBy(
            () -> b.reconfigure(before.toBuilder().ticker(other).consecutiveFailures(1).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("circuit breaker 'ticking'")
        .hasMessageContaining("ticker cannot change at run time")
        .hasMessageContaining("@" + Integer.toHexString(System.identityHashCode(ticker)))
        .hasMessageContaining("@" + Integer.toHexString(System.identityHashCode(other)));
    assertThat(b.config()).isSameAs(before);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(log.lines("ticking")).isEmpty();
  }

  @Test
  void anotherSchedulerIsRefused() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "scheduled",
            CircuitBreakerConfig.builder().scheduler(new TestScheduler(ticker)).build());
    CircuitBreakerConfig other =
        b.config().toBuilder().scheduler(new TestScheduler(ticker)).build();
    assertThatThrownBy(() -> b.reconfigure(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scheduler cannot change at run time");
  }

  @Test
  void oneInfoLineNamesTheChangedSettingsOnlyOldAndNew() {
    CircuitBreaker b =
        CircuitBreaker.of("inventory", config(ticker).failureRateThreshold(0.5).build());
    b.reconfigure(
        b.config().toBuilder()
            .failureRateThreshold(0.3)
            .waitInOpen(Duration.ofSeconds(30))
            .build());
    assertThat(log.lines("inventory"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.INFO);
              assertThat(l.message())
                  .isEqualTo(
                      "name=inventory reconfigured failureRateThreshold=0.5->0.3"
                          + " maxWaitInOpen=PT10S->PT30S waitInOpen=PT10S->PT30S");
            });
  }

  @Test
  void anEqualConfigLogsNothingAndKeepsEverything() {
    CircuitBreaker b = CircuitBreaker.of("same", config(ticker).countWindow(10).build());
    fail(b, 2);
    b.reconfigure(b.config().toBuilder().build());
    assertThat(log.lines("same")).isEmpty();
    assertThat(b.stats().windowFailures()).isEqualTo(2);
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void aNullConfigIsRefusedNamingTheParameter() {
    CircuitBreaker b = CircuitBreaker.of("nulled", config(ticker).build());
    assertThatThrownBy(() -> b.reconfigure(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("config");
  }
}
