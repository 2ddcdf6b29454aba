package dev.ballast.testkit;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import java.util.Comparator;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} in virtual time: its tasks run when its {@link ManualTicker} is advanced past
 * their time, in time order (first come first for equal times), on the thread that advances it;
 * {@link #sleep} advances the ticker instead of blocking. Give it to the component under test in
 * place of {@link Scheduler#shared()}, and every timeout, retry delay and wait runs without a
 * thread and without sleeping.
 *
 * <pre>{@code
 * ManualScheduler scheduler = new ManualScheduler();
 * scheduler.schedule(() -> fired.set(true), Duration.ofSeconds(1).toNanos());
 * scheduler.ticker().advance(Duration.ofSeconds(1));   // runs the task, on this thread
 * }</pre>
 *
 * <p>An advance stops at each due time in turn (see {@link ManualTicker}): a task sees the ticker
 * read its own due time, and a task it schedules runs within the same advance if it falls due
 * before the advance ends. A task scheduled with no delay runs on the next advance, which may be
 * {@code advance(Duration.ZERO)}. A task that throws is logged and the others still run, as on the
 * real wheel.
 *
 * <p>Thread-safe: tasks may be scheduled and cancelled from any thread, and the ticker advanced
 * from any thread; each task runs at most once. Cancelling removes the task at once.
 */
public final class ManualScheduler implements Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(ManualScheduler.class);

  private final ManualTicker ticker;
  private final ReentrantLock lock = new ReentrantLock();
  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(
          Comparator.<Task>comparingLong(t -> t.due).thenComparingLong(t -> t.sequence));
  private final Hook hook = new Hook();
  private long sequence; // guarded by lock
  private boolean closed; // guarded by lock

  /** Creates a scheduler on a new ticker that reads zero. */
  public ManualScheduler() {
    this(new ManualTicker());
  }

  /**
   * Creates a scheduler whose tasks run as {@code ticker} is advanced.
   *
   * @param ticker the virtual clock; several schedulers may share one
   */
  public ManualScheduler(ManualTicker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
    ticker.attach(hook);
  }

  /**
   * The virtual clock; advance it to run the tasks that come due.
   *
   * @return the ticker given at construction
   */
  @Override
  public ManualTicker ticker() {
    return ticker;
  }

  /**
   * Runs {@code task} once the ticker has advanced by {@code delayNanos} from now.
   *
   * @param task the task; an exception it throws is logged
   * @param delayNanos the delay, {@code >= 0}
   * @return a handle that cancels the task
   * @throws IllegalStateException when the scheduler is closed
   */
  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    Objects.requireNonNull(task, "task must not be null");
    checkDelay(delayNanos);
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("manual scheduler is closed");
      }
      long now = ticker.read();
      long due = now + delayNanos < now ? Long.MAX_VALUE : now + delayNanos;
      Task t = new Task(task, due, sequence++);
      queue.add(t);
      return t;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Advances the ticker by {@code delayNanos} on the calling thread, running the tasks that come
   * due meanwhile. Like {@link Thread#sleep}, it throws at once when the thread is interrupted
   * before or during the wait, for instance by a task that ran during the advance: the ticker then
   * stays at the time of the interrupt.
   *
   * @param delayNanos the wait, {@code >= 0}
   * @throws InterruptedException when the thread is interrupted; the flag is cleared
   */
  @Override
  public void sleep(long delayNanos) throws InterruptedException {
    checkDelay(delayNanos);
    long remaining = delayNanos;
    while (true) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      if (remaining == 0) {
        return;
      }
      long step = Math.min(remaining, hook.nanosToNextDue(ticker.read()));
      ticker.advanceNanos(step); // runs what falls due, on this thread
      remaining -= step;
    }
  }

  /**
   * The tasks scheduled and neither run, cancelled nor dropped.
   *
   * @return the number of pending tasks
   */
  public int pending() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Drops the pending tasks and detaches from the ticker; later {@link #schedule} calls throw
   * {@link IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      queue.clear();
    } finally {
      lock.unlock();
    }
    ticker.detach(hook);
  }

  private static void checkDelay(long delayNanos) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("delayNanos must be >= 0, was " + delayNanos);
    }
  }

  @Override
  public String toString() {
    return "ManualScheduler[" + ticker + ", pending=" + pending() + "]";
  }

  /** The ticker's view of this scheduler's queue. */
  private final class Hook implements ManualTicker.DueTasks {
    @Override
    public long nanosToNextDue(long now) {
      lock.lock();
      try {
        Task next = queue.peek();
        if (next == null) {
          return Long.MAX_VALUE;
        }
        if (next.due <= now) {
          return 0;
        }
        long distance = next.due - now;
        return distance < 0 ? Long.MAX_VALUE : distance; // overflowed: beyond any advance
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void runDue() {
      while (true) {
        Task next;
        lock.lock();
        try {
          next = queue.peek();
          if (next == null || next.due > ticker.read()) {
            return;
          }
          queue.poll();
        } finally {
          lock.unlock();
        }
        // Run outside the lock: a task may schedule, cancel, or advance the ticker itself.
        if (next.state.compareAndSet(Task.PENDING, Task.RAN)) {
          run(next.task);
        }
      }
    }
  }

  private static void run(Runnable task) {
    try {
      task.run();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (RuntimeException | Error e) {
      LOG.warn("scheduled task threw; ignored", e);
    }
  }

  /** One scheduled task, and its handle. */
  private final class Task implements Cancellable {
    static final int PENDING = 0;
    static final int RAN = 1;
    static final int CANCELLED = 2;

    final Runnable task;
    final long due;
    final long sequence;
    final AtomicInteger state = new AtomicInteger(PENDING);

    Task(Runnable task, long due, long sequence) {
      this.task = task;
      this.due = due;
      this.sequence = sequence;
    }

    @Override
    public boolean cancel() {
      if (!state.compareAndSet(PENDING, CANCELLED)) {
        return false;
      }
      lock.lock();
      try {
        queue.remove(this);
      } finally {
        lock.unlock();
      }
      return true;
    }

    @Override
    public String toString() {
      return "ManualScheduler.Task[due=" + due + ", state=" + state.get() + "]";
    }
  }
}
