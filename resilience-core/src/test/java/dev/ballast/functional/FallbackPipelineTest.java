package dev.ballast.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Pipeline;
import dev.ballast.TestTicker;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerOpenException;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.fallback.Fallback;
import dev.ballast.fallback.FallbackConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A fallback outermost around a circuit breaker: the book's degraded mode. */
final class FallbackPipelineTest {
  private final TestTicker ticker = new TestTicker();
  private final AtomicInteger calls = new AtomicInteger();

  private CircuitBreaker breaker() {
    return CircuitBreaker.of(
        "inventory",
        CircuitBreakerConfig.builder()
            .ticker(ticker)
            .consecutiveFailures(2)
            .waitInOpen(Duration.ofSeconds(30))
            .build());
  }

  private static Fallback<String> cached() {
    return Fallback.of(
        "inventory",
        FallbackConfig.<String>builder()
            .rejectionFallback(e -> "cached (" + e.getClass().getSimpleName() + ")")
            .build());
  }

  private String failingCall() throws IOException {
    calls.incrementAndGet();
    throw new IOException("inventory down");
  }

  @Test
  void anOpenBreakerServesTheCachedValueWhileARealFailureSurfaces() throws IOException {
    CircuitBreaker breaker = breaker();
    Fallback<String> fallback = cached();
    Pipeline pipeline = Pipeline.of(fallback, breaker);
    assertThat(pipeline).hasToString("fallback[inventory](circuitBreaker[inventory](call))");

    // closed: the real failure surfaces, typed, and the breaker counts it
    assertThatThrownBy(() -> pipeline.call(this::failingCall))
        .isInstanceOf(IOException.class)
        .hasMessage("inventory down");

    breaker.forceOpen();
    String answer = pipeline.call(this::failingCall); // refused: the call is not made
    assertThat(answer).isEqualTo("cached (CircuitBreakerOpenException)");
    assertThat(calls).hasValue(1);

    breaker.reset();
    assertThatThrownBy(() -> pipeline.call(this::failingCall)).isInstanceOf(IOException.class);
    assertThat(fallback.stats().rejectionFallbacks()).isEqualTo(1);
    assertThat(fallback.stats().calls()).isEqualTo(3);
  }

  @Test
  void aBreakerThatTripsSwitchesToTheCachedValueAndBackWhenItRecovers() throws IOException {
    CircuitBreaker breaker = breaker();
    Fallback<String> fallback = cached();
    Pipeline pipeline = Pipeline.of(fallback, breaker);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> pipeline.call(this::failingCall)).isInstanceOf(IOException.class);
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(pipeline.call(this::failingCall)).isEqualTo("cached (CircuitBreakerOpenException)");
    ticker.advance(Duration.ofSeconds(30));
    assertThat(pipeline.call(() -> "fresh")).isEqualTo("fresh"); // the probe succeeds
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void theTypedWayWrapsThePipeline() throws IOException {
    CircuitBreaker breaker = breaker();
    breaker.forceOpen();
    Fallback<String> fallback = cached();
    Pipeline inner = Pipeline.of(breaker);
    String answer = fallback.apply(() -> inner.call(this::failingCall));
    assertThat(answer).isEqualTo("cached (CircuitBreakerOpenException)");
  }

  @Test
  void asyncRejectionFromTheBreakerIsServedFromTheCache() {
    CircuitBreaker breaker = breaker();
    breaker.forceOpen();
    Pipeline pipeline = Pipeline.of(cached(), breaker);
    CompletableFuture<String> out =
        pipeline
            .callAsync(() -> CompletableFuture.completedFuture("never called"))
            .toCompletableFuture();
    assertThat(out).isCompletedWithValue("cached (CircuitBreakerOpenException)");
    breaker.reset();
    CompletableFuture<String> failing =
        pipeline
            .<String>callAsync(() -> CompletableFuture.failedFuture(new IOException("down")))
            .toCompletableFuture();
    assertThat(failing.handle((r, e) -> e))
        .isCompletedWithValueMatching(e -> e instanceof IOException);
  }

  @Test
  void rejectionsAreNotCountedByTheBreakerAsFailures() {
    CircuitBreaker breaker = breaker();
    breaker.forceOpen();
    Pipeline pipeline = Pipeline.of(cached(), breaker);
    for (int i = 0; i < 5; i++) {
      pipeline.get(() -> "x");
    }
    assertThat(breaker.stats().rejections()).isEqualTo(5);
    assertThatThrownBy(() -> breaker.call(() -> "x"))
        .isInstanceOf(CircuitBreakerOpenException.class);
  }
}
