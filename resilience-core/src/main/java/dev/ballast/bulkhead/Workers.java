package dev.ballast.bulkhead;

import dev.ballast.Ticker;
import dev.ballast.internal.ThrottledLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The pool of a {@link ThreadPoolBulkhead}: its threads, its bounded queue, and closing. Package-
 * private.
 *
 * <p>Thread-safe: every decision is taken under one {@link ReentrantLock} (never {@code
 * synchronized}, so virtual threads do not pin); running a task, waking a thread and delivering an
 * outcome happen outside it.
 */
final class Workers {

  /*
   * Implementation notes.
   *
   * Why not ThreadPoolExecutor: it queues before it grows (a task waits while the pool could start
   * a thread), and it hands work through the queue, so a task can be refused while a thread is
   * idle but has not yet taken from the queue (Resilience4j's ThreadPoolBulkhead rejects spuriously
   * for this reason). Here a submitter decides, under the lock, in this order: hand the task to an
   * idle thread (the one idle most recently: LIFO, so that surplus threads age out); else start a
   * thread, if fewer than maxThreads are alive; else queue it, if fewer than queueCapacity wait;
   * else refuse. So a task is refused only when every thread that may exist holds a task and the
   * queue is full. Invariant: the queue is non-empty only when no thread is idle.
   *
   * A worker that finishes a task first takes the next one (or goes idle, or leaves when closing)
   * under the lock, and only then completes the caller's stage. So a caller who sees its stage
   * complete and submits again finds the thread free; and the callbacks the caller attached to the
   * stage, which run on the worker while it completes the stage, delay only this thread's next
   * task, never the pool's admission. An idle worker waits for a hand-off (`handed`, written under
   * the lock, read by the worker without it) by parking until its keep-alive deadline; a submitter
   * that hands it a task unparks it after unlocking (a permit given before the park is kept, so no
   * wake-up is lost). A worker whose keep-alive runs out, or that sees `closing`, takes the lock,
   * runs a task handed to it meanwhile if there is one, else leaves the idle stack and retires.
   *
   * The queue is an intrusive doubly-linked list of PoolTasks: append, poll and remove are O(1),
   * so a caller who gives up removes its task at once, and the queue never holds a dead task.
   *
   * close(): `closing` refuses new tasks and makes idle workers retire; `cancelling` (CANCEL mode,
   * or DRAIN once closeTimeout has passed) drops every queued task and interrupts running ones.
   * The closer then waits on `allGone` until no worker is alive (a worker that calls close does not
   * wait for itself). A busy worker that finds the queue empty while closing leaves the pool only
   * after it has delivered its last outcome, so close() never returns before a drained task's
   * stage is complete.
   */

  private final WorkerThreads threads;
  private final ThrottledLog log;
  private int maxThreads; // under the lock; retune() changes the three
  private int queueCapacity; // under the lock
  private volatile long keepAliveNanos; // read by idle workers without the lock
  private final Ticker ticker = Ticker.system();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition allGone = lock.newCondition();
  private final ArrayDeque<Worker> idle = new ArrayDeque<>();
  private final Set<Worker> live = new HashSet<>();
  private @Nullable PoolTask<?> head;
  private @Nullable PoolTask<?> tail;
  private int queued;
  private int active;
  private volatile boolean closing; // written under the lock; idle workers read it without
  private volatile boolean cancelling;

  /** What {@link #offer} decided. */
  enum Admission {
    ADMITTED,
    FULL,
    CLOSED
  }

  Workers(String name, ThreadPoolBulkheadConfig config, ThrottledLog log) {
    this.log = log;
    this.threads = new WorkerThreads(name, config.virtualThreads());
    this.maxThreads = config.maxThreads();
    this.queueCapacity = config.queueCapacity();
    this.keepAliveNanos = config.keepAlive().toNanos();
  }

  /** Hands the task to an idle thread, a new thread or the queue, or refuses it. */
  /**
   * New limits (ThreadPoolBulkhead.reconfigure): every queued and running task stays. A higher
   * {@code maxThreads} starts threads for queued tasks at once; threads above a lower one leave
   * when they next run out of work; a lower {@code queueCapacity} keeps the tasks over it and turns
   * new ones away until enough start; a worker already idle keeps the keep-alive it began.
   */
  void retune(ThreadPoolBulkheadConfig config) {
    List<Worker> started = new ArrayList<>();
    List<PoolTask<?>> firsts = new ArrayList<>();
    lock.lock();
    try {
      maxThreads = config.maxThreads();
      queueCapacity = config.queueCapacity();
      keepAliveNanos = config.keepAlive().toNanos();
      PoolTask<?> t;
      while (!closing && live.size() < maxThreads && (t = poll()) != null) {
        Worker w = new Worker(t);
        live.add(w);
        active++;
        started.add(w);
        firsts.add(t);
      }
    } finally {
      lock.unlock();
    }
    for (int i = 0; i < started.size(); i++) {
      start(started.get(i), firsts.get(i));
    }
  }

