package dev.ballast.jmh;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The shape of a benchmark of one guarded call: a subclass builds, once per trial, the call guarded
 * by the implementation under test ({@link #guard}), and JMH measures it from one thread and from
 * two threads sharing the one instance (one policy guards one integration point for a whole
 * process). The guarded call returns a field, and the benchmark returns what the guard returned, so
 * JMH consumes it; nothing is captured per call, so a measurement is the library's cost.
 *
 * <p>Thread-safety: JMH creates one instance per trial and calls {@link #setUp()} before any
 * benchmark thread starts; the benchmark methods are then called from every benchmark thread
 * concurrently, and are as thread-safe as the guard under test.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public abstract class GuardedCallBenchmark {

  /** What the guarded call returns; read on every call. */
  private final Object result = new Object();

  /** The call as the benchmark makes it, built in {@link #setUp()}. */
  @SuppressWarnings("NullAway.Init")
  private Supplier<Object> guarded;

  /**
   * Returns {@code call} guarded by the implementation this trial measures, built now.
   *
   * @param call the bare call
   * @return the guarded call
   */
  abstract Supplier<Object> guard(Supplier<Object> call);

  /** Builds the guarded call for this trial. */
  @Setup
  public void setUp() {
    Supplier<Object> call = () -> result;
    guarded = guard(call);
  }

  /**
   * One thread makes the guarded call.
   *
   * @return what the guarded call returned
   */
  @Benchmark
  @Threads(1)
  public Object oneThread() {
    return guarded.get();
  }

  /**
   * Two threads make the guarded call through the same instance.
   *
   * @return what the guarded call returned
   */
  @Benchmark
  @Threads(2)
  public Object twoThreads() {
    return guarded.get();
  }
}
