package dev.ballast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class CheckedExceptionsTest {

  /**
   * The compile-time half of the test: this method declares {@code IOException} and nothing else
   * checked, so it compiles only if {@code call} throws exactly what the lambda throws.
   */
  static String readThrough(Policy policy, Path path) throws IOException {
    return policy.call(() -> Files.readString(path));
  }

  /** And a call that throws nothing checked needs no catch at all. */
  static int nothingChecked(Policy policy) {
    return policy.call(() -> 42);
  }

  @Test
  void checkedExceptionsPassThroughUnchangedAndUnwrapped(@TempDir Path dir) throws IOException {
    Policy breaker = CircuitBreaker.ofDefaults("files");
    Path file = dir.resolve("a.txt");
    Files.writeString(file, "hello");
    assertThat(readThrough(breaker, file)).isEqualTo("hello");
    assertThatThrownBy(() -> readThrough(breaker, dir.resolve("missing.txt")))
        .isInstanceOf(java.nio.file.NoSuchFileException.class)
        .hasNoCause();
    assertThat(nothingChecked(breaker)).isEqualTo(42);
    Policy pipeline = Pipeline.of(breaker, CircuitBreaker.ofDefaults("inner"));
    assertThat(readThrough(pipeline, file)).isEqualTo("hello");
  }

  @Test
  void errorsPassThroughUnchanged() {
    StackOverflowError error = new StackOverflowError("deep");
    Policy breaker = CircuitBreaker.ofDefaults("errors");
    assertThatThrownBy(
            () ->
                breaker.call(
                    () -> {
                      throw error;
                    }))
        .isSameAs(error);
  }

  @Test
  void supplierRunnableAndDecorateRunUnderThePolicy() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("forms");
    assertThat(breaker.get(() -> "got")).isEqualTo("got");
    int[] ran = {0};
    breaker.run(() -> ran[0]++);
    assertThat(ran[0]).isEqualTo(1);
    breaker.forceOpen();
    java.util.function.Supplier<String> guarded = breaker.decorate(() -> "never");
    assertThatThrownBy(guarded::get).isInstanceOf(RejectedException.class);
  }
}
