package dev.ballast.circuitbreaker;

import static dev.ballast.circuitbreaker.Breakers.config;
import static dev.ballast.circuitbreaker.Breakers.fail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Gate;
import dev.ballast.RejectedException;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A refusing period throws one immutable rejection at every caller (implementation notes,
 * "Refusals"), which still tells each caller the state and the wait left when read.
 */
final class RejectionTest {
  private final TestTicker ticker = new TestTicker();

  private static CircuitBreakerOpenException refusal(CircuitBreaker b) {
    try {
      b.acquire();
    } catch (CircuitBreakerOpenException e) {
      return e;
    }
    throw new AssertionError("the breaker admitted a call");
  }

  private CircuitBreaker tripped() {
    CircuitBreaker b = CircuitBreaker.of("shared", config(ticker).consecutiveFailures(1).build());
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    return b;
  }

  @Test
  void everyCallerOfOneOpenPeriodGetsTheSameRejection() {
    CircuitBreaker b = tripped();
    CircuitBreakerOpenException first = refusal(b);
    ticker.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> b.call(() -> "not called")).isSameAs(first);
    assertThat(refusal(b)).isSameAs(first);
    assertThat(b.stats().rejections()).isEqualTo(3);
  }

  @Test
  void theSharedRejectionComputesTheWaitLeftWhenRead() {
    CircuitBreaker b = tripped();
    CircuitBreakerOpenException e = refusal(b);
    assertThat(e.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(e.reason()).isEqualTo(RejectedException.Reason.DEPENDENCY_FAILURE);
    assertThat(e.component()).isEqualTo("shared");
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(10));
    assertThat(e.getMessage()).isEqualTo("circuit breaker 'shared' is OPEN; retry after 10000 ms");
    ticker.advance(Duration.ofSeconds(3));
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(e.getMessage()).isEqualTo("circuit breaker 'shared' is OPEN; retry after 7000 ms");
    ticker.advance(Duration.ofSeconds(30));
    assertThat(e.retryAfter()).contains(Duration.ZERO);
  }

  @Test
  void aNewOpenPeriodThrowsANewRejection() {
    CircuitBreaker b = tripped();
    CircuitBreakerOpenException first = refusal(b);
    ticker.advance(Duration.ofSeconds(10));
    fail(b, 1); // the probe fails: a second open period
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    CircuitBreakerOpenException second = refusal(b);
    assertThat(second).isNotSameAs(first);
    assertThat(second.retryAfter()).contains(Duration.ofSeconds(10));
    assertThat(first.retryAfter()).contains(Duration.ZERO);
  }

  @Test
  void nobodyCanGrowOrChangeTheSharedRejection() {
    CircuitBreakerOpenException e = refusal(tripped());
    e.addSuppressed(new IllegalStateException("caller 1"));
    e.addSuppressed(new IllegalStateException("caller 2"));
    assertThat(e.getSuppressed()).isEmpty();
    assertThatThrownBy(() -> e.initCause(new IllegalStateException("cause")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(e.getCause()).isNull();
    e.setStackTrace(new StackTraceElement[] {new StackTraceElement("C", "m", "F", 1)});
    assertThat(e.getStackTrace()).isEmpty();
  }

  @Test
  void forcedOpenAndAFullHalfOpenShareOneRejectionEachWithoutAWait() {
    CircuitBreaker b = tripped();
    ticker.advance(Duration.ofSeconds(10));
    long probe = b.acquire(); // HALF_OPEN, its one probe taken
    CircuitBreakerOpenException halfOpen = refusal(b);
    assertThat(halfOpen.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    assertThat(halfOpen.retryAfter()).isEmpty();
    assertThat(halfOpen.getMessage()).isEqualTo("circuit breaker 'shared' is HALF_OPEN");
    assertThat(refusal(b)).isSameAs(halfOpen);
    b.release(probe);
    b.forceOpen();
    CircuitBreakerOpenException forced = refusal(b);
    assertThat(forced.state()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
    assertThat(forced.retryAfter()).isEmpty();
    assertThat(refusal(b)).isSameAs(forced);
  }

  @Test
  void withStackTracesEveryRefusalBuildsItsOwn() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "traced", config(ticker).consecutiveFailures(1).stackTraces(true).build());
    fail(b, 1);
    CircuitBreakerOpenException first = refusal(b);
    CircuitBreakerOpenException second = refusal(b);
    assertThat(second).isNotSameAs(first);
    assertThat(first.getStackTrace()).isNotEmpty();
    assertThat(first.retryAfter()).contains(Duration.ofSeconds(10));
  }

  @Test
  void withASchedulerAnOpenBreakerRefusesWithoutReadingTheClockUntilItsTimerFires() {
    AtomicLong reads = new AtomicLong();
    TestScheduler scheduler = new TestScheduler(ticker);
    CircuitBreakerConfig c =
        CircuitBreakerConfig.builder()
            .scheduler(new Breakers.CountingScheduler(scheduler, reads))
            .consecutiveFailures(1)
            .waitInOpen(Duration.ofSeconds(10))
            .build();
    CircuitBreaker b = CircuitBreaker.of("timed", c);
    fail(b, 1);
    reads.set(0);
    for (int i = 0; i < 100; i++) {
      refusal(b);
    }
    assertThat(reads.get()).isZero();
    ticker.advance(Duration.ofMillis(9_999));
    refusal(b);
    ticker.advance(Duration.ofMillis(1)); // the timer fires: the next request probes
    assertThat(b.acquire()).isNotEqualTo(Gate.REFUSED);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
  }
}
