package dev.ballast.jmh;

import dev.ballast.Gate;
import dev.ballast.ratelimiter.RateLimiter;
import dev.ballast.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Param;

/**
 * A rate limiter under its limit: a non-blocking try for one permit, then the call. Ballast's
 * {@code RateLimiter} against Resilience4j's {@code RateLimiter} (its default {@code
 * AtomicRateLimiter}, {@code acquirePermission()} with a zero timeout) and Failsafe's bursty {@code
 * RateLimiter} ({@code tryAcquirePermit()}), and the bare call as the floor. Every limit is a
 * billion permits a second, which no benchmark thread reaches, so no call is refused or waits.
 * Every limiter but {@code BALLAST_COARSE} reads the system clock once a call ({@code
 * System.nanoTime}), so the clock's cost is part of those rows; {@code BALLAST_COARSE} reads a
 * reading the shared timer refreshes every millisecond.
 *
 * <p>Thread-safety: JMH creates one instance per trial and calls {@link #setUp()} before any
 * benchmark thread starts; the benchmark methods are then called from every benchmark thread
 * concurrently, and are as thread-safe as the limiter under test.
 */
public class RateLimiterBenchmark extends GuardedCallBenchmark {

  /** The row {@link Suite} divides every time by: Ballast's limiter, {@code tryAcquire}. */
  static final String BASELINE = "BALLAST";

  /** The rivals {@link Suite} compares to the baseline under the table. */
  static final List<String> RIVALS = List.of("R4J", "FAILSAFE");

  private static final int LIMIT = 1_000_000_000;

  /** The implementations compared; each builds its guarded call once per trial. */
  public enum Impl {
    /** The bare call, no limiter: the floor. */
    BARE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return call;
      }
    },
    /** Ballast, through the non-throwing {@code tryAcquire} (a spent permit needs no release). */
    BALLAST {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        RateLimiter limiter = ballast();
        return () -> {
          if (limiter.tryAcquire() == Gate.REFUSED) {
            throw new IllegalStateException("a rate limiter under its limit refused");
          }
          return call.get();
        };
      }
    },
    /**
     * Ballast with {@code clockResolution(1 ms)}: a call reads the shared timer's reading of the
     * clock instead of the clock, {@code tryAcquire}.
     */
    BALLAST_COARSE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        RateLimiter limiter =
            RateLimiter.of(
                "bench-coarse",
                RateLimiterConfig.builder()
                    .limitForPeriod(LIMIT)
                    .period(Duration.ofSeconds(1))
                    .clockResolution(Duration.ofMillis(1))
                    .build());
        return () -> {
          if (limiter.tryAcquire() == Gate.REFUSED) {
            throw new IllegalStateException("a rate limiter under its limit refused");
          }
          return call.get();
        };
      }
    },
    /** Ballast, through {@code decorate} (the permit protocol, whose completions do nothing). */
    BALLAST_DECORATE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return ballast().decorate(call);
      }
    },
    /** Resilience4j's rate limiter: {@code acquirePermission()} with a zero timeout. */
    R4J {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        io.github.resilience4j.ratelimiter.RateLimiter limiter =
            RateLimiterRegistry.of(
                    io.github.resilience4j.ratelimiter.RateLimiterConfig.custom()
                        .limitForPeriod(LIMIT)
                        .limitRefreshPeriod(Duration.ofSeconds(1))
                        .timeoutDuration(Duration.ZERO)
                        .build())
                .rateLimiter("bench");
        return () -> {
          if (!limiter.acquirePermission()) {
            throw new IllegalStateException("a rate limiter under its limit refused");
          }
          return call.get();
        };
      }
    },
    /** Failsafe's bursty rate limiter: {@code tryAcquirePermit()}. */
    FAILSAFE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        dev.failsafe.RateLimiter<Object> limiter =
            dev.failsafe.RateLimiter.burstyBuilder(LIMIT, Duration.ofSeconds(1)).build();
        return () -> {
          if (!limiter.tryAcquirePermit()) {
            throw new IllegalStateException("a rate limiter under its limit refused");
          }
          return call.get();
        };
      }
    };

    /** Returns {@code call} guarded by this implementation's limiter, built now. */
    abstract Supplier<Object> guard(Supplier<Object> call);
  }

  /** The implementation under test; JMH runs every constant. */
  @Param public Impl impl = Impl.BARE;

  @Override
  Supplier<Object> guard(Supplier<Object> call) {
    return impl.guard(call);
  }

  static RateLimiter ballast() {
    return RateLimiter.of(
        "bench",
        RateLimiterConfig.builder().limitForPeriod(LIMIT).period(Duration.ofSeconds(1)).build());
  }
}
