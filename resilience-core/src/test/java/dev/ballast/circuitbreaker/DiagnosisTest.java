package dev.ballast.circuitbreaker;

import static dev.ballast.circuitbreaker.Breakers.config;
import static dev.ballast.circuitbreaker.Breakers.fail;
import static dev.ballast.circuitbreaker.Breakers.slow;
import static dev.ballast.circuitbreaker.Breakers.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.TestTicker;
import dev.ballast.testlog.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** What stats, listeners and the log tell an operator about why a breaker is where it is. */
final class DiagnosisTest {
  private final TestTicker ticker = new TestTicker();

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  private CircuitBreaker tripped(String name) {
    CircuitBreaker b =
        CircuitBreaker.of(
            name,
            config(ticker).countWindow(10).minimumCalls(10).failureRateThreshold(0.5).build());
    succeed(b, 4);
    fail(b, 6);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    return b;
  }

  @Test
  void statsKeepTheFiguresThatOpenedTheBreaker() {
    long trippedAt = ticker.read();
    CircuitBreaker b = tripped("why");
    ticker.advance(Duration.ofSeconds(3));
    CircuitBreakerStats s = b.stats();
    assertThat(s.windowCalls()).isZero(); // the window is gone while open
    assertThat(s.lastTrip())
        .hasValueSatisfying(
            t -> {
              assertThat(t.rule()).isEqualTo(CircuitBreakerConfig.TripRule.FAILURE_RATE_OVER_CALLS);
              assertThat(t.windowFailureRate()).isEqualTo(0.6);
              assertThat(t.windowSlowCallRate()).isZero();
              assertThat(t.windowCalls()).isEqualTo(10);
              assertThat(t.windowFailures()).isEqualTo(6);
              assertThat(t.windowSlowCalls()).isZero();
              assertThat(t.tickerNanos()).isEqualTo(trippedAt);
              assertThat(t.age()).isEqualTo(Duration.ofSeconds(3));
            });
    assertThat(s.toString()).contains("lastTrip=Trip{rule=FAILURE_RATE_OVER_CALLS");
  }

