package dev.ballast.bulkhead;

import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.Gate;
import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.Listeners;
import dev.ballast.internal.ThrottledLog;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bulkhead: at most {@link BulkheadConfig#maxConcurrentCalls()} calls in flight at once, so that
 * one slow dependency cannot hold every thread of the process (<em>Release It!</em>, "Bulkheads").
 * A call that finds every permit in use waits up to {@link BulkheadConfig#maxWait()} in a bounded,
 * first-come-first-served waiting room, or is refused with a {@link BulkheadFullException} (reason
 * {@code OVERLOAD}); with the default wait of zero it is refused at once.
 *
 * <pre>{@code
 * Bulkhead bulkhead = Bulkhead.of("inventory", BulkheadConfig.builder().maxConcurrentCalls(10).build());
 * String stock = bulkhead.get(() -> inventory.stock(sku));
 * }</pre>
 *
 * <p>A bulkhead is a {@link Gate}: library authors can drive it by the permit protocol. Every exit
 * path returns the permit ({@code onResult}, {@code onError} and {@code release} all just release;
 * a bulkhead judges no outcome). <b>Completing a permit twice</b> releases it once: the bulkhead
 * records each held permit, and the second completion is recognised and changes nothing.
 *
 * <p>An interrupted caller of a bulkhead that waits ({@code maxWait > 0}) is refused, with its
 * interrupt flag kept, even when a permit is free. The limit can be changed while calls run with
 * {@link #changeMaxConcurrentCalls(int)}.
 *
 * <p>Thread-safe. Admitting and releasing take no lock (no {@code synchronized}: virtual threads
 * never pin) and allocate nothing when a permit is free; a waiter parks.
 */
public final class Bulkhead implements Gate {

  /*
   * Implementation notes.
   *
   * The count of free permits is a java.util.concurrent.Semaphore (a CAS'd int in its AQS state):
   * non-fair tryAcquire() when the bulkhead never waits, a fair one with tryAcquire(timeout) when it
   * does, so that waiters are admitted in arrival order and a newcomer never jumps the queue (the
   * fair tryAcquire(0) honours queued waiters). AQS hands a permit released while a waiter times
   * out to the next waiter, so none is lost. The waiting room's bound is an AtomicInteger taken
   * before parking. Slots records which permits are held, so a duplicate completion is ignored.
   *
   * Resizing runs under a ReentrantLock (rare, never on the call path): raising the limit adds
   * slots first, then releases the new permits (waking waiters); lowering it takes permits away
   * with reducePermits, which may leave the count negative until in-flight calls end. stats() takes
   * the same lock so that inFlight = limit - available is never read mid-resize.
   */

  private static final Logger LOG = LoggerFactory.getLogger(Bulkhead.class);

  private static final Listeners.Event<BulkheadListener> ON_REJECTED =
      (l, error, inFlight, y) -> l.onRejected(inFlight);
  private static final Listeners.Event<BulkheadListener> ON_LIMIT_CHANGED =
      (l, error, previous, current) -> l.onLimitChanged(previous, current);

  private final String name;
  private final BulkheadConfig config;
  private final Permits permits;
  private final Slots slots;
  private final long maxWaitNanos;
  private final int maxWaiters;
  private final AtomicInteger waiting = new AtomicInteger();
  private final LongAdder rejections = new LongAdder();
  private final ReentrantLock resize = new ReentrantLock();
  private final Listeners<BulkheadListener> listeners;
  private volatile int limit;
  private final @Nullable AdaptiveController adaptive; // ADAPTIVE LIMIT HOOK: null when fixed

  private Bulkhead(String name, BulkheadConfig config) {
    this.name = name;
    this.config = config;
    this.limit = config.maxConcurrentCalls();
    this.maxWaitNanos = config.maxWait().toNanos();
    this.maxWaiters = config.maxWaiters();
    this.permits = new Permits(limit, maxWaitNanos > 0);
    this.slots = new Slots(limit);
    this.listeners =
        new Listeners<>("bulkhead '" + name + "'", new ThrottledLog(LOG, name, Ticker.system()));
    AdaptiveLimit adaptiveLimit = config.adaptiveLimit(); // ADAPTIVE LIMIT HOOK
    this.adaptive =
        adaptiveLimit == null ? null : new AdaptiveController(adaptiveLimit, config.ticker(), this);
  }

  /**
   * Creates a bulkhead.
   *
   * @param name names the bulkhead in rejections, logs and meters; not blank
   * @param config the settings
   * @return a new bulkhead
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public static Bulkhead of(String name, BulkheadConfig config) {
    notBlank("name", name);
    return new Bulkhead(name, notNull("config", config));
  }

  /**
   * Creates a bulkhead with {@link BulkheadConfig#defaults()}: 25 calls, no wait.
   *
   * @param name names the bulkhead; not blank
   * @return a new bulkhead
   * @throws NullPointerException when {@code name} is null
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public static Bulkhead ofDefaults(String name) {
    return of(name, BulkheadConfig.defaults());
  }

  /**
   * The bulkhead's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The settings the bulkhead was created with ({@link #stats()} has the limit now).
   *
   * @return the config
   */
  public BulkheadConfig config() {
    return config;
  }

  /**
   * {@inheritDoc}
   *
   * @throws BulkheadFullException when every permit is in use and the call could not wait for one
   */
  @Override
  public long acquire() {
    long permit = tryAcquire();
    if (permit == REFUSED) {
      throw new BulkheadFullException(name, inFlight(), limit);
    }
    return permit;
  }

  /** {@inheritDoc} Allocates nothing, whether admitted or refused. */
  @Override
  public long tryAcquire() {
    if (maxWaitNanos == 0 ? permits.tryAcquire() : waitForPermit()) {
      long permit = slots.claim(); // also counts the call: see Slots.claims()
      AdaptiveController a = adaptive; // ADAPTIVE LIMIT HOOK: time the call
      if (a != null) {
        a.admitted(permit);
      }
      return permit;
    }
    rejections.increment();
    if (!listeners.isEmpty()) {
      listeners.emit(ON_REJECTED, null, inFlight(), 0L);
    }
    return REFUSED;
  }

  private boolean waitForPermit() {
    try {
      if (permits.tryAcquire(0, TimeUnit.NANOSECONDS)) {
        return true;
      }
      int w;
      do {
        w = waiting.get();
        if (w >= maxWaiters) {
          return false;
        }
      } while (!waiting.compareAndSet(w, w + 1));
      try {
        return permits.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
      } finally {
        waiting.decrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Releases the permit. A fixed bulkhead counts no outcome; an adaptive one takes the call's
   * latency as a sample.
   */
  @Override
  public void onResult(long permit, @Nullable Object result) {
    free(permit, AdaptiveController.SAMPLE);
  }

  /**
   * Releases the permit. A fixed bulkhead counts no outcome; an adaptive one counts a {@link
   * dev.ballast.RejectedException} or a Ballast timeout as a dropped call, and anything else as a
   * latency sample.
   */
  @Override
  public void onError(long permit, Throwable error) {
    AdaptiveController a = adaptive; // ADAPTIVE LIMIT HOOK: classify the drop
    free(
        permit,
        a != null && AdaptiveController.dropped(error)
            ? AdaptiveController.DROPPED
            : AdaptiveController.SAMPLE);
  }

  /**
   * {@inheritDoc} A permit already completed, or one this bulkhead did not issue, changes nothing.
   * An adaptive limit takes no sample from it.
   */
  @Override
  public void release(long permit) {
    free(permit, AdaptiveController.IGNORED);
  }

  private void free(long permit, int outcome) {
    AdaptiveController a =
        adaptive; // ADAPTIVE LIMIT HOOK: read the start before the slot is reused
    long started = a == null ? 0 : a.started(permit);
    if (slots.free(permit)) {
      permits.release();
      if (a != null) {
        a.completed(started, outcome); // ADAPTIVE LIMIT HOOK: only when the slot really was freed
      }
    }
  }

  /**
   * Changes the limit while calls run. Raising it admits waiters at once; lowering it lets the
   * calls in flight finish, and admits no new call until fewer than the new limit are in flight.
   * With an {@linkplain BulkheadConfig#adaptiveLimit() adaptive limit} the limit set here lasts
   * until the algorithm next changes its own.
   *
   * @param maxConcurrentCalls the new limit, in {@code [1, BulkheadConfig.MAX_CONCURRENT_CALLS]}
   * @throws IllegalArgumentException when out of range, naming the option and the value
   */
  public void changeMaxConcurrentCalls(int maxConcurrentCalls) {
    BulkheadConfig.checkMaxConcurrentCalls(maxConcurrentCalls);
    int previous;
    resize.lock();
    try {
      previous = limit;
      if (maxConcurrentCalls > previous) {
        slots.ensureCapacity(maxConcurrentCalls);
        limit = maxConcurrentCalls;
        permits.release(maxConcurrentCalls - previous);
      } else if (maxConcurrentCalls < previous) {
        limit = maxConcurrentCalls;
        permits.reduce(previous - maxConcurrentCalls);
      }
    } finally {
      resize.unlock();
    }
    if (previous != maxConcurrentCalls && !listeners.isEmpty()) {
      listeners.emit(ON_LIMIT_CHANGED, null, previous, maxConcurrentCalls);
    }
  }

  int inFlight() {
    return Math.max(0, limit - permits.availablePermits());
  }

  /**
   * A snapshot of the bulkhead's figures.
   *
   * @return the figures now
   */
  public BulkheadStats stats() {
    int inFlight;
    int max;
    resize.lock();
    try {
      max = limit;
      inFlight = Math.max(0, max - permits.availablePermits());
    } finally {
      resize.unlock();
    }
    return new BulkheadStats(slots.claims(), rejections.sum(), inFlight, waiting.get(), max);
  }

  /**
   * Adds a listener; see {@link BulkheadListener} for when events are reported.
   *
   * @param listener the listener
   * @return closes to remove the listener
   * @throws NullPointerException when {@code listener} is null
   * @throws IllegalStateException when the bulkhead already has 64 listeners
   */
  public Subscription addListener(BulkheadListener listener) {
    return listeners.add(listener);
  }

  /**
   * @return {@code bulkhead[name]}
   */
  @Override
  public String toString() {
    return "bulkhead[" + name + "]";
  }

  /** A semaphore whose permits can be taken away, for lowering the limit. */
  private static final class Permits extends Semaphore {
    private static final long serialVersionUID = 1L;

    Permits(int permits, boolean fair) {
      super(permits, fair);
    }

    void reduce(int n) {
      reducePermits(n);
    }
  }
}
