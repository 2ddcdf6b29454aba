package dev.ballast.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.Allocations;
import dev.ballast.CheckedCallable;
import dev.ballast.Gate;
import dev.ballast.Pipeline;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The closed breaker's success path, a pipeline of breakers, and a refusal (by {@code tryAcquire},
 * {@code acquire} or {@code call}) allocate nothing once compiled: a regression guard, not a
 * benchmark. Measured with the JVM's per-thread allocation counter ({@link Allocations}).
 */
final class AllocationTest {
  private long sink;

  @Test
  void aClosedBreakersSuccessPathAllocatesNothing() {
    CheckedCallable<String, RuntimeException> call = () -> "ok";
    Supplier<String> supplier = () -> "ok";
    Runnable runnable = () -> sink++;
    CircuitBreakerConfig[] configs = {
      CircuitBreakerConfig.defaults(),
      CircuitBreakerConfig.builder().countWindow(10).minimumCalls(5).build(),
      CircuitBreakerConfig.builder().timeWindow(Duration.ofSeconds(10)).minimumCalls(5).build(),
      CircuitBreakerConfig.builder().consecutiveFailures(5).build(),
      CircuitBreakerConfig.builder().leakyBucket(5, Duration.ofSeconds(1)).build(),
      CircuitBreakerConfig.builder().slowCallDuration(Duration.ofSeconds(1)).build(),
      // A hint function asked on every success: its null answer costs nothing.
      CircuitBreakerConfig.builder().backOffHint((r, e) -> null, Duration.ofMinutes(1)).build(),
    };
    for (CircuitBreakerConfig config : configs) {
      CircuitBreaker b = CircuitBreaker.of("alloc", config);
      b.addListener(new CircuitBreakerListener() {}); // timed, and a listener to call
      Pipeline two = Pipeline.of(b, CircuitBreaker.of("inner", config));
      long allocated =
          Allocations.bytesPerCall(
              () -> {
                sink += b.call(call).length();
                sink += b.get(supplier).length();
                b.run(runnable);
                long permit = b.tryAcquire();
                b.onResult(permit, "ok");
                sink += two.call(call).length();
              });
      assertThat(allocated).as("bytes per call with %s", config.tripRule()).isZero();
    }
  }

  @Test
  void anUntimedSuccessOfATimeWindowRolledByTheSharedTimerAllocatesNothing() {
    CheckedCallable<String, RuntimeException> call = () -> "ok";
    CircuitBreaker b =
        CircuitBreaker.of(
            "coarse",
            CircuitBreakerConfig.builder()
                .timeWindow(Duration.ofSeconds(10))
                .minimumCalls(5)
                .build());
    assertThat(Allocations.bytesPerCall(() -> sink += b.call(call).length())).isZero();
  }

  @Test
  void aRefusalInSteadyOpenAllocatesNothingOnEveryPath() {
    CheckedCallable<String, RuntimeException> call = () -> "ok";
    CircuitBreaker b =
        CircuitBreaker.of(
            "open",
            CircuitBreakerConfig.builder()
                .consecutiveFailures(1)
                .waitInOpen(Duration.ofDays(1))
                .build());
    try {
      b.call(
          () -> {
            throw new IllegalStateException("down");
          });
    } catch (IllegalStateException expected) {
      // trips the breaker
    }
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    long allocated =
        Allocations.bytesPerCall(
            () -> {
              try {
                sink += b.call(call).length();
              } catch (CircuitBreakerOpenException e) {
                sink++;
              }
              try {
                sink += b.acquire();
              } catch (CircuitBreakerOpenException e) {
                sink++;
              }
              if (b.tryAcquire() == Gate.REFUSED) {
                sink++;
              }
            });
    assertThat(allocated).isZero();
  }

  @Test
  void aRefusalByTryAcquireAllocatesNothing() {
    CircuitBreaker b = CircuitBreaker.ofDefaults("refusing");
    b.forceOpen();
    long allocated =
        Allocations.bytesPerCall(
            () -> {
              if (b.tryAcquire() == Gate.REFUSED) {
                sink++;
              }
            });
    assertThat(allocated).isZero();
  }
}
