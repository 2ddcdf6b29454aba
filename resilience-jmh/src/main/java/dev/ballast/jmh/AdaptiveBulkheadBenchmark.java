package dev.ballast.jmh;

import dev.ballast.bulkhead.AdaptiveLimit;
import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Param;

/**
 * A bulkhead with an adaptive limit and room: acquire a permit, make the call, release it, the
 * controller taking its samples (one call in eight timed, the default) and evaluating a window of
 * 100 ms now and then. Against the same bulkhead with a fixed limit, and with every call timed, to
 * show what the clock costs. The limit starts at 25 and may only grow above (the minimum is 25), so
 * that no call is refused.
 *
 * <p>Thread-safety: JMH creates one instance per trial and calls {@link #setUp()} before any
 * benchmark thread starts; the benchmark methods are then called from every benchmark thread
 * concurrently, and are as thread-safe as the bulkhead under test.
 */
public class AdaptiveBulkheadBenchmark extends GuardedCallBenchmark {

  /** The row {@link Suite} divides every time by: the gradient, default sampling. */
  static final String BASELINE = "GRADIENT";

  /** The rows compared to the baseline under the table. */
  static final List<String> RIVALS = List.of("FIXED", "AIMD", "GRADIENT_EVERY_CALL");

  private static final int LIMIT = 25;

  /** The implementations compared; each builds its guarded call once per trial. */
  public enum Impl {
    /** Ballast's bulkhead with a fixed limit of 25: the floor. */
    FIXED {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return Bulkhead.of("bench", BulkheadConfig.builder().maxConcurrentCalls(LIMIT).build())
            .decorate(call);
      }
    },
    /** The gradient, one call in eight timed. */
    GRADIENT {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return adaptive(AdaptiveLimit.gradient(), 8).decorate(call);
      }
    },
    /** AIMD, one call in eight timed. */
    AIMD {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return adaptive(AdaptiveLimit.aimd(), 8).decorate(call);
      }
    },
    /** The gradient, every call timed: two clock reads per call. */
    GRADIENT_EVERY_CALL {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return adaptive(AdaptiveLimit.gradient(), 1).decorate(call);
      }
    };

    /** Returns {@code call} guarded by this implementation's bulkhead, built now. */
    abstract Supplier<Object> guard(Supplier<Object> call);
  }

  /** The implementation under test; JMH runs every constant. */
  @Param public Impl impl = Impl.GRADIENT;

  @Override
  Supplier<Object> guard(Supplier<Object> call) {
    return impl.guard(call);
  }

  static Bulkhead adaptive(AdaptiveLimit.Builder limit, int sampling) {
    return Bulkhead.of(
        "bench",
        BulkheadConfig.builder()
            .adaptiveLimit(
                limit
                    .initialLimit(LIMIT)
                    .minLimit(LIMIT)
                    .maxLimit(4 * LIMIT)
                    .window(Duration.ofMillis(100))
                    .sampling(sampling)
                    .build())
            .build());
  }
}
