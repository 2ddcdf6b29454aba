package dev.ballast.testkit;

import static dev.ballast.testkit.BallastAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerListener;
import dev.ballast.circuitbreaker.CircuitBreakerOpenException;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Drives a real breaker with the fakes, in virtual time, through its whole cycle. */
final class BreakerLifecycleTest {

  @Test
  void opensRefusesProbesAndClosesInVirtualTime() throws Exception {
    ManualTicker ticker = new ManualTicker(-7_000_000_000L);
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "inventory",
            CircuitBreakerConfig.builder()
                .consecutiveFailures(3)
                .waitInOpen(Duration.ofSeconds(10))
                .ticker(ticker)
                .build());
    List<String> transitions = new CopyOnWriteArrayList<>();
    breaker.addListener(
        new CircuitBreakerListener() {
          @Override
          public void onStateTransition(CircuitBreakerState from, CircuitBreakerState to) {
            transitions.add(from + "->" + to);
          }
        });
    FaultInjector<String> outage = Faults.alwaysFail(() -> new IOException("connection refused"));
    Callable<String> down = outage.decorateCallable(() -> "never reached");

    // CLOSED: two failures in a row are not enough.
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> breaker.call(down::call)).isInstanceOf(IOException.class);
    }
    assertThat(breaker).isClosed().hasRejectedCalls(0);

    // The third failure in a row opens it.
    assertThatThrownBy(() -> breaker.call(down::call)).isInstanceOf(IOException.class);
    assertThat(breaker).isOpen();

    // OPEN: calls are refused without reaching the dependency, until the wait is over.
    assertThatThrownBy(() -> breaker.call(down::call))
        .isInstanceOf(CircuitBreakerOpenException.class);
    ticker.advance(Duration.ofSeconds(10).minusNanos(1));
    assertThatThrownBy(() -> breaker.call(down::call))
        .isInstanceOf(CircuitBreakerOpenException.class);
    assertThat(outage.calls()).isEqualTo(3);
    assertThat(breaker).isOpen().hasRejectedCalls(2);

    // HALF_OPEN: after the wait the next call is a probe; the dependency has healed but is slow.
    ticker.advanceNanos(1);
    FaultInjector<String> slow = Faults.slow(Duration.ofMillis(300), ticker);
    Callable<String> probe =
        slow.decorateCallable(
            () -> {
              assertThat(breaker).isHalfOpen();
              return "42 in stock";
            });
    assertThat(breaker.call(probe::call)).isEqualTo("42 in stock");

    // The probe succeeded: CLOSED again, and calls flow.
    assertThat(breaker).isClosed().hasRejectedCalls(2);
    Callable<String> healthy =
        slow.decorateCallable(
            () -> {
              assertThat(breaker).isClosed();
              return "41 in stock";
            });
    assertThat(breaker.call(healthy::call)).isEqualTo("41 in stock");
    assertThat(slow.calls()).isEqualTo(2);
    assertThat(ticker.read()).isEqualTo(3_000_000_000L + 600_000_000L);
    assertThat(breaker).isClosed().hasRejectedCalls(2);
    assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
  }
}