  @Test
  void statsKeepTheSlowFiguresOfATripOnTheSlowRate() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "slowtrip",
            config(ticker)
                .countWindow(4)
                .minimumCalls(4)
                .slowCallDuration(Duration.ofMillis(10))
                .slowCallRateThreshold(0.5)
                .build());
    succeed(b, 2);
    slow(b, ticker, Duration.ofMillis(20));
    slow(b, ticker, Duration.ofMillis(20));
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(b.stats().lastTrip())
        .hasValueSatisfying(
            t -> {
              assertThat(t.windowSlowCalls()).isEqualTo(2);
              assertThat(t.windowSlowCallRate()).isEqualTo(0.5);
              assertThat(t.windowFailures()).isZero();
              assertThat(t.windowCalls()).isEqualTo(4);
            });
  }

  @Test
  void theLastTripOutlivesClosingAndReset() {
    CircuitBreaker b = tripped("kept");
    ticker.advance(Duration.ofSeconds(10));
    succeed(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(b.stats().lastTrip())
        .hasValueSatisfying(t -> assertThat(t.windowFailures()).isEqualTo(6));
    b.reset();
    assertThat(b.stats().lastTrip()).isPresent();
    assertThat(CircuitBreaker.ofDefaults("never").stats().lastTrip()).isEmpty();
  }

  @Test
  void aFailedProbeDoesNotReplaceTheLastTrip() {
    CircuitBreaker b = tripped("probe");
    ticker.advance(Duration.ofSeconds(10));
    fail(b, 1); // the probe fails: open again
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(b.stats().lastTrip())
        .hasValueSatisfying(
            t -> {
              assertThat(t.windowCalls()).isEqualTo(10);
              assertThat(t.age()).isEqualTo(Duration.ofSeconds(10));
            });
  }

  @Test
  void statsSayHowLongUntilAProbe() {
    CircuitBreaker b = tripped("wait");
    assertThat(b.stats().timeUntilProbe()).isEqualTo(Duration.ofSeconds(10));
    ticker.advance(Duration.ofMillis(7_500));
    assertThat(b.stats().timeUntilProbe()).isEqualTo(Duration.ofMillis(2_500));
    ticker.advance(Duration.ofSeconds(5)); // the wait is over; still OPEN until a request comes
    assertThat(b.stats().state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(b.stats().timeUntilProbe()).isZero();
    b.forceOpen();
    assertThat(b.stats().timeUntilProbe()).isZero();
  }

  @Test
  void statsCountTheWindowsSuccessesAndTheProbesThatSucceeded() {
    CircuitBreaker b = CircuitBreaker.of("ok", config(ticker).countWindow(10).build());
    succeed(b, 3);
    fail(b, 1);
    assertThat(b.stats().windowSuccesses()).isEqualTo(3);
    assertThat(b.stats().windowCalls()).isEqualTo(4);
    CircuitBreaker h =
        CircuitBreaker.of(
            "half",
            config(ticker).consecutiveFailures(1).halfOpenProbes(3).halfOpenSuccesses(3).build());
    fail(h, 1);
    assertThat(h.stats().windowSuccesses()).isZero(); // open: nothing buffered
    ticker.advance(Duration.ofSeconds(10));
    long p1 = h.acquire();
    long p2 = h.acquire();
    h.onResult(p1, "ok");
    assertThat(h.stats().windowSuccesses()).isEqualTo(1);
    assertThat(h.stats().windowCalls()).isEqualTo(2);
    h.onResult(p2, "ok");
    assertThat(h.stats().windowSuccesses()).isEqualTo(2);
  }

  /** Records threshold crossings. */
  static final class Crossings implements CircuitBreakerListener {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onThresholdCrossed(double failureRate, double slowCallRate, long calls) {
      seen.add(failureRate + "/" + calls);
    }
  }

  private static List<LogCapture.Line> shadowLines(String name) {
    return LogCapture.lines(CircuitBreaker.class.getName()).stream()
        .filter(l -> l.message().startsWith("name=" + name + " state=DISABLED"))
        .toList();
  }

  @Test
  void aDisabledBreakerReportsACrossingOnceThenAgainAfterTheWait() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "shadow",
            config(ticker).countWindow(10).minimumCalls(10).failureRateThreshold(0.5).build());
    Crossings crossings = new Crossings();
    b.addListener(crossings);
    b.disable();
    succeed(b, 5);
    fail(b, 4);
    assertThat(crossings.seen).isEmpty();
    fail(b, 1); // 5 of 10: an enforcing breaker would open here
    assertThat(crossings.seen).containsExactly("0.5/10");
    fail(b, 20);
    ticker.advance(Duration.ofMillis(9_999));
    fail(b, 1);
    assertThat(crossings.seen).hasSize(1); // quiet for waitInOpen (10 s)
    assertThat(b.state()).isEqualTo(CircuitBreakerState.DISABLED);
    assertThat(shadowLines("shadow"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.WARN);
              assertThat(l.message())
                  .isEqualTo(
                      "name=shadow state=DISABLED threshold crossed, not enforced:"
                          + " rule=FAILURE_RATE_OVER_CALLS failureRate=0.50 slowCallRate=0.00"
                          + " calls=10 failures=5");
            });
    ticker.advance(Duration.ofMillis(1));
    succeed(b, 1); // a success does not cross
    fail(b, 1); // still failing after the wait: reported again
    assertThat(crossings.seen).containsExactly("0.5/10", "0.9/10");
    assertThat(shadowLines("shadow")).hasSize(2);
  }

  @Test
  void disablingAgainReArmsTheReport() {
    CircuitBreaker b = CircuitBreaker.of("rearm", config(ticker).consecutiveFailures(2).build());
    Crossings crossings = new Crossings();
    b.addListener(crossings);
    b.disable();
    fail(b, 3);
    b.disable(); // a fresh disabled period: fresh window, armed again
    fail(b, 1);
    assertThat(crossings.seen).hasSize(1);
    fail(b, 1);
    assertThat(crossings.seen).containsExactly("1.0/2", "1.0/2");
  }

  @Test
  void aClosedBreakerNeverReportsACrossing() {
    CircuitBreaker b = CircuitBreaker.of("enforced", config(ticker).consecutiveFailures(1).build());
    Crossings crossings = new Crossings();
    b.addListener(crossings);
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(crossings.seen).isEmpty();
    assertThat(shadowLines("enforced")).isEmpty();
  }
}
