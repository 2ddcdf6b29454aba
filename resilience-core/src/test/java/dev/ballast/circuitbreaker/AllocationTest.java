package dev.ballast.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ballast.CheckedCallable;
import dev.ballast.Gate;
import dev.ballast.Pipeline;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The closed breaker's success path, a pipeline of breakers, and a refusal (by {@code tryAcquire},
 * {@code acquire} or {@code call}) allocate nothing once compiled: a regression guard, not a
 * benchmark. Measured with the JVM's per-thread allocation counter over many calls; one allocation
 * per call would show as megabytes.
 */
final class AllocationTest {
  private static final int CALLS = 200_000;
  private long sink;

  /**
   * The JVM's per-thread allocation counter, reached by reflection (core reads no java.management).
   */
  private static final class Counter {
    private final Object bean;
    private final Method allocatedBytes;

    Counter() throws Exception {
      bean =
          Class.forName("java.lang.management.ManagementFactory")
              .getMethod("getThreadMXBean")
              .invoke(null);
      Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
      assumeTrue(type.isInstance(bean));
      assumeTrue((Boolean) type.getMethod("isThreadAllocatedMemoryEnabled").invoke(bean));
      allocatedBytes = type.getMethod("getCurrentThreadAllocatedBytes");
    }

    private long allocated() throws Exception {
      return (Long) allocatedBytes.invoke(bean);
    }

    /**
     * The fewest bytes allocated by {@code CALLS} runs of {@code body}, over up to ten
     * measurements: until the JIT has compiled the path, the interpreter allocates what compiled
     * code does not, and a loaded machine may compile late. An allocation per call never measures
     * less than {@code CALLS} bytes.
     */
    long bytes(Runnable body) throws Exception {
      long least = Long.MAX_VALUE;
      for (int round = 0; round < 10 && least >= 4096; round++) {
        long before = allocated();
        for (int i = 0; i < CALLS; i++) {
          body.run();
        }
        least = Math.min(least, allocated() - before);
      }
      return least;
    }
  }

  @Test
  void aClosedBreakersSuccessPathAllocatesNothing() throws Exception {
    Counter counter = new Counter();
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
    };
    for (CircuitBreakerConfig config : configs) {
      CircuitBreaker b = CircuitBreaker.of("alloc", config);
      b.addListener(new CircuitBreakerListener() {}); // timed, and a listener to call
      Pipeline two = Pipeline.of(b, CircuitBreaker.of("inner", config));
      long allocated =
          counter.bytes(
              () -> {
                sink += b.call(call).length();
                sink += b.get(supplier).length();
                b.run(runnable);
                long permit = b.tryAcquire();
                b.onResult(permit, "ok");
                sink += two.call(call).length();
              });
      assertThat(allocated)
          .as("bytes allocated for %d rounds with %s", CALLS, config.tripRule())
          .isLessThan(4096);
    }
  }

  @Test
  void anUntimedSuccessOfATimeWindowRolledByTheSharedTimerAllocatesNothing() throws Exception {
    Counter counter = new Counter();
    CheckedCallable<String, RuntimeException> call = () -> "ok";
    CircuitBreaker b =
        CircuitBreaker.of(
            "coarse",
            CircuitBreakerConfig.builder()
                .timeWindow(Duration.ofSeconds(10))
                .minimumCalls(5)
                .build());
    assertThat(counter.bytes(() -> sink += b.call(call).length())).isLessThan(4096);
  }

  @Test
  void aRefusalInSteadyOpenAllocatesNothingOnEveryPath() throws Exception {
    Counter counter = new Counter();
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
        counter.bytes(
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
    assertThat(allocated).isLessThan(4096);
  }

  @Test
  void aRefusalByTryAcquireAllocatesNothing() throws Exception {
    Counter counter = new Counter();
    CircuitBreaker b = CircuitBreaker.ofDefaults("refusing");
    b.forceOpen();
    long allocated =
        counter.bytes(
            () -> {
              if (b.tryAcquire() == Gate.REFUSED) {
                sink++;
              }
            });
    assertThat(allocated).isLessThan(4096);
  }
}
