package dev.ballast.circuitbreaker;

import static dev.ballast.circuitbreaker.Breakers.config;
import static dev.ballast.circuitbreaker.Breakers.fail;
import static dev.ballast.circuitbreaker.Breakers.slow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.OutcomeClassifier;
import dev.ballast.TestTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

final class ListenerTest {
  private final TestTicker ticker = new TestTicker();

  /** Records every event as a line. */
  static final class Recorder implements CircuitBreakerListener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onStateTransition(CircuitBreakerState from, CircuitBreakerState to) {
      events.add(from + "->" + to);
    }

    @Override
    public void onRejected(CircuitBreakerState state) {
      events.add("rejected " + state);
    }

    @Override
    public void onSuccess(long durationNanos) {
      events.add("success " + durationNanos);
    }

    @Override
    public void onFailure(long durationNanos, @Nullable Throwable error) {
      events.add(
          "failure " + durationNanos + " " + (error == null ? "result" : error.getMessage()));
    }

    @Override
    public void onIgnored(long durationNanos, @Nullable Throwable error) {
      events.add("ignored " + durationNanos);
    }

    @Override
    public void onSlowCall(long durationNanos) {
      events.add("slow " + durationNanos);
    }
  }

  /** Throws from every method. */
  static final class Thrower implements CircuitBreakerListener {
    @Override
    public void onStateTransition(CircuitBreakerState from, CircuitBreakerState to) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void onRejected(CircuitBreakerState state) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void onSuccess(long durationNanos) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void onFailure(long durationNanos, @Nullable Throwable error) {
      throw new IllegalStateException("listener bug");
    }
  }

  @Test
  void reportsOutcomesWithDurationsAndTransitions() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "events",
            config(ticker).consecutiveFailures(2).slowCallDuration(Duration.ofMillis(5)).build());
    Recorder r = new Recorder();
    b.addListener(r);
    b.call(
        () -> {
          ticker.advance(Duration.ofMillis(7));
          return "ok";
        });
    fail(b, 1);
    assertThatThrownBy(() -> b.call(() -> "x")).isInstanceOf(CircuitBreakerOpenException.class);
    assertThat(r.events)
        .containsExactly(
            "success 7000000", "slow 7000000", "CLOSED->OPEN", "failure 0 boom", "rejected OPEN");
  }

  @Test
  void resultPredicateFailuresAreReportedWithoutAnException() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "result",
            config(ticker)
                .consecutiveFailures(2)
                .classifier(OutcomeClassifier.builder().failureOnResult(r -> "".equals(r)).build())
                .build());
    Recorder r = new Recorder();
    b.addListener(r);
    assertThat(b.call(() -> "")).isEmpty(); // the caller still gets its result
    assertThat(b.call(() -> "")).isEmpty();
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(r.events).contains("failure 0 result");
  }

  @Test
  void aThrowingListenerLeavesStateAndOutcomeIntact() {
    CircuitBreaker b = CircuitBreaker.of("bad", config(ticker).consecutiveFailures(2).build());
    b.addListener(new Thrower());
    Recorder r = new Recorder();
    b.addListener(r);
    assertThat(b.call(() -> 42)).isEqualTo(42);
    assertThatThrownBy(
            () ->
                b.call(
                    () -> {
                      throw new IOException("mine");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("mine");
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThatThrownBy(() -> b.call(() -> 1)).isInstanceOf(CircuitBreakerOpenException.class);
    assertThat(r.events).contains("CLOSED->OPEN", "rejected OPEN"); // later listeners still hear
  }

  @Test
  void aProbesOutcomeIsReportedToListeners() {
    CircuitBreaker b =
        CircuitBreaker.of("probe", config(ticker).consecutiveFailures(1).halfOpenProbes(2).build());
    fail(b, 1);
    ticker.advance(Duration.ofSeconds(10));
    Recorder r = new Recorder();
    b.addListener(r);
    long first = b.acquire();
    long second = b.acquire();
    b.onResult(first, "ok");
    b.onError(second, new IOException("down"));
    assertThat(r.events)
        .containsExactly("OPEN->HALF_OPEN", "success 0", "HALF_OPEN->OPEN", "failure 0 down");
  }

  @Test
  void aSlowRuleStillTimesCallsAfterTheLastListenerIsRemoved() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "timed",
            config(ticker).consecutiveFailures(2).slowCallDuration(Duration.ofMillis(10)).build());
    b.addListener(new Recorder()).close(); // nobody listens any more; the slow rule still times
    slow(b, ticker, Duration.ofMillis(20));
    slow(b, ticker, Duration.ofMillis(20));
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void untimedCallsReportMinusOne() {
    CircuitBreaker b = CircuitBreaker.of("untimed", config(ticker).build());
    long permit = b.acquire(); // nobody listening, no slow rule: not timed
    Recorder r = new Recorder();
    b.addListener(r);
    b.onResult(permit, "ok");
    assertThat(r.events).containsExactly("success -1");
  }
}
