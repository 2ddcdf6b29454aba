package dev.ballast.jmh;

import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryConfig;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import java.util.List;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Param;

/**
 * A retry whose first attempt succeeds, the path almost every call takes: Ballast's {@link Retry}
 * against Resilience4j's and Failsafe's, each allowing 3 attempts, and the bare call as the floor.
 *
 * <p>One retry per trial is shared by every benchmark thread. The call returns a field, and the
 * benchmark returns what the retry returned, so JMH consumes it. Everything the call needs is built
 * once in {@link #setUp()}.
 *
 * <p>Thread-safety: JMH creates one instance per trial and calls {@link #setUp()} before any
 * benchmark thread starts; the benchmark methods are then called from every benchmark thread
 * concurrently, and are as thread-safe as the retry under test.
 */
public class RetryBenchmark extends GuardedCallBenchmark {

  /** The row {@link Suite} divides every time by: Ballast's retry. */
  static final String BASELINE = "BALLAST";

  /** The rivals {@link Suite} compares to the baseline under the table. */
  static final List<String> RIVALS = List.of("R4J", "FAILSAFE");

  /** The implementations compared; each builds its guarded call once per trial. */
  public enum Impl {
    /** The bare call, no retry: the floor. */
    BARE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return call;
      }
    },
    /** Ballast, 3 attempts, otherwise the defaults, through {@code decorate}. */
    BALLAST {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return Retry.of("jmh", RetryConfig.builder().maxAttempts(3).build()).decorate(call);
      }
    },
    /** Resilience4j, 3 attempts, otherwise the defaults, {@code decorateSupplier}. */
    R4J {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        io.github.resilience4j.retry.Retry retry =
            io.github.resilience4j.retry.Retry.of(
                "jmh", io.github.resilience4j.retry.RetryConfig.custom().maxAttempts(3).build());
        return io.github.resilience4j.retry.Retry.decorateSupplier(retry, call);
      }
    },
    /** Failsafe {@code RetryPolicy} of 3 attempts through a pre-built executor. */
    FAILSAFE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        FailsafeExecutor<Object> executor =
            Failsafe.with(RetryPolicy.builder().withMaxAttempts(3).build());
        CheckedSupplier<Object> checked = call::get;
        return () -> executor.get(checked);
      }
    };

    /** Returns {@code call} under this implementation's retry, built now. */
    abstract Supplier<Object> guard(Supplier<Object> call);
  }

  /** The implementation under test; JMH runs every constant. */
  @Param public Impl impl = Impl.BARE;

  @Override
  Supplier<Object> guard(Supplier<Object> call) {
    return impl.guard(call);
  }
}
