package dev.ballast.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.OutcomeClassifier;
import dev.ballast.Pipeline;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerOpenException;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutConfig;
import dev.ballast.timeout.TimeoutExceededException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The documented order, a timeout inside a breaker, with a breaker that lists its failure types as
 * {@code docs/composition.md} showed them ({@code IOException} and the JDK's {@code
 * TimeoutException}, which a Ballast {@link TimeoutExceededException} is not): a dependency that
 * hangs still opens the breaker, because a Ballast timeout is a failure for every classifier unless
 * it is explicitly ignored. In virtual time.
 */
final class TimeoutInsideBreakerTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final Timeout timeout =
      Timeout.of(
          "inventory", TimeoutConfig.builder(Duration.ofSeconds(1)).scheduler(scheduler).build());

  @AfterEach
  void clean() {
    assertThat(scheduler.pending()).isZero();
    assertThat(Thread.interrupted()).isFalse();
  }

  /** Hangs until interrupted, as a blocking read does, letting virtual time pass 10 ms a step. */
  private String hang() throws InterruptedException {
    for (int waited = 0; waited < 300_000; waited += 10) {
      ticker.advanceMillis(10);
      if (Thread.interrupted()) {
        throw new InterruptedException("read interrupted");
      }
    }
    return "very late";
  }

  private CircuitBreaker breaker(CircuitBreakerConfig.Builder rule, OutcomeClassifier.Builder c) {
    return CircuitBreaker.of(
        "inventory",
        rule.ticker(ticker).waitInOpen(Duration.ofSeconds(30)).classifier(c.build()).build());
  }

  private static OutcomeClassifier.Builder failureList() {
    return OutcomeClassifier.builder().failureOn(IOException.class, TimeoutException.class);
  }

  private void fiveTimeouts(Pipeline p) {
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> p.call(this::hang)).isInstanceOf(TimeoutExceededException.class);
    }
  }

  @Test
  void fiveTimeoutsInARowOpenABreakerWhoseFailureListNamesOnlyTheJdkTimeoutException() {
    CircuitBreaker breaker =
        breaker(CircuitBreakerConfig.builder().consecutiveFailures(5), failureList());
    Pipeline p = Pipeline.of(breaker, timeout);
    assertThat(p).hasToString("circuitBreaker[inventory](timeout[inventory](call))");
    fiveTimeouts(p);
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(timeout.stats().timeouts()).isEqualTo(5);
    assertThatThrownBy(() -> p.call(this::hang)).isInstanceOf(CircuitBreakerOpenException.class);
    assertThat(timeout.stats().calls()).as("the open breaker made no call").isEqualTo(5);
  }

  @Test
  void fiveTimeoutsInARowTripTheRateRuleToo() {
    CircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .countWindow(10)
                .minimumCalls(5)
                .failureRateThreshold(0.5),
            failureList());
    fiveTimeouts(Pipeline.of(breaker, timeout));
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void aBreakerThatExplicitlyIgnoresBallastTimeoutsStaysClosed() {
    CircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder().consecutiveFailures(5),
            failureList().ignore(TimeoutExceededException.class));
    fiveTimeouts(Pipeline.of(breaker, timeout));
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(timeout.stats().timeouts()).isEqualTo(5);
  }
}
