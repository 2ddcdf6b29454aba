package dev.ballast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryConfig;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A decorated pipeline's success path allocates nothing once compiled, wrappers included, while its
 * {@code call} allocates a lambda per wrapper (what the javadoc says): a regression guard, not a
 * benchmark. Measured with the JVM's per-thread allocation counter ({@link Allocations}).
 */
final class PipelineAllocationTest {
  private long sink;

  @Test
  void aDecoratedRetryAndBreakerAllocateNothingOnSuccess() {
    Pipeline p =
        Pipeline.of(
            Retry.of("alloc", RetryConfig.builder().maxAttempts(3).build()),
            CircuitBreaker.of("alloc", CircuitBreakerConfig.builder().countWindow(100).build()),
            CircuitBreaker.ofDefaults("second"));
    Supplier<String> decorated = p.decorate(() -> "ok");
    assertThat(Allocations.bytesPerCall(() -> sink += decorated.get().length())).isZero();
  }

  @Test
  void aDecoratedRetryAroundABreakerAndABulkheadAllocatesNothingOnSuccess() {
    Pipeline p =
        Pipeline.of(
            Retry.of("alloc", RetryConfig.builder().maxAttempts(3).build()),
            CircuitBreaker.of("alloc", CircuitBreakerConfig.builder().countWindow(100).build()),
            Bulkhead.ofDefaults("alloc"));
    Supplier<String> decorated = p.decorate(() -> "ok");
    assertThat(Allocations.bytesPerCall(() -> sink += decorated.get().length())).isZero();
  }

  @Test
  void aDecoratedPipelineOfWrappersAroundWrappersAllocatesNothingOnSuccess() {
    Pipeline p =
        Pipeline.of(
            CircuitBreaker.ofDefaults("outer"),
            Retry.ofDefaults("outer"),
            Pipeline.of(Retry.ofDefaults("inner"), CircuitBreaker.ofDefaults("inner")));
    Supplier<String> decorated = p.decorate(() -> "ok");
    assertThat(Allocations.bytesPerCall(() -> sink += decorated.get().length())).isZero();
  }
}
