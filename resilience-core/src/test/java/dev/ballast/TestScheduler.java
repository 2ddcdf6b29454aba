package dev.ballast;

import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A manual {@link Scheduler} for core's own tests: tasks run when the {@link TestTicker} is
 * advanced past their time, in time order, on the advancing thread; {@link #sleep} advances the
 * ticker instead of blocking.
 */
public final class TestScheduler implements Scheduler {
  private final TestTicker ticker;
  private final ReentrantLock lock = new ReentrantLock();
  private final PriorityQueue<Entry> queue = new PriorityQueue<>();
  private long sequence;
  private boolean closed;

  public TestScheduler(TestTicker ticker) {
    this.ticker = ticker;
    ticker.onAdvance(this::runDue);
  }

  /** One scheduled task. */
  private static final class Entry implements Comparable<Entry>, Cancellable {
    final long due;
    final long seq;
    final Runnable task;
    final AtomicBoolean done = new AtomicBoolean();

    Entry(long due, long seq, Runnable task) {
      this.due = due;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public int compareTo(Entry o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }

    @Override
    public boolean cancel() {
      return done.compareAndSet(false, true);
    }
  }

  @Override
  public Ticker ticker() {
    return ticker;
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("closed");
      }
      Entry e = new Entry(ticker.read() + delayNanos, sequence++, task);
      queue.add(e);
      return e;
    } finally {
      lock.unlock();
    }
  }

  /** Tasks scheduled and neither run nor cancelled. */
  public int pending() {
    lock.lock();
    try {
      return (int) queue.stream().filter(e -> !e.done.get()).count();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void sleep(long delayNanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    ticker.advanceNanos(delayNanos);
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      queue.clear();
    } finally {
      lock.unlock();
    }
  }

  /** Runs every task whose time has come, in time order, on this thread. */
  public void runDue() {
    while (true) {
      Entry next;
      lock.lock();
      try {
        next = queue.peek();
        if (next == null || next.due - ticker.read() > 0) {
          return;
        }
        queue.poll();
      } finally {
        lock.unlock();
      }
      if (next.done.compareAndSet(false, true)) {
        next.task.run();
      }
    }
  }
}
