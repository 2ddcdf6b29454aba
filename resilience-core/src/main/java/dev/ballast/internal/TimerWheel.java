package dev.ballast.internal;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import dev.ballast.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hashed timer wheel: a {@link Scheduler} with O(1) schedule and cancel, whose tasks run on one
 * named daemon thread ({@code ballast-timer-<name>}) with a resolution of one tick (1 ms by
 * default). Delays longer than a revolution of the wheel wait in their bucket for as many rounds as
 * they need. Not API: reach it through {@link Scheduler#timerWheel(String)}.
 *
 * <p>The thread starts on the first {@link #schedule}, parks between ticks, parks without a
 * deadline while nothing is pending, and stops on {@link #close()}. Tasks run on that thread, in
 * the order of their ticks; a task that throws is logged and the wheel carries on.
 *
 * <p>Thread-safe: any number of threads schedule and cancel without locks; a scheduled task costs
 * one small node, which is also its {@link Cancellable}. A cancelled task is unlinked within a
 * tick, so memory stays bounded by the tasks really pending, even when every task is cancelled (the
 * normal fate of a timeout).
 */
public final class TimerWheel implements DeadlineScheduler {

  /*
   * Implementation notes.
   *
   * Ordering vocabulary (as in JCTools): "release" pairs with a later "acquire" of the same
   * field by another thread; "plain" marks a field owned by one thread; CAS and getAndSet are
   * full (volatile) accesses.
   *
   * Roles. Many threads schedule and cancel; one thread, the driver, owns the buckets. The driver
   * is the wheel's own thread, or, for a wheel made by manual() (tests), whoever calls
   * advanceTo(). The buckets, `tick` and `pending` are touched by the driver alone.
   *
   * Nodes. A node (TimerNode) holds its task, its deadline (nanoseconds since `origin`, saturated) and three
   * links. Its whole life is the `task` field: the user's Runnable while pending, then CANCELLED
   * or EXPIRED, set once by CAS. Whoever wins that CAS decides: cancel() winning means the task
   * never runs; the driver winning EXPIRED means it runs exactly once, and a later cancel()
   * returns false. The CAS also drops the user's task, so a cancelled node retains nothing.
   *
   * Submission. schedule() pushes the node onto the TimerInbox: a Treiber stack per stripe of
   * threads, linked through `next` (the CAS publishes the node's fields; TimerInbox's notes say
   * why it is striped). The driver takes each stripe's stack at each tick, reverses it to
   * submission order, and links every node whose task is still live into bucket
   * ceil(deadline / tickNanos) & mask (or the current tick's bucket when that is already past).
   * From then on `next` and `prev` are bucket links: each bucket is a circular doubly linked list
   * through a sentinel, so a node is in a bucket exactly when its `prev` is non-null, and
   * unlinking is O(1).
   *
   * Cancellation. A cancel() that wins its CAS on `task` then reads `prev` (volatile). A node not
   * yet in a bucket (the fate of nearly every timeout: cancelled before the next tick) needs
   * nothing more: the next submission on its stripe drops it from the stack, or the driver finds
   * it CANCELLED when it takes the stack and drops it. A node in a bucket is pushed onto its
   * stripe's cancelled stack, linked through `link` (at most once, since only one CAS wins), and
   * the driver unlinks it at the next tick. The two sides form a Dekker
   * pair: the driver writes `prev` (volatile) and then re-reads `task` (volatile); the canceller
   * CASes `task` and then reads `prev`. So either the canceller sees the node placed and pushes
   * it, or the driver sees it cancelled and unlinks it at once (both may happen: unlinking a node
   * that left its bucket does nothing). Either way a cancelled node leaves the wheel's structures
   * within one tick of its cancel, and a cancel on a shared line happens only for the rare node
   * that outlived a tick.
   *
   * Expiry. Tick k expires the nodes of bucket k & mask whose deadline <= k * tickNanos. Others in
   * that bucket belong to a later round (their deadline is a whole number of revolutions away)
   * and stay; comparing the deadline replaces a rounds counter, so a node stays small. Nodes
   * never move between buckets. When more than a revolution has passed since the last tick (a
   * wheel that slept for an hour, idle or not), catchUp() expires what came due in one pass over
   * the buckets and runs it sorted by deadline (the only allocation the driver makes), so an hour
   * of ticks is never replayed. Within a revolution every tick is replayed, even when nothing was
   * pending: tasks submitted while the driver slept may have come due at different ticks, and
   * only replaying runs them in deadline order. The cost is one look at an empty bucket per tick,
   * at most a revolution's worth per wake.
   *
   * Parking. The thread parks until the next tick while anything is pending, and without a
   * deadline when nothing is. Going idle is a Dekker handshake: the driver CASes `state` RUNNING
   * -> IDLE and then reads `submitted`; schedule() CASes `submitted` and then reads `state`. Both
   * pairs are volatile accesses, so at least one side sees the other: either the driver finds
   * the new node and stays awake, or schedule() sees IDLE and unparks it (an extra unpark is
   * harmless).
   *
   * Interrupts. The thread clears its interrupt flag after each round of ticks: a task that
   * interrupted it (or anyone else) must not turn the parks into a spin. close() is the only stop.
   *
   * Closing. close() sets CLOSED, unparks the thread and joins it for at most JOIN_MILLIS. The
   * driver notices CLOSED between ticks and between tasks, unlinks every node (so a handle a user
   * still holds does not retain the rest of its bucket) and ends. Dropped tasks never run; their
   * cancel() still returns true, because it did stop them. A wheel whose thread ends for any
   * other reason is marked CLOSED first, so schedule() then fails loudly instead of accepting
   * tasks nobody will run.
   *
   * Memory. A node is 40 bytes with compressed references (header 12, deadline 8, five
   * references), which is the whole allocation of a schedule(). The inbox is a few hundred bytes
   * per stripe, made once per wheel.
   */

  private static final Logger LOG = LoggerFactory.getLogger(TimerWheel.class);

  /** The default tick: 1 ms. */
  static final long DEFAULT_TICK_NANOS = 1_000_000L;

  /** The default number of buckets: a revolution of 1.024 s at the default tick. */
  static final int DEFAULT_WHEEL_SIZE = 1024;

  /** The least tick {@link #of} accepts. */
  static final Duration MIN_TICK = Duration.ofNanos(100_000L);

  /** The largest tick {@link #of} accepts. */
  static final Duration MAX_TICK = Duration.ofSeconds(1);

  /** How long {@link #close()} waits for the thread to end. */
  static final long JOIN_MILLIS = 1_000L;

  /** The thread has not been started. */
  private static final int NEW = 0;

  /** The thread runs, or a manual wheel is open. */
  private static final int RUNNING = 1;

  /** The thread is parked without a deadline: nothing is pending. */
  private static final int IDLE = 2;

  /** Closed: no more tasks are accepted. */
  private static final int CLOSED = 3;

  /** The task of a cancelled node, and of bucket sentinels. */
  static final Runnable CANCELLED = () -> {};

  /** The task of a node that ran or is running. */
  static final Runnable EXPIRED = () -> {};

  private static final VarHandle STATE;
  private static final VarHandle PENDING;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(TimerWheel.class, "state", int.class);
      PENDING = lookup.findVarHandle(TimerWheel.class, "pending", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final Ticker ticker;
  private final ThrottledLog taskLog;
  private final long tickNanos;
  private final long origin;
  private final int mask;
  private final TimerNode[] buckets;
  private final @Nullable Thread thread;
  private final TimerInbox inbox = new TimerInbox();

  private volatile int state;

  /** The last tick expired; the driver's. */
  private long tick;

  /** Nodes in buckets; the driver's, published with release for {@link #pendingCount()}. */
  private int pending;

  private TimerWheel(String name, Ticker ticker, long tickNanos, int wheelSize, boolean threaded) {
    if (tickNanos < 1) {
      throw new IllegalArgumentException("tickNanos must be >= 1, was " + tickNanos);
    }
    if (wheelSize < 1 || Integer.bitCount(wheelSize) != 1) {
      throw new IllegalArgumentException("wheelSize must be a power of two, was " + wheelSize);
    }
    this.name = name;
    this.ticker = ticker;
    this.taskLog = new ThrottledLog(LOG, name, ticker);
    this.tickNanos = tickNanos;
    this.origin = ticker.read();
    this.mask = wheelSize - 1;
    this.buckets = new TimerNode[wheelSize];
    for (int i = 0; i < wheelSize; i++) {
      buckets[i] = TimerNode.sentinel(this);
    }
    if (threaded) {
      Thread t = new Thread(null, this::run, "ballast-timer-" + name, 0, false);
      t.setDaemon(true);
      // Not the context loader of whichever thread happened to schedule first.
      t.setContextClassLoader(TimerWheel.class.getClassLoader());
      this.thread = t;
      this.state = NEW;
    } else {
      this.thread = null;
      this.state = RUNNING;
    }
  }

  /**
   * Creates a wheel with its own thread, started on first use.
   *
   * @param name the wheel's name; its thread is {@code ballast-timer-<name>}
   * @param tick the resolution, from 100 µs to 1 s
   * @param ticker the clock that delays are measured on
   * @return the wheel
   */
  public static TimerWheel of(String name, Duration tick, Ticker ticker) {
    Preconditions.notBlank("name", name);
    Preconditions.notNull("ticker", ticker);
    Preconditions.notNull("tick", tick);
    if (tick.compareTo(MIN_TICK) < 0) {
      throw new IllegalArgumentException("tick must be >= " + MIN_TICK + ", was " + tick);
    }
    Preconditions.atMost("tick", tick, MAX_TICK);
    return new TimerWheel(name, ticker, tick.toNanos(), DEFAULT_WHEEL_SIZE, true);
  }

  /**
   * A wheel without a thread, for tests: it moves only when {@link #advanceTo} is called, and tasks
   * run on the thread that calls it.
   */
  static TimerWheel manual(Ticker ticker, long tickNanos, int wheelSize) {
    return new TimerWheel("manual", ticker, tickNanos, wheelSize, false);
  }

  /**
   * The wheel's name.
   *
   * @return the name given at creation
   */
  public String name() {
    return name;
  }

  @Override
  public Ticker ticker() {
    return ticker;
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    Preconditions.notNull("task", task);
    if (delayNanos < 0) {
      throw new IllegalArgumentException("delayNanos must be >= 0, was " + delayNanos);
    }
    long elapsed = ticker.read() - origin;
    return submit(
        task, delayNanos > Long.MAX_VALUE - elapsed ? Long.MAX_VALUE : elapsed + delayNanos);
  }

  /** {@inheritDoc} Reads no clock: the deadline is taken as given. */
  @Override
  public Cancellable scheduleAt(Runnable task, long deadline) {
    Preconditions.notNull("task", task);
    long sinceOrigin = deadline - origin; // wraps only for deadlines centuries away
    return submit(task, sinceOrigin < 0 ? 0L : sinceOrigin);
  }

  /** Submits a node due {@code sinceOrigin} nanoseconds after the origin. */
  private Cancellable submit(Runnable task, long sinceOrigin) {
    if (stateVolatile() == CLOSED) {
      throw new IllegalStateException("timer wheel " + name + " is closed");
    }
    TimerNode node = new TimerNode(this, task, sinceOrigin);
    inbox.submit(node);
    int s = stateVolatile(); // volatile: the Dekker pair of idle() (implementation notes)
    if (s != RUNNING) {
      wake(s);
    }
    return node;
  }

  private void wake(int s) {
    Thread t = thread;
    if (t == null) {
      return;
    }
    if (s == NEW) {
      if (STATE.compareAndSet(this, NEW, RUNNING)) {
        t.start();
      }
    } else if (s == IDLE) {
      LockSupport.unpark(t);
    }
  }

  /**
   * Parks the calling thread until {@code delayNanos} have passed on {@link #ticker()}. With a
   * ticker that does not follow real time, the thread re-reads it after parking for the time still
   * to wait, so it returns once the ticker has been advanced past the deadline.
   */
  @Override
  public void sleep(long delayNanos) throws InterruptedException {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("delayNanos must be >= 0, was " + delayNanos);
    }
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    long start = ticker.read();
    while (true) {
      long waited = ticker.read() - start;
      if (waited >= delayNanos) {
        return;
      }
      LockSupport.parkNanos(this, delayNanos - waited);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  /**
   * Stops the thread (waiting up to a second for a running task to end) and drops the tasks not yet
   * run. Idempotent; later {@link #schedule} calls throw {@link IllegalStateException}.
   */
  @Override
  public void close() {
    int previous = (int) STATE.getAndSet(this, CLOSED);
    if (previous == CLOSED) {
      return;
    }
    Thread t = thread;
    if (t == null || previous == NEW) {
      // A manual wheel is closed by its driver; an unstarted one has no driver.
      dropAll();
      return;
    }
    LockSupport.unpark(t);
    if (Thread.currentThread() == t) {
      return; // closed by one of its own tasks: the loop ends when the task returns
    }
    try {
      t.join(JOIN_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (t.isAlive()) {
      LOG.warn(
          "name={} timer thread still running {} ms after close; a task is blocking it",
          name,
          JOIN_MILLIS);
    }
  }

  /**
   * Tasks in the wheel's buckets, not yet run or unlinked. Tasks scheduled since the driver's last
   * tick are not counted yet.
   */
  int pendingCount() {
    return (int) PENDING.getAcquire(this); // acquire: pairs with setPendingRelease
  }

  /** Whether the driver has taken every submission and every cancellation handed to it. */
  boolean drained() {
    return inbox.empty(); // opaque: a test's snapshot
  }

  /** Whether a cancelled node waits for the driver to unlink it; a test's snapshot. */
  boolean retiredWaiting() {
    return inbox.cancelledOpaque();
  }

  /** The wheel's thread, or null for a manual wheel. */
  @Nullable Thread thread() {
    return thread;
  }

  /**
   * Expires every task due at or before {@code now}, tick by tick, on the calling thread. Only the
   * driver calls it: the wheel's own thread, or the test that owns a manual wheel.
   */
  void advanceTo(long now) {
    long target = (now - origin) / tickNanos;
    if (target - tick > buckets.length) {
      catchUp(target);
      return;
    }
    while (tick < target) {
      if (stateVolatile() == CLOSED) {
        return;
      }
      tick++;
      drainSubmitted();
      drainCancelled();
      expire(tick);
    }
  }

  /**
   * Expires, in one pass over the buckets, everything due by {@code target}: more than a revolution
   * has passed since the last tick (a long pause, or a test that jumps far), and replaying it tick
   * by tick would cost one step per tick instead of one per bucket. The due tasks run in the order
   * of their deadlines, as ticking would have run them.
   */
  private void catchUp(long target) {
    tick = target;
    drainSubmitted(); // overdue nodes land in the bucket of `target`
    drainCancelled();
    if (pending == 0) {
      return;
    }
    long limit = target * tickNanos;
    List<TimerNode> due = new ArrayList<>();
    for (TimerNode sentinel : buckets) {
      TimerNode node = sentinel.next;
      while (node != null && node != sentinel) {
        TimerNode next = node.next;
        if (node.deadline <= limit) {
          unlink(node);
          due.add(node);
        } else if (node.taskAcquire() == CANCELLED) {
          unlink(node);
        }
        node = next;
      }
    }
    due.sort(Comparator.comparingLong(n -> n.deadline)); // stable: bucket order among equals
    for (TimerNode node : due) {
      Runnable task = node.taskAcquire();
      if (task != CANCELLED && node.casTask(task, EXPIRED)) {
        runTask(task);
        if (stateVolatile() == CLOSED) {
          return;
        }
      }
    }
  }

  private void run() {
    try {
      while (stateVolatile() != CLOSED) {
        advanceTo(ticker.read());
        // Interrupts are not how this thread stops (close() is), and a flag left by a task would
        // make every park below return at once: the thread would spin.
        boolean ignored = Thread.interrupted();
        if (pending == 0 && !inbox.submittedOpaque()) { // opaque: idle() re-checks, volatile
          idle();
        } else {
          long untilNextTick = (tick + 1) * tickNanos - (ticker.read() - origin);
          if (untilNextTick > 0) {
            LockSupport.parkNanos(this, untilNextTick);
          }
        }
      }
    } catch (RuntimeException | Error e) {
      LOG.error("name={} timer thread failed; the wheel is closed", name, e);
      throw e;
    } finally {
      STATE.setVolatile(this, CLOSED);
      dropAll();
    }
  }

  /** Parks until a task is scheduled or the wheel is closed. */
  private void idle() {
    if (!STATE.compareAndSet(this, RUNNING, IDLE)) {
      return; // closed
    }
    if (inbox.submittedVolatile()) { // volatile: the Dekker pair of schedule()
      STATE.compareAndSet(this, IDLE, RUNNING);
      return;
    }
    drainCancelled(); // only nodes that never reached a bucket can be there: let them go
    LockSupport.park(this);
    STATE.compareAndSet(this, IDLE, RUNNING);
  }

  private void drainSubmitted() {
    for (int stripe = 0; stripe < inbox.stripes(); stripe++) {
      TimerNode stack = inbox.takeSubmitted(stripe);
      if (stack != null) {
        placeAll(stack);
      }
    }
  }

  /** Places one stripe's submissions, taken newest first, in the order they were made. */
  private void placeAll(TimerNode newestFirst) {
    TimerNode stack = newestFirst;
    TimerNode fifo = null;
    while (stack != null) {
      TimerNode older = stack.next;
      stack.next = fifo;
      fifo = stack;
      stack = older;
    }
    while (fifo != null) {
      TimerNode node = fifo;
      fifo = node.next;
      node.next = null;
      if (node.taskAcquire() != CANCELLED) {
        place(node); // publishes prev with a volatile write: the Dekker pair of cancel()
        if (node.taskVolatile() == CANCELLED) {
          unlink(node); // cancelled meanwhile; its canceller may not have seen it placed
        }
      }
    }
  }

  private void place(TimerNode node) {
    long due = node.deadline / tickNanos + (node.deadline % tickNanos == 0 ? 0 : 1);
    TimerNode sentinel = buckets[(int) (Math.max(due, tick) & mask)];
    TimerNode last = nonNull(sentinel.prev);
    node.next = sentinel;
    node.setPrevVolatile(last);
    last.next = node;
    sentinel.prev = node;
    setPendingRelease(pending + 1);
  }

  private void drainCancelled() {
    for (int stripe = 0; stripe < inbox.stripes(); stripe++) {
      TimerNode node = inbox.takeCancelled(stripe);
      while (node != null) {
        TimerNode next = node.link;
        node.link = null;
        unlink(node); // does nothing for a node no longer in a bucket
        node = next;
      }
    }
  }

  private void expire(long k) {
    TimerNode sentinel = buckets[(int) (k & mask)];
    long limit = k * tickNanos;
    TimerNode node = sentinel.next;
    while (node != null && node != sentinel) {
      TimerNode next = node.next;
      if (node.deadline <= limit) {
        Runnable task = node.taskAcquire();
        unlink(node);
        if (task != CANCELLED && node.casTask(task, EXPIRED)) {
          runTask(task);
          if (stateVolatile() == CLOSED) {
            return; // a task closed the wheel
          }
        }
      } else if (node.taskAcquire() == CANCELLED) {
        unlink(node); // a later round's node cancelled since the last drain
      }
      node = next;
    }
  }

  private void runTask(Runnable task) {
    try {
      task.run();
    } catch (VirtualMachineError e) {
      // Keep the thread: every pending timeout in the process depends on it.
      LOG.error("name={} scheduled task threw; the timer thread carries on", name, e);
    } catch (RuntimeException | Error e) {
      taskLog.warn("scheduled task threw; ignored", e); // rate-limited: a task may throw every time
    }
  }

  private void unlink(TimerNode node) {
    TimerNode before = node.prev;
    TimerNode after = node.next;
    if (before == null || after == null) {
      return;
    }
    before.next = after;
    after.prev = before;
    node.prev = null;
    node.next = null;
    setPendingRelease(pending - 1);
  }

  /** Unlinks every node and forgets every submission; the driver's (or, once closed, anyone's). */
  private void dropAll() {
    for (TimerNode sentinel : buckets) {
      TimerNode node = sentinel.next;
      while (node != null && node != sentinel) {
        TimerNode next = node.next;
        node.prev = null;
        node.next = null;
        node = next;
      }
      sentinel.prev = sentinel;
      sentinel.next = sentinel;
    }
    setPendingRelease(0);
    for (int stripe = 0; stripe < inbox.stripes(); stripe++) {
      TimerNode node = inbox.takeSubmitted(stripe);
      while (node != null) {
        TimerNode next = node.next;
        node.next = null;
        node = next;
      }
      node = inbox.takeCancelled(stripe);
      while (node != null) {
        TimerNode next = node.link;
        node.link = null;
        node = next;
      }
    }
  }

  /** Called by a cancel() that won for a node in a bucket: hands it to the driver to unlink. */
  void retire(TimerNode node) {
    if (stateVolatile() == CLOSED) {
      return; // dropped already
    }
    inbox.retire(node);
  }

  private int stateVolatile() {
    return state;
  }

  private void setPendingRelease(int value) {
    pending = value; // plain for the driver's own reads
    PENDING.setRelease(this, value); // release: pairs with the acquire in pendingCount()
  }

  private static TimerNode nonNull(@Nullable TimerNode node) {
    if (node == null) {
      throw new AssertionError("a bucket sentinel is always linked");
    }
    return node;
  }

  @Override
  public String toString() {
    return "TimerWheel[name="
        + name
        + ", tick="
        + TimeUnit.NANOSECONDS.toMicros(tickNanos)
        + "us, buckets="
        + buckets.length
        + ", pending="
        + pendingCount()
        + "]";
  }
}
