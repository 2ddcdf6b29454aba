package dev.ballast.testkit;

import static dev.ballast.testkit.BallastAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import java.io.IOException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

final class CircuitBreakerAssertTest {
  private final ManualTicker ticker = new ManualTicker();
  private final CircuitBreaker breaker =
      CircuitBreaker.of(
          "payments",
          CircuitBreakerConfig.builder().countWindow(4).minimumCalls(4).ticker(ticker).build());

  @Test
  void passesOnAFreshBreaker() {
    assertThat(breaker)
        .isClosed()
        .hasState(CircuitBreakerState.CLOSED)
        .hasFailureRate(0.0)
        .hasBufferedCalls(0)
        .hasRejectedCalls(0);
  }

  @Test
  void seesFailureRateAndBufferedCalls() throws Exception {
    FaultInjector<String> injector = Faults.failEveryNth(2, () -> new IOException("reset"));
    Callable<String> everyOther = injector.decorateCallable(() -> "ok");

    for (int i = 0; i < 3; i++) {
      try {
        breaker.call(everyOther::call);
      } catch (IOException expected) {
        // the second call fails
      }
    }

    assertThat(breaker).isClosed().hasBufferedCalls(3).hasFailureRate(1.0 / 3);
  }

  @Test
  void seesTheOperatorStates() {
    breaker.forceOpen();
    assertThat(breaker).isForcedOpen();

    breaker.disable();
    assertThat(breaker).isDisabled();

    breaker.reset();
    assertThat(breaker).isClosed();
  }

  @Test
  void aWrongStateFailsNamingTheBreakerAndShowingItsStats() {
    assertThatThrownBy(() -> assertThat(breaker).isOpen())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("circuit breaker 'payments'")
        .hasMessageContaining("to be OPEN but was CLOSED")
        .hasMessageContaining("stats: " + breaker.stats());
  }

  @Test
  void everyStateCheckFailsWithTheName() {
    CircuitBreakerAssert closed = assertThat(breaker);

    assertThatThrownBy(closed::isHalfOpen).hasMessageContaining("'payments'");
    assertThatThrownBy(closed::isDisabled).hasMessageContaining("'payments'");
    assertThatThrownBy(closed::isForcedOpen).hasMessageContaining("'payments'");
    breaker.forceOpen();
    assertThatThrownBy(closed::isClosed)
        .hasMessageContaining("'payments'")
        .hasMessageContaining("but was FORCED_OPEN");
  }

  @Test
  void wrongFiguresFailNamingTheBreaker() {
    assertThatThrownBy(() -> assertThat(breaker).hasFailureRate(0.5))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("circuit breaker 'payments' to have failure rate 0.5 but was 0.0");
    assertThatThrownBy(() -> assertThat(breaker).hasBufferedCalls(2))
        .hasMessageContaining("circuit breaker 'payments' to have 2 buffered calls but had 0");
    assertThatThrownBy(() -> assertThat(breaker).hasRejectedCalls(1))
        .hasMessageContaining("circuit breaker 'payments' to have 1 rejected calls but had 0");
  }

  @Test
  void keepsTheCallersDescription() {
    assertThatThrownBy(() -> assertThat(breaker).as("after the outage").isOpen())
        .hasMessageContaining("[after the outage]")
        .hasMessageContaining("'payments'");
  }

  @Test
  void aPercentSignInTheNameDoesNotBreakTheMessage() {
    CircuitBreaker odd = CircuitBreaker.ofDefaults("100%s-sure");

    assertThatThrownBy(() -> assertThat(odd).isOpen()).hasMessageContaining("'100%s-sure'");
  }

  @Test
  void failsOnANullBreaker() {
    CircuitBreaker none = nullBreaker();

    assertThatThrownBy(() -> assertThat(none).isClosed())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("null");
  }

  @SuppressWarnings("NullAway") // a null actual, on purpose
  private static CircuitBreaker nullBreaker() {
    return null;
  }
}