  Admission offer(PoolTask<?> task) {
    Worker handTo = null;
    Worker started = null;
    lock.lock();
    try {
      if (closing) {
        return Admission.CLOSED;
      }
      if (!idle.isEmpty()) {
        handTo = idle.pop();
        handTo.handed = task;
        active++;
      } else if (live.size() < maxThreads) {
        started = new Worker(task);
        live.add(started);
        active++;
      } else if (queued < queueCapacity) {
        link(task);
      } else {
        return Admission.FULL;
      }
    } finally {
      lock.unlock();
    }
    if (handTo != null) {
      LockSupport.unpark(handTo.thread);
    } else if (started != null) {
      start(started, task);
    }
    return Admission.ADMITTED;
  }

  private void start(Worker w, PoolTask<?> first) {
    try {
      Thread t = threads.create(w);
      w.thread = t;
      t.start();
    } catch (Throwable e) { // no thread to be had (out of native threads): the task cannot run
      lock.lock();
      try {
        active--;
        retire(w);
      } finally {
        lock.unlock();
      }
      first.failToStart(e);
    }
  }

  /** Removes a queued task, if it is still in the queue. */
  void unlink(PoolTask<?> t) {
    lock.lock();
    try {
      if (!t.linked) {
        return;
      }
      PoolTask<?> p = t.prev;
      PoolTask<?> n = t.next;
      if (p == null) {
        head = n;
      } else {
        p.next = n;
      }
      if (n == null) {
        tail = p;
      } else {
        n.prev = p;
      }
      t.prev = null;
      t.next = null;
      t.linked = false;
      queued--;
    } finally {
      lock.unlock();
    }
  }

  private void link(PoolTask<?> t) {
    t.prev = tail;
    t.linked = true;
    if (tail == null) {
      head = t;
    } else {
      tail.next = t;
    }
    tail = t;
    queued++;
  }

  private @Nullable PoolTask<?> poll() {
    PoolTask<?> t = head;
    if (t != null) {
      head = t.next;
      if (head == null) {
        tail = null;
      } else {
        head.prev = null;
      }
      t.next = null;
      t.linked = false;
      queued--;
    }
    return t;
  }

  /** Under the lock: the worker leaves the pool. */
  private void retire(Worker w) {
    w.retired = true;
    live.remove(w);
    if (live.isEmpty()) {
      allGone.signalAll();
    }
  }

