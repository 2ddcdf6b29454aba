package dev.ballast.jmh;

import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkheadConfig;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Submit-to-result latency of a thread pool with room: hand a trivial task to a pool of 4 threads
 * (queue 16) and wait for its result. Ballast's {@link ThreadPoolBulkhead} against a plain {@link
 * ThreadPoolExecutor} of the same size (core = max = 4, an {@link ArrayBlockingQueue} of 16: the
 * floor), Resilience4j's {@code ThreadPoolBulkhead} of the same size, and Failsafe (which has no
 * thread-pool bulkhead: its semaphore {@code Bulkhead} of 4 over the same executor, {@code
 * getAsync}). Most of the time is the round trip through another thread: waking an idle worker and
 * seeing its result. The caller polls the result, yielding between polls (as {@code
 * TimeoutBenchmark} does), so that what differs between rows is the pool's hand-off.
 *
 * <p>Thread-safety: JMH creates one instance of the state per trial and calls its setup before, and
 * its tear-down after, the benchmark threads run; the benchmark methods are called from every
 * benchmark thread concurrently, and are as thread-safe as the pool under test.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ThreadPoolBulkheadBenchmark {

  /** The row {@link Suite} divides every time by. */
  static final String BASELINE = "BALLAST";

  /** The rivals {@link Suite} compares to the baseline under the table. */
  static final List<String> RIVALS = List.of("EXECUTOR", "R4J", "FAILSAFE");

  private static final int THREADS = 4;
  private static final int QUEUE = 16;

  /** One pool under test: submit a task, wait for its result. */
  interface Pool {
    /** Runs {@code task} on the pool and returns its result. */
    Object roundTrip(Callable<Object> task) throws Exception;

    /** Stops the pool's threads. */
    void close();
  }

  /** The implementations compared; each builds its pool once per trial. */
  public enum Impl {
    /** Ballast's thread-pool bulkhead, {@code submit}. */
    BALLAST {
      @Override
      Pool create() {
        ThreadPoolBulkhead pool =
            ThreadPoolBulkhead.of(
                "jmh",
                ThreadPoolBulkheadConfig.builder()
                    .maxThreads(THREADS)
                    .queueCapacity(QUEUE)
                    .build());
        return new Pool() {
          @Override
          public Object roundTrip(Callable<Object> task) {
            return await(pool.submit(task).toCompletableFuture());
          }

          @Override
          public void close() {
            pool.close();
          }
        };
      }
    },
    /** A plain {@link ThreadPoolExecutor} of the same size, {@code submit}: the floor. */
    EXECUTOR {
      @Override
      Pool create() {
        ExecutorService executor = executor("jmh-executor");
        return new Pool() {
          @Override
          @SuppressWarnings("ThreadPriorityCheck") // yielding instead of parking is the point here
          public Object roundTrip(Callable<Object> task) throws Exception {
            Future<Object> f = executor.submit(task);
            while (!f.isDone()) {
              Thread.yield();
            }
            return f.get();
          }

          @Override
          public void close() {
            executor.shutdownNow();
          }
        };
      }
    },
    /** Resilience4j's {@code ThreadPoolBulkhead}, core = max = 4, queue 16, {@code submit}. */
    R4J {
      @Override
      Pool create() {
        io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig.Builder config =
            io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig.custom()
                .maxThreadPoolSize(THREADS)
                .coreThreadPoolSize(THREADS)
                .queueCapacity(QUEUE);
        io.github.resilience4j.bulkhead.ThreadPoolBulkhead pool =
            io.github.resilience4j.bulkhead.ThreadPoolBulkhead.of("jmh", config.build());
        return new Pool() {
          @Override
          public Object roundTrip(Callable<Object> task) {
            return await(pool.submit(task).toCompletableFuture());
          }

          @Override
          public void close() {
            try {
              pool.close();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        };
      }
    },
    /** Failsafe's semaphore {@code Bulkhead} of 4 over a 4-thread executor, {@code getAsync}. */
    FAILSAFE {
      @Override
      Pool create() {
        ExecutorService executor = executor("jmh-failsafe");
        FailsafeExecutor<Object> failsafe =
            Failsafe.with(dev.failsafe.Bulkhead.<Object>of(THREADS)).with(executor);
        return new Pool() {
          @Override
          public Object roundTrip(Callable<Object> task) {
            CheckedSupplier<Object> supplier = task::call;
            return await(failsafe.getAsync(supplier));
          }

          @Override
          public void close() {
            executor.shutdownNow();
          }
        };
      }
    };

    /** Builds this implementation's pool. */
    abstract Pool create();
  }

  /** The trial: one pool shared by the benchmark threads. */
  @State(Scope.Benchmark)
  public static class Trial {
    /** The implementation under test; JMH runs every constant. */
    @Param public Impl impl = Impl.BALLAST;

    private final Object result = new Object();
    private final Callable<Object> task = () -> result;

    @SuppressWarnings("NullAway.Init") // set in setUp()
    private Pool pool;

    /** Builds the pool. */
    @Setup(Level.Trial)
    public void setUp() {
      pool = impl.create();
    }

    /** Stops the pool's threads. */
    @TearDown(Level.Trial)
    public void tearDown() {
      pool.close();
    }
  }

  /**
   * One thread hands a task to the pool and waits for its result.
   *
   * @param trial the trial
   * @return the task's result
   * @throws Exception never: the task returns a field
   */
  @Benchmark
  @Threads(1)
  public Object oneThread(Trial trial) throws Exception {
    return trial.pool.roundTrip(trial.task);
  }

  /**
   * Two threads hand tasks to the same pool and wait for their results.
   *
   * @param trial the trial
   * @return the task's result
   * @throws Exception never: the task returns a field
   */
  @Benchmark
  @Threads(2)
  public Object twoThreads(Trial trial) throws Exception {
    return trial.pool.roundTrip(trial.task);
  }

  /** Waits for {@code future}, yielding the CPU between polls, and joins it. */
  @SuppressWarnings("ThreadPriorityCheck") // yielding instead of parking is the point here
  static Object await(CompletableFuture<Object> future) {
    while (!future.isDone()) {
      Thread.yield();
    }
    return future.join();
  }

  static ExecutorService executor(String name) {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(
        THREADS,
        THREADS,
        60,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE),
        r -> {
          Thread t = new Thread(r, name + "-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }
}
