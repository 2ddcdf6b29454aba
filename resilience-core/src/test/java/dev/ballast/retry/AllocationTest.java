package dev.ballast.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ballast.CheckedCallable;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The first-attempt success path allocates nothing: a regression guard, not a benchmark. Measured
 * with the JVM's per-thread allocation counter over many calls; a single allocation per call would
 * show as megabytes.
 */
final class AllocationTest {
  private static final int CALLS = 200_000;
  private int sink;

  @Test
  void aFirstAttemptSuccessAllocatesNothing() throws Exception {
    // Reached by reflection: core's module does not read java.management, and must not.
    Object mx =
        Class.forName("java.lang.management.ManagementFactory")
            .getMethod("getThreadMXBean")
            .invoke(null);
    Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
    assumeTrue(type.isInstance(mx));
    assumeTrue((Boolean) type.getMethod("isThreadAllocatedMemoryEnabled").invoke(mx));
    Method allocatedBytes = type.getMethod("getCurrentThreadAllocatedBytes");
    Retry plain = Retry.ofDefaults("plain");
    Retry counted =
        Retry.of(
            "counted",
            RetryConfig.builder()
                .countCalls(true)
                .maxDuration(Duration.ofSeconds(1))
                .budget(0.1, 1, Duration.ofSeconds(1))
                .retryOnResult(r -> "retry".equals(r))
                .build());
    CheckedCallable<String, RuntimeException> call = () -> "ok";
    Supplier<String> supplier = () -> "ok";
    Runnable runnable = () -> sink++;
    for (Retry retry : new Retry[] {plain, counted}) {
      run(retry, call, supplier, runnable); // warm up
      long before = (Long) allocatedBytes.invoke(mx);
      run(retry, call, supplier, runnable);
      long allocated = (Long) allocatedBytes.invoke(mx) - before;
      assertThat(allocated)
          .as("bytes allocated by %s for %d calls", retry, 3 * CALLS)
          .isLessThan(4096);
    }
  }

  private void run(
      Retry retry,
      CheckedCallable<String, RuntimeException> call,
      Supplier<String> supplier,
      Runnable runnable) {
    for (int i = 0; i < CALLS; i++) {
      sink += retry.call(call).length();
      sink += retry.get(supplier).length();
      retry.run(runnable);
    }
  }
}
