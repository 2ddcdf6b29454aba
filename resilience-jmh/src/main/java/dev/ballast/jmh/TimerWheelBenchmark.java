package dev.ballast.jmh;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * The cost of scheduling a timer and cancelling it, the life of almost every timeout, with many
 * timers already pending: Ballast's hashed timer wheel against a {@link
 * ScheduledThreadPoolExecutor} that removes cancelled tasks (its binary heap makes both steps O(log
 * n); the wheel's should stay flat as {@link #pending} grows).
 *
 * <p>{@link #setUp()} fills the scheduler with {@link #pending} timers an hour away, so none fires
 * during the run; each benchmark call schedules one more an hour away and cancels it. The wheel's
 * thread ticks every millisecond while timers are pending (on a small machine it competes with the
 * benchmark thread); the executor's thread sleeps until the first timer is due.
 *
 * <p>Thread-safety: JMH creates one instance per trial, calls {@link #setUp()} before and {@link
 * #tearDown()} after the benchmark thread runs; the benchmark method is called from one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class TimerWheelBenchmark {

  /** The row {@link Suite} divides every time by, for each {@link #pending}: Ballast's wheel. */
  static final String BASELINE = "BALLAST_WHEEL";

  /** The rivals {@link Suite} compares to the baseline under the table. */
  static final List<String> RIVALS = List.of("SCHEDULED_THREAD_POOL");

  private static final long HOUR = TimeUnit.HOURS.toNanos(1);
  private static final Runnable TASK = new Noop();

  /** The schedulers compared; each makes its timers once per trial. */
  public enum Impl {
    /** Ballast's timer wheel, through the {@link Scheduler} seam the patterns use. */
    BALLAST_WHEEL {
      @Override
      Timers create() {
        Scheduler wheel = Scheduler.timerWheel("jmh");
        return new Timers() {
          @Override
          public boolean scheduleAndCancel(Runnable task, long delayNanos) {
            Cancellable c = wheel.schedule(task, delayNanos);
            return c.cancel();
          }

          @Override
          public void schedule(Runnable task, long delayNanos) {
            wheel.schedule(task, delayNanos);
          }

          @Override
          public void close() {
            wheel.close();
          }
        };
      }
    },
    /** One-thread {@link ScheduledThreadPoolExecutor}, removing cancelled tasks from its heap. */
    SCHEDULED_THREAD_POOL {
      @Override
      Timers create() {
        ScheduledThreadPoolExecutor executor =
            new ScheduledThreadPoolExecutor(
                1,
                r -> {
                  Thread t = new Thread(r, "jmh-scheduled-thread-pool");
                  t.setDaemon(true);
                  return t;
                });
        executor.setRemoveOnCancelPolicy(true);
        return new Timers() {
          @Override
          public boolean scheduleAndCancel(Runnable task, long delayNanos) {
            ScheduledFuture<?> f = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return f.cancel(false);
          }

          @Override
          public void schedule(Runnable task, long delayNanos) {
            ScheduledFuture<?> unused = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
          }

          @Override
          public void close() {
            executor.shutdownNow();
          }
        };
      }
    };

    /** Makes this implementation's scheduler, with its thread. */
    abstract Timers create();
  }

  /** The timers' task; never runs. */
  static final class Noop implements Runnable {
    @Override
    public void run() {}
  }

  /** What the benchmark needs of a scheduler. */
  interface Timers {
    /** Schedules {@code task} and cancels it at once; returns what the cancel returned. */
    boolean scheduleAndCancel(Runnable task, long delayNanos);

    /** Schedules {@code task}, for good. */
    void schedule(Runnable task, long delayNanos);

    /** Stops the scheduler's thread. */
    void close();
  }

  /** The scheduler under test; JMH runs every constant. */
  @Param public Impl impl = Impl.BALLAST_WHEEL;

  /** How many timers are pending while the benchmark schedules and cancels. */
  @Param({"1000", "100000", "1000000"})
  public int pending = 1000;

  @SuppressWarnings("NullAway.Init") // set in setUp()
  private Timers timers;

  /** Makes the scheduler and fills it with {@link #pending} timers an hour away. */
  @Setup(Level.Trial)
  public void setUp() {
    timers = impl.create();
    for (int i = 0; i < pending; i++) {
      timers.schedule(TASK, HOUR + i);
    }
  }

  /** Stops the scheduler. */
  @TearDown(Level.Trial)
  public void tearDown() {
    timers.close();
  }

  /**
   * Schedules a timer an hour away and cancels it.
   *
   * @return whether the cancel stopped it (always, unless the scheduler is broken)
   */
  @Benchmark
  @Threads(1)
  public boolean scheduleAndCancel() {
    return timers.scheduleAndCancel(TASK, HOUR);
  }
}
