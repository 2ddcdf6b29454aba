package dev.ballast.jmh;

import dev.ballast.Scheduler;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutConfig;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 * A timeout around a call that finishes in time, the path almost every call takes: Ballast's {@link
 * Timeout} against Failsafe's and Resilience4j's, and the call without a timeout as the floor.
 *
 * <p>Sync ({@link Sync}, methods {@code sync*}): the call runs on the caller's thread and returns a
 * field, under a 1 s timeout. Ballast runs in {@link Timeout.Mode#INTERRUPT} mode on a timer wheel
 * of its own ({@link Scheduler#timerWheel(String)}), so each call schedules a timer and cancels it;
 * Failsafe's {@code Timeout.of(1 s)} runs through a pre-built {@code FailsafeExecutor}.
 * Resilience4j has no timeout for a call on the caller's thread, so it is in the async rows only.
 *
 * <p>Async ({@link Async}, methods {@code async*}): the call returns a new {@link
 * CompletableFuture} that a helper thread completes, under a 1 s timeout, and the benchmark waits
 * for the timed stage and joins it: a round trip through another thread, which is most of the cost.
 * To keep that round trip short and steady, so that what differs between rows is the timeout, the
 * helper polls its queue and the caller polls the stage, both yielding the CPU between polls
 * instead of parking (a parked thread's wake-up on a virtual machine costs tens of microseconds and
 * varies with whatever else runs; spinning without yielding starved the timers' threads on two
 * cores and was slower still). Ballast's {@code callAsync} on its own wheel; Resilience4j's {@code
 * TimeLimiter.executeCompletionStage} on a one-thread {@link ScheduledExecutorService}; Failsafe's
 * {@code getStageAsync} with its default scheduler; the bare round trip as the floor.
 *
 * <p>One timeout per trial is shared by every benchmark thread, as one timeout guards one
 * integration point for a whole process. Everything a call needs is built once per trial.
 *
 * <p>Thread-safety: JMH creates one instance of each state per trial and calls its setup before,
 * and its tear-down after, the benchmark threads run; the benchmark methods are called from every
 * benchmark thread concurrently, and are as thread-safe as the timeout under test.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class TimeoutBenchmark {

  /** The row {@link Suite} divides every time by, in the sync and the async rows alike. */
  static final String BASELINE = "BALLAST";

  /** The rivals {@link Suite} compares to the baseline under the table. */
  static final List<String> RIVALS = List.of("R4J_TIME_LIMITER", "FAILSAFE");

  private static final Duration LIMIT = Duration.ofSeconds(1);

  /** A guarded call and what it holds, built once per trial. */
  interface Guarded {
    /** Makes one call through the timeout; returns what it returned. */
    Object call();

    /** Releases the threads the trial started. */
    default void close() {}
  }

  /** The sync implementations compared. */
  public enum SyncImpl {
    /** The bare call, no timeout: the floor. */
    BARE {
      @Override
      Guarded create(Supplier<Object> call) {
        return call::get;
      }
    },
    /** Ballast, interrupt mode, 1 s, on a timer wheel of its own, through {@code get}. */
    BALLAST {
      @Override
      Guarded create(Supplier<Object> call) {
        Scheduler wheel = Scheduler.timerWheel("jmh-timeout");
        Timeout timeout =
            Timeout.of(
                "jmh",
                TimeoutConfig.builder(LIMIT).mode(Timeout.Mode.INTERRUPT).scheduler(wheel).build());
        return new Guarded() {
          @Override
          public Object call() {
            return timeout.get(call);
          }

          @Override
          public void close() {
            timeout.close();
            wheel.close();
          }
        };
      }
    },
    /** Failsafe {@code Timeout.of(1 s)} through a pre-built executor, on the caller's thread. */
    FAILSAFE {
      @Override
      Guarded create(Supplier<Object> call) {
        FailsafeExecutor<Object> executor = Failsafe.with(dev.failsafe.Timeout.<Object>of(LIMIT));
        CheckedSupplier<Object> checked = call::get;
        return () -> executor.get(checked);
      }
    };

    /** Returns {@code call} under this implementation's timeout, built now. */
    abstract Guarded create(Supplier<Object> call);
  }

  /** The async implementations compared; each joins the stage it gets. */
  public enum AsyncImpl {
    /** The round trip through the helper thread, no timeout: the floor. */
    BARE {
      @Override
      Guarded create(Supplier<CompletableFuture<Object>> call) {
        return () -> await(call.get());
      }
    },
    /** Ballast {@code callAsync}, 1 s, on a timer wheel of its own. */
    BALLAST {
      @Override
      Guarded create(Supplier<CompletableFuture<Object>> call) {
        Scheduler wheel = Scheduler.timerWheel("jmh-timeout-async");
        Timeout timeout = Timeout.of("jmh", TimeoutConfig.builder(LIMIT).scheduler(wheel).build());
        return new Guarded() {
          @Override
          public Object call() {
            return await(timeout.callAsync(call));
          }

          @Override
          public void close() {
            timeout.close();
            wheel.close();
          }
        };
      }
    },
    /**
     * Resilience4j {@code TimeLimiter} of 1 s (cancelling the running future, its default), {@code
     * executeCompletionStage} on a one-thread scheduled executor.
     */
    R4J_TIME_LIMITER {
      @Override
      Guarded create(Supplier<CompletableFuture<Object>> call) {
        TimeLimiter limiter =
            TimeLimiter.of("jmh", TimeLimiterConfig.custom().timeoutDuration(LIMIT).build());
        ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(daemon("jmh-r4j-time-limiter"));
        return new Guarded() {
          @Override
          public Object call() {
            return await(limiter.executeCompletionStage(scheduler, call));
          }

          @Override
          public void close() {
            scheduler.shutdownNow();
          }
        };
      }
    },
    /**
     * Failsafe {@code Timeout.of(1 s)}, {@code getStageAsync} with Failsafe's default scheduler.
     */
    FAILSAFE {
      @Override
      Guarded create(Supplier<CompletableFuture<Object>> call) {
        FailsafeExecutor<Object> executor = Failsafe.with(dev.failsafe.Timeout.<Object>of(LIMIT));
        CheckedSupplier<CompletionStage<Object>> checked = call::get;
        return () -> await(executor.getStageAsync(checked));
      }
    };

    /** Returns {@code call} under this implementation's timeout, built now. */
    abstract Guarded create(Supplier<CompletableFuture<Object>> call);
  }

  /** The sync trial: one timeout shared by the benchmark threads. */
  @State(Scope.Benchmark)
  public static class Sync {
    /** The implementation under test; JMH runs every constant. */
    @Param public SyncImpl impl = SyncImpl.BARE;

    private final Object result = new Object();

    @SuppressWarnings("NullAway.Init") // set in setUp()
    private Guarded guarded;

    /** Builds the timeout and the guarded call. */
    @Setup(Level.Trial)
    public void setUp() {
      Supplier<Object> call = () -> result;
      guarded = impl.create(call);
    }

    /** Stops the timeout's threads. */
    @TearDown(Level.Trial)
    public void tearDown() {
      guarded.close();
    }
  }

  /** The async trial: one timeout and one helper thread shared by the benchmark threads. */
  @State(Scope.Benchmark)
  public static class Async {
    /** The implementation under test; JMH runs every constant. */
    @Param public AsyncImpl impl = AsyncImpl.BARE;

    private final Object result = new Object();

    @SuppressWarnings("NullAway.Init") // set in setUp()
    private Completer helper;

    @SuppressWarnings("NullAway.Init") // set in setUp()
    private Guarded guarded;

    /** Starts the helper thread, builds the timeout and the guarded call. */
    @Setup(Level.Trial)
    public void setUp() {
      Completer completer = new Completer("jmh-async-helper", result);
      helper = completer;
      guarded = impl.create(completer::start);
    }

    /** Stops the timeout's threads and the helper thread. */
    @TearDown(Level.Trial)
    public void tearDown() {
      guarded.close();
      helper.close();
    }
  }

  /**
   * One thread calls through the timeout.
   *
   * @param state the trial
   * @return what the call returned
   */
  @Benchmark
  @Threads(1)
  public Object syncOneThread(Sync state) {
    return state.guarded.call();
  }

  /**
   * Two threads call through the same timeout.
   *
   * @param state the trial
   * @return what the call returned
   */
  @Benchmark
  @Threads(2)
  public Object syncTwoThreads(Sync state) {
    return state.guarded.call();
  }

  /**
   * One thread makes an async call through the timeout and joins it.
   *
   * @param state the trial
   * @return what the call returned
   */
  @Benchmark
  @Threads(1)
  public Object asyncOneThread(Async state) {
    return state.guarded.call();
  }

  /**
   * Two threads make async calls through the same timeout and join them.
   *
   * @param state the trial
   * @return what the call returned
   */
  @Benchmark
  @Threads(2)
  public Object asyncTwoThreads(Async state) {
    return state.guarded.call();
  }

  /** Waits for {@code stage} to complete, yielding the CPU between polls, and joins it. */
  @SuppressWarnings("ThreadPriorityCheck") // yielding instead of parking is the point here
  static Object await(CompletionStage<Object> stage) {
    CompletableFuture<Object> future = stage.toCompletableFuture();
    while (!future.isDone()) {
      Thread.yield();
    }
    return future.join();
  }

  /**
   * A helper thread that completes the futures it is given with one value, in order, polling its
   * queue and yielding the CPU while it is empty. Thread-safe; {@link #close()} stops the thread.
   */
  static final class Completer implements AutoCloseable {
    private final ConcurrentLinkedQueue<CompletableFuture<Object>> queue =
        new ConcurrentLinkedQueue<>();
    private final Object value;
    private final Thread thread;
    private volatile boolean running = true;

    Completer(String name, Object value) {
      this.value = value;
      this.thread = new Thread(this::loop, name);
      thread.setDaemon(true);
      thread.start();
    }

    /** Returns a new future that the helper thread will complete. */
    CompletableFuture<Object> start() {
      CompletableFuture<Object> future = new CompletableFuture<>();
      queue.add(future);
      return future;
    }

    @SuppressWarnings("ThreadPriorityCheck") // yielding instead of parking is the point here
    private void loop() {
      while (running) {
        CompletableFuture<Object> next = queue.poll();
        if (next == null) {
          Thread.yield();
        } else {
          next.complete(value);
        }
      }
    }

    @Override
    public void close() {
      running = false;
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
