package dev.ballast.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.Allocations;
import dev.ballast.CheckedCallable;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The first-attempt success path allocates nothing, through {@code call}, {@code get} and {@code
 * run}: a regression guard, not a benchmark. Measured with the JVM's per-thread allocation counter
 * ({@link Allocations}).
 */
final class AllocationTest {
  private int sink;

  @Test
  void aFirstAttemptSuccessAllocatesNothing() {
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
      assertThat(Allocations.bytesPerCall(() -> sink += retry.call(call).length()))
          .as("call on %s", retry)
          .isZero();
      assertThat(Allocations.bytesPerCall(() -> sink += retry.get(supplier).length()))
          .as("get on %s", retry)
          .isZero();
      assertThat(Allocations.bytesPerCall(() -> retry.run(runnable)))
          .as("run on %s", retry)
          .isZero();
    }
  }
}
