package dev.ballast.circuitbreaker;

import static dev.ballast.circuitbreaker.Breakers.config;
import static dev.ballast.circuitbreaker.Breakers.fail;
import static dev.ballast.circuitbreaker.Breakers.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.OutcomeClassifier;
import dev.ballast.TestTicker;
import dev.ballast.testlog.LogCapture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

final class LoggingTest {
  private static final String LOGGER = CircuitBreaker.class.getName();
  private final TestTicker ticker = new TestTicker();

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  private static List<LogCapture.Line> lines() {
    return LogCapture.lines(LOGGER).stream()
        .filter(l -> l.message().contains("name=logged"))
        .toList();
  }

  @Test
  void openingIsAWarningWithTheFiguresThatCausedIt() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "logged",
            config(ticker).countWindow(10).minimumCalls(10).failureRateThreshold(0.6).build());
    succeed(b, 4);
    fail(b, 6);
    assertThat(lines())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.WARN);
              assertThat(l.message())
                  .startsWith(
                      "name=logged from=CLOSED to=OPEN failureRate=0.60 slowCallRate=0.00"
                          + " calls=10 failures=6")
                  .endsWith(" trips=1 waitMs=10000");
            });
  }

  /** "name=x from=A to=B ..." -> "name=x from=A to=B". */
  private static String transition(String message) {
    int third = message.indexOf(' ', message.indexOf(" to=") + 1);
    return third < 0 ? message : message.substring(0, third);
  }

  @Test
  void recoveringIsInfoAndNothingIsLoggedPerCall() {
    CircuitBreaker b = CircuitBreaker.of("logged", config(ticker).consecutiveFailures(1).build());
    succeed(b, 100);
    assertThat(lines()).isEmpty();
    fail(b, 1);
    ticker.advance(Duration.ofSeconds(10));
    succeed(b, 1);
    assertThat(lines())
        .extracting(LogCapture.Line::level, l -> transition(l.message()))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Level.WARN, "name=logged from=CLOSED to=OPEN"),
            org.assertj.core.groups.Tuple.tuple(Level.INFO, "name=logged from=OPEN to=HALF_OPEN"),
            org.assertj.core.groups.Tuple.tuple(
                Level.INFO, "name=logged from=HALF_OPEN to=CLOSED"));
    assertThat(lines().get(2).message()).contains("probes=1 probeSuccesses=1");
  }

  @Test
  void operatorCommandsAreLoggedWithTheirCause() {
    CircuitBreaker b = CircuitBreaker.of("logged", config(ticker).build());
    b.forceOpen();
    b.disable();
    b.reset();
    assertThat(lines())
        .extracting(LogCapture.Line::level)
        .containsExactly(Level.WARN, Level.INFO, Level.INFO);
    assertThat(lines())
        .allSatisfy(l -> assertThat(l.message()).endsWith("cause=\"operator command\""));
  }

  @Test
  void aProbeThatReopensTheBreakerIsLoggedWithWhyItFailed() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "logged",
            config(ticker).consecutiveFailures(1).slowCallDuration(Duration.ofMillis(10)).build());
    fail(b, 1);
    ticker.advance(Duration.ofSeconds(10));
    fail(b, 1);
    ticker.advance(Duration.ofSeconds(10));
    Breakers.slow(b, ticker, Duration.ofMillis(20));
    assertThat(lines())
        .filteredOn(l -> l.message().contains("from=HALF_OPEN to=OPEN"))
        .extracting(LogCapture.Line::message)
        .satisfiesExactly(
            failed -> assertThat(failed).endsWith(" cause=\"probe failed\""),
            slow -> assertThat(slow).endsWith(" cause=\"probe slow\""));
  }

  @Test
  void anOperatorCommandLogsTheFiguresOfTheWindowItLeavesNotThoseOfTheLastTrip() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "logged",
            config(ticker).countWindow(10).minimumCalls(10).failureRateThreshold(0.5).build());
    succeed(b, 4);
    fail(b, 6); // trips on 6 of 10
    ticker.advance(Duration.ofSeconds(10));
    succeed(b, 1); // the probe closes it: a fresh window
    succeed(b, 3);
    fail(b, 1);
    b.forceOpen();
    assertThat(lines())
        .last()
        .satisfies(
            l ->
                assertThat(l.message())
                    .startsWith(
                        "name=logged from=CLOSED to=FORCED_OPEN failureRate=0.25 slowCallRate=0.00"
                            + " calls=4 failures=1"));
  }

  @Test
  void aThrowingListenerIsLoggedWithTheBreakersName() {
    CircuitBreaker b = CircuitBreaker.of("logged", config(ticker).build());
    b.addListener(
        new CircuitBreakerListener() {
          @Override
          public void onSuccess(long durationNanos) {
            throw new IllegalStateException("listener bug");
          }
        });
    succeed(b, 1);
    assertThat(lines())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.WARN);
              assertThat(l.error()).hasMessage("listener bug");
            });
  }

  @Test
  void aListenerThatAlwaysThrowsLogsOneLineAnIntervalWithTheCountSuppressed() {
    CircuitBreaker b = CircuitBreaker.of("logged", config(ticker).build());
    b.addListener(
        new CircuitBreakerListener() {
          @Override
          public void onSuccess(long durationNanos) {
            throw new IllegalStateException("listener bug");
          }
        });
    succeed(b, 10_000);
    assertThat(lines())
        .singleElement()
        .satisfies(l -> assertThat(l.message()).isEqualTo("name=logged listener threw; ignored"));
    ticker.advance(Duration.ofSeconds(59));
    succeed(b, 1);
    assertThat(lines()).hasSize(1); // still within the interval
    ticker.advance(Duration.ofSeconds(1));
    succeed(b, 1);
    assertThat(lines())
        .hasSize(2)
        .last()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.WARN);
              assertThat(l.message())
                  .isEqualTo(
                      "name=logged listener threw; ignored (10000 more like this suppressed since"
                          + " the last such line)");
              assertThat(l.error()).hasMessage("listener bug");
            });
  }

  @Test
  void aClassifierPredicateThatAlwaysThrowsLogsOneLineAnIntervalNamingTheBreaker() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "logged",
            config(ticker)
                .classifier(
                    OutcomeClassifier.builder()
                        .failureOnResult(
                            r -> {
                              throw new IllegalStateException("predicate bug");
                            })
                        .build())
                .build());
    succeed(b, 10_000);
    assertThat(lines())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.message())
                  .isEqualTo("name=logged classifier's result predicate threw; counting a success");
              assertThat(l.error()).hasMessage("predicate bug");
            });
    assertThat(b.stats().windowSuccesses()).isEqualTo(100); // the window: every one a success
    ticker.advance(Duration.ofSeconds(60));
    succeed(b, 1);
    assertThat(lines())
        .hasSize(2)
        .last()
        .satisfies(l -> assertThat(l.message()).contains("(9999 more like this suppressed"));
  }

  @Test
  void aListenerThatThrowsAnErrorOfTheVirtualMachineReachesTheCallerAfterTheOutcomeIsCounted() {
    CircuitBreaker b = CircuitBreaker.of("logged", config(ticker).consecutiveFailures(1).build());
    ListenerTest.Recorder later = new ListenerTest.Recorder();
    b.addListener(
        new CircuitBreakerListener() {
          @Override
          public void onStateTransition(CircuitBreakerState from, CircuitBreakerState to) {
            throw new StackOverflowError("listener overflow");
          }
        });
    b.addListener(later);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> fail(b, 1))
        .isInstanceOf(StackOverflowError.class)
        .hasMessage("listener overflow");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN); // counted, and tripped
    assertThat(later.events).contains("CLOSED->OPEN"); // the other listener heard it first
  }
}
