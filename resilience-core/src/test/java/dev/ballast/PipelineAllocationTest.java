package dev.ballast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryConfig;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A decorated pipeline's success path allocates nothing once compiled, wrappers included, while its
 * {@code call} allocates a lambda per wrapper (what the javadoc says): a regression guard, not a
 * benchmark. Measured with the JVM's per-thread allocation counter over many calls; one allocation
 * per call would show as megabytes.
 */
final class PipelineAllocationTest {
  private static final int CALLS = 200_000;
  private long sink;

  /**
   * The fewest bytes the calling thread allocated over {@code CALLS} runs of {@code body}, over up
   * to ten measurements (the interpreter allocates what compiled code does not, and a loaded
   * machine may compile late). The counter is reached by reflection: core reads no java.management.
   */
  private static long bytes(Runnable body) throws Exception {
    Object bean =
        Class.forName("java.lang.management.ManagementFactory")
            .getMethod("getThreadMXBean")
            .invoke(null);
    Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
    assumeTrue(type.isInstance(bean));
    assumeTrue((Boolean) type.getMethod("isThreadAllocatedMemoryEnabled").invoke(bean));
    Method allocated = type.getMethod("getCurrentThreadAllocatedBytes");
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 10 && least >= 4096; round++) {
      long before = (Long) allocated.invoke(bean);
      for (int i = 0; i < CALLS; i++) {
        body.run();
      }
      least = Math.min(least, (Long) allocated.invoke(bean) - before);
    }
    return least;
  }

  @Test
  void aDecoratedRetryAndBreakerAllocateNothingOnSuccess() throws Exception {
    Pipeline p =
        Pipeline.of(
            Retry.of("alloc", RetryConfig.builder().maxAttempts(3).build()),
            CircuitBreaker.of("alloc", CircuitBreakerConfig.builder().countWindow(100).build()),
            CircuitBreaker.ofDefaults("second"));
    Supplier<String> decorated = p.decorate(() -> "ok");
    assertThat(bytes(() -> sink += decorated.get().length())).isLessThan(4096);
  }

  @Test
  void aDecoratedPipelineOfWrappersAroundWrappersAllocatesNothingOnSuccess() throws Exception {
    Pipeline p =
        Pipeline.of(
            CircuitBreaker.ofDefaults("outer"),
            Retry.ofDefaults("outer"),
            Pipeline.of(Retry.ofDefaults("inner"), CircuitBreaker.ofDefaults("inner")));
    Supplier<String> decorated = p.decorate(() -> "ok");
    assertThat(bytes(() -> sink += decorated.get().length())).isLessThan(4096);
  }
}
