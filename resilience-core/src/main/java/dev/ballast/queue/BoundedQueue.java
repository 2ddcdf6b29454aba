package dev.ballast.queue;

import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;
import static dev.ballast.internal.Preconditions.positive;

import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.Listeners;
import dev.ballast.internal.Reconfigurer;
import dev.ballast.internal.ThrottledLog;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded multi-producer, multi-consumer queue with an {@linkplain Overflow overflow policy} that
 * tells back pressure from load and back pressure from failure (<em>Release It!</em>, "Create Back
 * Pressure": "queues must be finite for response times to be finite").
 *
 * <pre>{@code
 * BoundedQueue<Span> spans =
 *     BoundedQueue.of(
 *         "spans",
 *         BoundedQueueConfig.builder().capacity(10_000).overflow(Overflow.DROP_OLDEST).build(),
 *         dropped -> droppedSpans.increment());
 * }</pre>
 *
 * <p><b>Overflow.</b> When full: {@link Overflow#REJECT} refuses ({@code offer} returns {@code
 * false}, {@code add} throws a {@link QueueFullException}); {@link Overflow#DROP_NEWEST} accepts
 * and discards the new element; {@link Overflow#DROP_OLDEST} evicts the oldest; {@link
 * Overflow#BLOCK} makes even {@code offer(e)} wait up to {@link BoundedQueueConfig#blockTimeout()};
 * {@link Overflow#SOJOURN} evicts elements that waited longer than the sojourn target. An evicted
 * element is handed to the eviction callback and counted: nothing vanishes silently. {@code put}
 * and the timed {@code offer} wait for room as {@link BlockingQueue} says, except under the two
 * drop policies, which never make a producer wait. Every wait (for room, for an element) ends by
 * the config's ticker, as waits, sojourns and stalls are measured: a thread waits in slices of the
 * time left and looks at the ticker again, so a manual ticker ends a wait when it is moved.
 *
 * <p><b>Load or failure.</b> A full queue whose consumers keep taking is under {@link
 * BackPressure#LOAD}; a full queue from which nothing was taken for {@link
 * BoundedQueueConfig#stallTime()} (counted from when it filled up) has a stalled consumer: {@link
 * BackPressure#FAILURE}. The cause is in every {@link QueueFullException}, in the listeners' events
 * and in {@link #stats()}. The clock is read only when the queue fills or is full.
 *
 * <p><b>Collection view.</b> {@link #iterator()} walks a snapshot taken under the lock (so it never
 * throws {@code ConcurrentModificationException} and may miss later changes); its {@code remove}
 * removes the element from the queue. {@link #close()} refuses further elements and releases the
 * waiting producers; consumers go on taking what is left.
 *
 * <p>Null elements are refused with a {@link NullPointerException}. Thread-safe: one {@link
 * ReentrantLock} with two conditions, no allocation per element.
 *
 * @param <E> the element type
 */
public final class BoundedQueue<E> extends AbstractQueue<E> implements BlockingQueue<E> {

  /*
   * Implementation notes.
   *
   * Everything but the listeners and the eviction callback happens under `lock`; both are called
   * after it is released, so a callback may offer to the queue again. Stall detection is in
   * `Fullness` (its notes say how it reads the clock).
   */

  private static final Logger LOG = LoggerFactory.getLogger(BoundedQueue.class);
  private static final Listeners.Event1<BoundedQueueListener, BackPressure> ON_REJECTED =
      (l, cause, error, size, y) -> l.onRejected(cause, size);
  private static final Listeners.Event1<BoundedQueueListener, BackPressure> ON_DROPPED =
      (l, cause, error, x, y) -> l.onDropped(cause);
  private static final Listeners.Event1<BoundedQueueListener, BackPressure> ON_EVICTED =
      (l, cause, error, waited, y) -> l.onEvicted(cause, waited);

  private final String name;
  private volatile BoundedQueueConfig config;
  private final Reconfigurer reconfigurer;
  private final Overflow overflow;
  private final Ticker ticker;
  private final Fullness fullness; // under the lock
  private volatile long blockNanos; // written under the lock, read by offer(e) without it
  private final Consumer<? super E> onEvicted;
  private final ThrottledLog log;
  private final Listeners<BoundedQueueListener> listeners;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final Ring ring;
  private int capacity;
  private boolean closed;
  private long enqueues;
  private long dequeues;
  private long drops;
  private long evictions;
  private long rejections;
  private long failureRejections;
  private long waits;
  private long waitNanos;

  private BoundedQueue(String name, BoundedQueueConfig config, Consumer<? super E> onEvicted) {
    this.name = notBlank("name", name);
    this.config = notNull("config", config);
    this.onEvicted = notNull("onEvicted", onEvicted);
    this.overflow = config.overflow();
    this.ticker = config.ticker();
    this.fullness = new Fullness(config, ticker);
    this.blockNanos = config.blockTimeout().toNanos();
    this.reconfigurer =
        new Reconfigurer("bounded queue", name, LOG, "overflow", "measureWait", "ticker");
    this.capacity = config.capacity();
    this.ring = new Ring(capacity, config.measureWait());
    this.log = new ThrottledLog(LOG, "bounded queue '" + name + "'", ticker);
    this.listeners = new Listeners<>("bounded queue '" + name + "'", log);
  }

  /**
   * A queue with these settings whose evicted elements are handed to {@code onEvicted}.
   *
   * @param name names the queue in messages and meters; not blank
   * @param config the settings
   * @param onEvicted receives each element evicted by {@link Overflow#DROP_OLDEST} or {@link
   *     Overflow#SOJOURN}, on the thread that evicted it, outside the queue's lock; what it throws
   *     is logged (throttled) and ignored, the element stays counted as evicted
   * @param <E> the element type
   * @return a new queue
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public static <E> BoundedQueue<E> of(
      String name, BoundedQueueConfig config, Consumer<? super E> onEvicted) {
    return new BoundedQueue<>(name, config, onEvicted);
  }

  /**
   * A queue with these settings; evicted elements are counted and told to listeners only.
   *
   * @param name names the queue in messages and meters; not blank
   * @param config the settings
   * @param <E> the element type
   * @return a new queue
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public static <E> BoundedQueue<E> of(String name, BoundedQueueConfig config) {
    return new BoundedQueue<>(name, config, e -> {});
  }

  /**
   * A queue with {@link BoundedQueueConfig#defaults()}.
   *
   * @param name names the queue; not blank
   * @param <E> the element type
   * @return a new queue
   */
  public static <E> BoundedQueue<E> ofDefaults(String name) {
    return of(name, BoundedQueueConfig.defaults());
  }

  /**
   * The queue's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The settings it was created with (the capacity may have changed since: see {@link #stats()}).
   *
   * @return the config
   */
  public BoundedQueueConfig config() {
    return config;
  }

  /**
   * Adds a listener.
   *
   * @param listener the listener
   * @return removes it when closed
   * @throws IllegalStateException when the queue has {@link Listeners#MAX} listeners already
   */
  public Subscription addListener(BoundedQueueListener listener) {
    return listeners.add(listener);
  }

  /**
   * Changes the capacity. Raising it releases waiting producers; lowering it below the size evicts
   * nothing: producers are refused until consumers bring the size under it.
   *
   * @param capacity the new capacity, {@code >= 1}
   * @throws IllegalArgumentException when below 1
   */
  public void setCapacity(int capacity) {
    positive("capacity", capacity);
    change(capacity, null);
  }

  /**
   * Applies a new config, keeping every element. The name stays; {@link #config()} returns {@code
   * config} afterwards (docs/reconfiguration.md has the table).
   *
   * <ul>
   *   <li>{@code capacity} changes as {@link #setCapacity} does: a lower capacity keeps the
   *       elements over it (producers are turned away until consumers take enough), a higher one
   *       lets blocked producers in.
   *   <li>{@code blockTimeout}, {@code sojournTarget} and {@code stallTime} apply to the next
   *       operation; a producer already blocked keeps the wait it began with.
   *   <li>The overflow policy, {@code measureWait} and the ticker cannot change: a config with
   *       another one is refused with an {@link IllegalArgumentException} naming it and both
   *       values, and nothing changes.
   * </ul>
   *
   * <p>Applied under the queue's lock, so an operation sees the old config or the new one; logged
   * once at INFO with the changed settings, old and new.
   *
   * @param config the new settings
   * @throws IllegalArgumentException when {@code config} changes a setting that cannot change
   */
  public void reconfigure(BoundedQueueConfig config) {
    reconfigurer.apply(this::config, config, c -> change(c.capacity(), c));
  }

  /** Sets the capacity and, with a config, its run-time settings, under the lock. */
  private void change(int capacity, @Nullable BoundedQueueConfig next) {
    lock.lock();
    try {
      if (next != null) {
        fullness.retune(next);
        blockNanos = next.blockTimeout().toNanos();
        config = next;
      }
      this.capacity = capacity;
      int length = Math.max(capacity, ring.count());
      if (length != ring.length()) {
        ring.resize(length);
      }
      if (ring.count() < capacity) {
        fullness.forget();
        notFull.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Refuses further elements and releases every waiting producer, refused. Idempotent. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * A snapshot of the figures, read under the lock.
   *
   * @return the stats
   */
  public BoundedQueueStats stats() {
    lock.lock();
    try {
      int n = ring.count();
      return new BoundedQueueStats(
          enqueues,
          dequeues,
          drops,
          evictions,
          rejections,
          failureRejections,
          waits,
          waitNanos,
          n,
          capacity,
          n >= capacity ? causeWhenFull() : BackPressure.NONE);
    } finally {
      lock.unlock();
    }
  }

  // ---- producers ----

  @Override
  public boolean offer(E e) {
    try {
      return insert(e, overflow == Overflow.BLOCK ? blockNanos : 0, false);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
    return insert(e, Math.max(0, unit.toNanos(timeout)), false);
  }

  /**
   * Inserts the element, waiting for room as long as it takes (but under the drop policies, which
   * never wait).
   *
   * @throws QueueFullException when the queue is closed (cause {@link BackPressure#NONE})
   */
  @Override
  public void put(E e) throws InterruptedException {
    if (!insert(e, Long.MAX_VALUE, true)) {
      throw refusal(BackPressure.NONE, true);
    }
  }

  /**
   * Inserts the element as {@link #offer(Object)} does, or throws.
   *
   * @throws QueueFullException when refused, naming the cause (not the {@code
   *     IllegalStateException} of {@link java.util.Queue#add}: a {@code RejectedException} that
   *     every Ballast policy recognises)
   */
  @Override
  public boolean add(E e) {
    if (offer(e)) {
      return true;
    }
    BackPressure cause;
    boolean wasClosed;
    lock.lock();
    try {
      wasClosed = closed;
      cause = closed || ring.count() < capacity ? BackPressure.NONE : causeWhenFull();
    } finally {
      lock.unlock();
    }
    throw refusal(cause, wasClosed);
  }

  private QueueFullException refusal(BackPressure cause, boolean closed) {
    BoundedQueueStats s = stats();
    return new QueueFullException(name, cause, s.size(), s.capacity(), closed);
  }

  /** Inserts under the policy; {@code forever} waits without limit, else up to {@code nanos}. */
  private boolean insert(E e, long nanos, boolean forever) throws InterruptedException {
    notNull("e", e);
    Object evicted = null;
    long waited = -1;
    BackPressure cause = BackPressure.NONE;
    long size = -1;
    boolean dropped = false;
    if (forever || nanos > 0) {
      lock.lockInterruptibly();
    } else {
      lock.lock(); // an interrupted thread's offer(e) that would not wait is not refused for it
    }
    try {
      if (!closed && ring.count() >= capacity) {
        if (overflow == Overflow.DROP_NEWEST) {
          drops++;
          dropped = true;
          cause = causeWhenFull();
        } else if (overflow == Overflow.DROP_OLDEST || (overflow == Overflow.SOJOURN && stale())) {
          cause = causeWhenFull();
          waited = waitedOfFirst();
          evicted = ring.removeFirst();
          evictions++;
          countWait(waited);
        } else {
          long deadline = forever || nanos <= 0 ? 0 : ticker.read() + nanos;
          long left = nanos;
          while (!closed && ring.count() >= capacity && (forever || left > 0)) {
            if (forever) {
              notFull.await();
            } else {
              long unused = notFull.awaitNanos(left);
              left = deadline - ticker.read();
            }
          }
        }
      }
      if (dropped) {
        size = -1;
      } else if (evicted != null || (!closed && ring.count() < capacity)) {
        enqueue(e); // after an eviction there is room in the ring, even over a lowered capacity
        if (evicted == null) {
          return true;
        }
      } else {
        cause = closed ? BackPressure.NONE : causeWhenFull();
        rejections++;
        if (cause == BackPressure.FAILURE) {
          failureRejections++;
        }
        size = ring.count();
      }
    } finally {
      lock.unlock();
    }
    if (size >= 0) {
      listeners.emit(ON_REJECTED, cause, null, size, 0);
      return false;
    }
    if (evicted == null) {
      listeners.emit(ON_DROPPED, cause, null, 0, 0);
    } else {
      evicted(evicted, cause, waited);
    }
    return true;
  }

  private void enqueue(Object e) {
    ring.add(e, ring.timed() ? ticker.read() : 0);
    enqueues++;
    if (ring.count() >= capacity) {
      fullness.full(dequeues);
    }
    notEmpty.signal();
  }

  /** The cause of a full queue; under the lock. */
  private BackPressure causeWhenFull() {
    return fullness.cause(dequeues);
  }

  private boolean stale() {
    return ring.count() > 0 && waitedOfFirst() > fullness.sojournNanos();
  }

  private long waitedOfFirst() {
    return ring.timed() ? Math.max(0, ticker.read() - ring.firstTime()) : -1;
  }

  private void countWait(long waited) {
    if (waited >= 0) {
      waits++;
      waitNanos += waited;
    }
  }

  @SuppressWarnings("unchecked")
  private void evicted(Object e, BackPressure cause, long waited) {
    try {
      onEvicted.accept((E) e);
    } catch (Throwable t) {
      log.callbackThrew(t, "eviction callback threw; the element stays counted as evicted");
    }
    listeners.emit(ON_EVICTED, cause, null, waited, 0);
  }

  // ---- consumers ----

  @Override
  public @Nullable E poll() {
    try {
      return remove(0, false);
    } catch (InterruptedException ie) {
      throw new AssertionError("poll does not wait", ie);
    }
  }

  @Override
  public E take() throws InterruptedException {
    E e = remove(Long.MAX_VALUE, true);
    if (e == null) {
      throw new AssertionError("take returned without an element");
    }
    return e;
  }

  @Override
  public @Nullable E poll(long timeout, TimeUnit unit) throws InterruptedException {
    return remove(Math.max(0, unit.toNanos(timeout)), false);
  }

  /** Takes the first fresh element, evicting stale ones under SOJOURN outside the lock. */
  private @Nullable E remove(long nanos, boolean forever) throws InterruptedException {
    long deadline = forever || nanos <= 0 ? 0 : ticker.read() + nanos;
    long left = nanos;
    for (; ; ) {
      Object e;
      long waited;
      if (forever || left > 0) {
        lock.lockInterruptibly();
      } else {
        lock.lock();
      }
      try {
        while (ring.count() == 0) {
          if (forever) {
            notEmpty.await();
          } else if (left <= 0) {
            return null;
          } else {
            long unused = notEmpty.awaitNanos(left);
            left = deadline - ticker.read();
          }
        }
        waited = waitedOfFirst();
        e = ring.removeFirst();
        countWait(waited);
        notFull.signal();
        if (overflow != Overflow.SOJOURN || waited <= fullness.sojournNanos()) {
          dequeues++;
          @SuppressWarnings("unchecked")
          E element = (E) e;
          return element;
        }
        evictions++;
      } finally {
        lock.unlock();
      }
      evicted(e, BackPressure.NONE, waited);
    }
  }

  @Override
  public @Nullable E peek() {
    lock.lock();
    try {
      @SuppressWarnings("unchecked")
      E e = (E) ring.first();
      return e;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int drainTo(Collection<? super E> c) {
    return drainTo(c, Integer.MAX_VALUE);
  }

  @Override
  @SuppressWarnings("unchecked")
  public int drainTo(Collection<? super E> c, int maxElements) {
    notNull("c", c);
    if (c == this) {
      throw new IllegalArgumentException("c must not be the queue itself");
    }
    lock.lock();
    try {
      int n = 0;
      while (n < maxElements && ring.count() > 0) {
        countWait(waitedOfFirst());
        Object e = ring.removeFirst();
        dequeues++;
        n++;
        c.add((E) e);
      }
      if (n > 0) {
        notFull.signalAll();
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean remove(@Nullable Object o) {
    if (o == null) {
      return false;
    }
    lock.lock();
    try {
      for (int i = 0; i < ring.count(); i++) {
        if (o.equals(ring.get(i))) {
          ring.removeAt(i);
          dequeues++;
          notFull.signal();
          return true;
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void clear() {
    lock.lock();
    try {
      dequeues += ring.count();
      ring.clear();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int size() {
    lock.lock();
    try {
      return ring.count();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int remainingCapacity() {
    lock.lock();
    try {
      return Math.max(0, capacity - ring.count());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Object[] toArray() {
    lock.lock();
    try {
      return ring.toArray();
    } finally {
      lock.unlock();
    }
  }

  /** A snapshot iterator: see the class comment. */
  @Override
  public Iterator<E> iterator() {
    return new SnapshotIterator<>(toArray(), this::remove);
  }

  /**
   * @return the queue's name and figures, such as {@code BoundedQueue{name=spans, size=3,
   *     capacity=100, overflow=DROP_OLDEST}}
   */
  @Override
  public String toString() {
    BoundedQueueStats s = stats();
    return String.format(
        "BoundedQueue{name=%s, size=%d, capacity=%d, overflow=%s}",
        name, s.size(), s.capacity(), overflow);
  }
}
