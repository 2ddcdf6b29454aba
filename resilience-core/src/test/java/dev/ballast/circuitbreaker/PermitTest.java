package dev.ballast.circuitbreaker;

import static dev.ballast.circuitbreaker.Breakers.config;
import static dev.ballast.circuitbreaker.Breakers.fail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Gate;
import dev.ballast.TestTicker;
import dev.ballast.Ticker;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The permit protocol's edges: completing twice, refusing without throwing, the sentinel. */
final class PermitTest {
  private final TestTicker ticker = new TestTicker();

  private CircuitBreaker halfOpen(CircuitBreakerConfig.Builder builder) {
    CircuitBreaker b = CircuitBreaker.of("permits", builder.consecutiveFailures(1).build());
    fail(b, 1);
    ticker.advance(Duration.ofSeconds(10));
    return b;
  }

  @Test
  void aProbePermitReleasedTwiceGivesItsProbeBackOnce() {
    CircuitBreaker b = halfOpen(config(ticker));
    long probe = b.acquire();
    b.release(probe);
    b.release(probe); // a duplicate: ignored
    long second = b.acquire();
    assertThatThrownBy(b::acquire)
        .isInstanceOfSatisfying(
            CircuitBreakerOpenException.class,
            e -> assertThat(e.state()).isEqualTo(CircuitBreakerState.HALF_OPEN));
    assertThat(b.stats().windowCalls()).isEqualTo(1);
    b.onResult(second, "ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void aProbeSuccessCompletedTwiceCountsOnce() {
    CircuitBreaker b = halfOpen(config(ticker).halfOpenProbes(2));
    long first = b.acquire();
    long second = b.acquire();
    b.onResult(first, "ok");
    b.onResult(first, "ok"); // would close the breaker if counted
    assertThat(b.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    assertThat(b.stats().windowSuccesses()).isEqualTo(1);
    b.onResult(second, "ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void aFailureReportedForAProbeThatAlreadySucceededIsIgnored() {
    CircuitBreaker b = halfOpen(config(ticker).halfOpenProbes(2));
    long first = b.acquire();
    b.onResult(first, "ok");
    b.onError(first, new IOException("late duplicate"));
    assertThat(b.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
  }

  @Test
  void aSecondCompletionIsNotReportedToListeners() {
    CircuitBreaker b = halfOpen(config(ticker).halfOpenProbes(2));
    ListenerTest.Recorder r = new ListenerTest.Recorder();
    b.addListener(r);
    long probe = b.acquire();
    b.release(probe);
    b.release(probe);
    assertThat(r.events).containsExactly("OPEN->HALF_OPEN", "ignored 0");
  }

  @Test
  void probePermitsAreDistinctEvenWhenTakenAtTheSameInstant() {
    CircuitBreaker b = halfOpen(config(ticker).halfOpenProbes(3));
    long p1 = b.acquire();
    long p2 = b.acquire();
    long p3 = b.acquire();
    assertThat(new long[] {p1, p2, p3}).doesNotHaveDuplicates();
    b.release(p2);
    long p4 = b.acquire(); // reuses p2's slot, not its value
    assertThat(p4).isNotIn(p1, p2, p3);
    b.release(p2); // p2 was completed: must not free p4's slot
    assertThatThrownBy(b::acquire).isInstanceOf(CircuitBreakerOpenException.class);
  }

  @Test
  void aClosedBreakerCountsASecondCompletionAsAnotherCall() {
    CircuitBreaker b = CircuitBreaker.of("twice", config(ticker).countWindow(10).build());
    long permit = b.acquire();
    b.onError(permit, new IOException("one"));
    b.onError(permit, new IOException("same permit"));
    assertThat(b.stats().windowCalls()).isEqualTo(2);
    assertThat(b.stats().windowFailures()).isEqualTo(2);
  }

  @Test
  void tryAcquireRefusesWithoutThrowingAndCountsTheRefusal() {
    CircuitBreaker b = CircuitBreaker.of("try", config(ticker).consecutiveFailures(1).build());
    ListenerTest.Recorder r = new ListenerTest.Recorder();
    b.addListener(r);
    long permit = b.tryAcquire();
    assertThat(permit).isNotEqualTo(Gate.REFUSED);
    b.onError(permit, new IOException("down"));
    assertThat(b.tryAcquire()).isEqualTo(Gate.REFUSED);
    assertThat(b.stats().rejections()).isEqualTo(1);
    assertThat(r.events).endsWith("rejected OPEN");
    b.release(Gate.REFUSED); // completing the sentinel does nothing
    b.onResult(Gate.REFUSED, "x");
    assertThat(b.stats().windowCalls()).isZero();
    ticker.advance(Duration.ofSeconds(10));
    long probe = b.tryAcquire();
    assertThat(probe).isNotEqualTo(Gate.REFUSED);
    assertThat(b.tryAcquire()).isEqualTo(Gate.REFUSED); // the one probe is out
    b.onResult(probe, "ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    b.forceOpen();
    assertThat(b.tryAcquire()).isEqualTo(Gate.REFUSED);
    assertThat(b.stats().rejections()).isEqualTo(3);
  }

  @Test
  void noPermitEverEqualsTheRefusedSentinel() {
    // A ticker that reads Long.MIN_VALUE: a permit that were the raw reading would be REFUSED.
    AtomicLong now = new AtomicLong(Long.MIN_VALUE);
    Ticker edge = now::get;
    CircuitBreaker b =
        CircuitBreaker.of(
            "edge",
            CircuitBreakerConfig.builder()
                .ticker(edge)
                .consecutiveFailures(1)
                .waitInOpen(Duration.ofNanos(1))
                .build());
    long untimed = b.acquire();
    assertThat(untimed).isNotEqualTo(Gate.REFUSED);
    b.addListener(new CircuitBreakerListener() {}); // calls are timed from now on
    long timed = b.acquire();
    assertThat(timed).isNotEqualTo(Gate.REFUSED);
    b.onError(timed, new IOException("trip"));
    b.onResult(untimed, "late");
    now.addAndGet(1);
    long probe = b.tryAcquire();
    assertThat(probe).isNotEqualTo(Gate.REFUSED);
    b.onResult(probe, "ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }
}
