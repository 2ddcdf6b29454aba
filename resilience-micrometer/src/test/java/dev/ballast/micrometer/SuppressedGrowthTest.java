package dev.ballast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.fallback.Fallback;
import dev.ballast.fallback.FallbackConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

final class SuppressedGrowthTest {
  /** A registry whose counters throw what {@code failure} gives, as a broken registry might. */
  private static final class ThrowingRegistry extends SimpleMeterRegistry {
    private final Supplier<RuntimeException> failure;

    ThrowingRegistry(Supplier<RuntimeException> failure) {
      this.failure = failure;
    }

    @Override
    protected Counter newCounter(Meter.Id id) {
      return new Counter() {
        @Override
        public void increment(double amount) {
          throw failure.get();
        }

        @Override
        public double count() {
          return 0;
        }

        @Override
        public Meter.Id getId() {
          return id;
        }
      };
    }
  }

  @Test
  void aRegistryThatThrowsOneSharedExceptionNeverGrowsItPerEvent() throws IOException {
    IllegalStateException shared = new IllegalStateException("registry down");
    // Only a failed fallback is delivered to the meters as an event (a counter per trigger).
    Fallback<String> fallback =
        Fallback.of(
            "pricing",
            FallbackConfig.<String>builder()
                .exceptionFallback(
                    e -> {
                      throw new IllegalArgumentException("no cached price");
                    })
                .build());
    FallbackMetrics metrics = FallbackMetrics.of(fallback);
    metrics.bindTo(new ThrowingRegistry(() -> shared)); // first: its exception is rethrown
    metrics.bindTo(new ThrowingRegistry(() -> new IllegalStateException("another registry")));
    for (int i = 0; i < 10_000; i++) {
      assertThatThrownBy(() -> fallback.apply(() -> fail()))
          .hasMessage("no cached price"); // the caller's outcome, whatever the meters do
    }
    assertThat(shared.getSuppressed()).hasSize(Binder.MAX_SUPPRESSED);
    assertThat(fallback.stats().fallbackFailures()).isEqualTo(10_000);
  }

  private static String fail() throws IOException {
    throw new IOException("down");
  }
}