  /** {@code [threads, activeThreads, queued]}, read together. */
  int[] figures() {
    lock.lock();
    try {
      return new int[] {live.size(), active, queued};
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refuses new tasks, cancels or drains the admitted ones, and waits up to {@code timeoutNanos}
   * for every thread to end. Returns the names of threads still alive then.
   */
  List<String> close(boolean cancel, long timeoutNanos) {
    lock.lock();
    try {
      closing = true;
    } finally {
      lock.unlock();
    }
    if (cancel) {
      cancelAll();
    } else {
      wakeIdle();
    }
    long deadline = ticker.read() + timeoutNanos;
    List<String> left = await(deadline);
    if (!left.isEmpty() && !cancel) {
      cancelAll(); // DRAIN ran out of time: what remains is cancelled, as in CANCEL mode
      left = await(ticker.read());
    }
    return left;
  }

  private void cancelAll() {
    List<PoolTask<?>> dropped = new ArrayList<>();
    List<PoolTask<?>> running = new ArrayList<>();
    lock.lock();
    try {
      cancelling = true;
      for (PoolTask<?> t = poll(); t != null; t = poll()) {
        dropped.add(t);
      }
      for (Worker w : live) {
        PoolTask<?> c = w.current;
        if (c != null) {
          running.add(c);
        }
      }
    } finally {
      lock.unlock();
    }
    wakeIdle();
    for (PoolTask<?> t : dropped) {
      t.cancelByClose();
    }
    for (PoolTask<?> t : running) {
      t.cancelByClose(); // handed but not started yet
      t.interruptRunning();
    }
  }

  private void wakeIdle() {
    List<Worker> sleeping;
    lock.lock();
    try {
      sleeping = new ArrayList<>(idle);
    } finally {
      lock.unlock();
    }
    for (Worker w : sleeping) {
      LockSupport.unpark(w.thread);
    }
  }

  /** Waits until no worker but the caller is alive, or the deadline; returns those still alive. */
  private List<String> await(long deadline) {
    Thread self = Thread.currentThread();
    lock.lock();
    try {
      while (true) {
        List<String> left = new ArrayList<>();
        for (Worker w : live) {
          if (w.thread != self) {
            left.add(w.thread == null ? "(starting)" : w.thread.getName());
          }
        }
        long remaining = deadline - ticker.read();
        if (left.isEmpty() || remaining <= 0) {
          return left;
        }
        long unused = allGone.awaitNanos(remaining);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the closer stops waiting; the flag says why
      return List.of("(the closing thread was interrupted while waiting)");
    } finally {
      lock.unlock();
    }
  }

  /** One thread of the pool. */
  private final class Worker implements Runnable {
    // Guarded by the lock, but for `thread` (written before start), `current` and `handed`.
    @Nullable Thread thread;

    /**
     * Written by a submitter under the lock, only while this worker is on the idle stack; read and
     * cleared by the worker without the lock (it is off the stack then, so nobody writes it).
     */
    volatile @Nullable PoolTask<?> handed;

    volatile @Nullable PoolTask<?> current;
    boolean retired;
    private boolean leaving; // only its own thread reads and writes it
    private @Nullable PoolTask<?> first;

    Worker(PoolTask<?> first) {
      this.first = first;
    }

    @Override
    public void run() {
      PoolTask<?> task = first;
      first = null;
      try {
        while (task != null) {
          current = task;
          boolean unused = Thread.interrupted(); // a task starts with a clear flag
          if (cancelling) {
            task.cancelByClose();
          } else {
            task.runHere();
          }
          current = null;
          PoolTask<?> next = takeNextOrIdle();
          deliver(task);
          if (next == null && leaving) {
            break; // retires below, after its last delivery, so close() never returns before it
          }
          task = next != null ? next : awaitHandOff();
        }
      } finally {
        lock.lock();
        try {
          if (!retired) { // closing, or something above threw: leave the figures right
            idle.remove(this);
            retire(this);
          }
        } finally {
          lock.unlock();
        }
      }
    }

    /**
     * Completes the caller's stage, after this thread is free again (see the notes). What the
     * caller's callbacks throw out of it (CompletableFuture keeps all but the worst) is logged: the
     * stage is complete, so there is nobody else to tell, and the thread stays in the pool.
     */
    private void deliver(PoolTask<?> task) {
      try {
        task.deliver();
      } catch (Throwable t) {
        log.warn("a callback on a task's stage threw out of its completion; ignored", t);
      }
    }

    /** The next queued task; else this thread goes idle, or is marked leaving when closing. */
    private @Nullable PoolTask<?> takeNextOrIdle() {
      lock.lock();
      try {
        PoolTask<?> next = poll();
        if (next != null) {
          return next;
        }
        active--;
        if (closing || live.size() > maxThreads) { // closing, or over a lowered limit
          leaving = true; // not idle, so nothing can be handed to it now
        } else {
          idle.push(this);
        }
        return null;
      } finally {
        lock.unlock();
      }
    }

    /** Parks until handed a task; null when the keep-alive ran out or the pool closed. */
    private @Nullable PoolTask<?> awaitHandOff() {
      boolean unused = Thread.interrupted(); // a stray flag (a stage callback's) would spin park
      long deadline = ticker.read() + keepAliveNanos;
      while (true) {
        PoolTask<?> t = handed; // pairs with the submitter's write under the lock, then unpark
        if (t != null) {
          handed = null; // no submitter writes it again until this worker is idle again
          return t;
        }
        long remaining = deadline - ticker.read();
        if (closing || remaining <= 0) {
          lock.lock();
          try {
            t = handed; // handed just before the deadline or the close: run it
            if (t != null) {
              handed = null;
              return t;
            }
            idle.remove(this);
            retire(this);
            return null;
          } finally {
            lock.unlock();
          }
        }
        LockSupport.parkNanos(this, remaining);
      }
    }
  }
}
