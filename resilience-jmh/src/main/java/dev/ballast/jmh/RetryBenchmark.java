package dev.ballast.jmh;

import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryConfig;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

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
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class RetryBenchmark {

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

  /** What the call returns; read on every call. */
  private final Object result = new Object();

  /** The call as the benchmark makes it, built in {@link #setUp()}. */
  @SuppressWarnings("NullAway.Init")
  private Supplier<Object> guarded;

  /** Builds the retry and the guarded call for this trial. */
  @Setup
  public void setUp() {
    Supplier<Object> call = () -> result;
    guarded = impl.guard(call);
  }

  /**
   * One thread calls through the retry.
   *
   * @return what the call returned
   */
  @Benchmark
  @Threads(1)
  public Object oneThread() {
    return guarded.get();
  }

  /**
   * Two threads call through the same retry.
   *
   * @return what the call returned
   */
  @Benchmark
  @Threads(2)
  public Object twoThreads() {
    return guarded.get();
  }
}
