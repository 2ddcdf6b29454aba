package dev.ballast.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.testlog.LogCapture;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A fallback function that throws one shared, preallocated exception must not collect every call's
 * original as suppressed: Ballast never grows an exception it did not create without bound.
 */
final class SuppressedGrowthTest {

  @Test
  void aSharedExceptionThrownByTheFallbackKeepsAtMostEightSuppressed() {
    IllegalStateException shared = new IllegalStateException("cache down");
    Fallback<String> f =
        Fallback.of(
            "shared",
            FallbackConfig.<String>builder()
                .exceptionFallback(
                    e -> {
                      throw shared;
                    })
                .build());
    for (int i = 0; i < 100_000; i++) {
      if (i % 1_000 == 0) {
        LogCapture.clear(); // every failure logs a DEBUG line; the capture is copy-on-write
      }
      int n = i;
      try {
        f.apply(
            () -> {
              throw new IOException("call " + n);
            });
      } catch (IllegalStateException expected) {
        if (expected != shared) {
          throw new AssertionError("not the shared exception", expected);
        }
      } catch (IOException unexpected) {
        throw new AssertionError(unexpected);
      }
    }
    assertThat(shared.getSuppressed()).hasSize(8);
    assertThat(shared.getSuppressed()[0]).hasMessage("call 0");
    assertThat(f.stats().fallbackFailures()).isEqualTo(100_000);
  }

  @Test
  void theSameOriginalIsNotAddedTwice() {
    IllegalStateException shared = new IllegalStateException("cache down");
    IOException original = new IOException("the same each time");
    Fallback<String> f =
        Fallback.of(
            "twice",
            FallbackConfig.<String>builder()
                .exceptionFallback(
                    e -> {
                      throw shared;
                    })
                .build());
    for (int i = 0; i < 3; i++) {
      try {
        f.apply(
            () -> {
              throw original;
            });
      } catch (IllegalStateException | IOException expected) {
        // the fallback's own exception
      }
    }
    assertThat(shared.getSuppressed()).containsExactly(original);
  }
}
