package dev.ballast.testkit.harness;

import java.time.Duration;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The typed parameters of a {@link Misbehavior}: one record per shape of parameters, each with the
 * names its factory method gives them, so a behavior reads {@code status.retryAfter()} rather than
 * a slot shared by every kind. The factories in {@link Misbehavior} validate the values; the
 * records only hold them. Not API; immutable and thread-safe.
 */
sealed interface Parameters {
  /**
   * The increment of {@link SplittableRandom}'s own sequence: spaces the per-number seeds apart.
   */
  long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  /** A generator for the {@code number}-th connection or request, a pure function of both. */
  static SplittableRandom random(long seed, long number) {
    return new SplittableRandom(seed + number * GOLDEN_GAMMA);
  }

  /** No parameters: refuse, never accept, silence, never read, reset, no reply, wrong bodies. */
  enum None implements Parameters {
    NONE
  }

  /**
   * A number of bytes: written before closing ({@code tcpCloseAfterBytes}), announced and never
   * sent ({@code httpHeadersNoBody}), or streamed as a JSON body ({@code httpHugeBody}).
   */
  record ByteCount(long bytes) implements Parameters {}

  /** A wait: before closing ({@code tcpSlowClose}) or before answering ({@code httpSlowJson}). */
  record Pause(Duration delay) implements Parameters {}

  /**
   * A wait after accepting drawn uniformly from {@code [min, max]} by {@code seed} and the
   * connection's number; {@code min == max} is a fixed latency.
   */
  record Latency(Duration min, Duration max, long seed) implements Parameters {
    boolean fixed() {
      return min.equals(max);
    }

    /** The wait of the {@code number}-th connection. */
    Duration of(long number) {
      if (fixed()) {
        return min;
      }
      long spread = max.toNanos() - min.toNanos();
      return min.plusNanos(random(seed, number).nextLong(spread + 1));
    }
  }

  /** {@code bytesPerTick} bytes every {@code interval}, forever ({@code tcpDrip}). */
  record Drip(int bytesPerTick, Duration interval) implements Parameters {}

  /** A body of {@code totalBytes}, {@code bytesPerTick} of them every {@code interval}. */
  record DripBody(long totalBytes, int bytesPerTick, Duration interval) implements Parameters {}

  /** {@code bytes} random bytes drawn by {@code seed} and the connection's number. */
  record Garbage(long bytes, long seed) implements Parameters {
    /** The generator of the {@code number}-th connection's bytes. */
    SplittableRandom random(long number) {
      return Parameters.random(seed, number);
    }
  }

  /**
   * An HTTP status, and the wait a {@code Retry-After} header advertises, or null for no such
   * header.
   */
  record Status(int code, @Nullable Duration retryAfter) implements Parameters {}
}
