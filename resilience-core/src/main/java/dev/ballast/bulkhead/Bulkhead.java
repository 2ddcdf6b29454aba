package dev.ballast.bulkhead;

import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.Gate;
import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.Listeners;
import dev.ballast.internal.Reconfigurer;
import dev.ballast.internal.ThrottledLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
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
 * {@link #changeMaxConcurrentCalls(int)}. Reserved partitions ({@link
 * BulkheadConfig.Builder#partition(String, int, boolean)}) keep permits for named classes of calls,
 * reached through {@link #partition(String)}; the bulkhead itself admits calls without a partition.
 *
 * <p>Thread-safe. Admitting and releasing take no lock (no {@code synchronized}: virtual threads
 * never pin) and allocate nothing when a permit is free; a waiter parks.
 */
public final class Bulkhead implements Gate {

  /*
   * Implementation notes.
   *
   * There is no count of permits apart from the slot table (Permits, Slots): claiming a free slot
   * is admission, freeing it is release, so a call with room costs one CAS to enter and one to
   * leave, and a permit is its slot (index in the high 32 bits, generation in the low). A bulkhead
   * that never waits has no waiting room and never takes a lock but on the rare confirm after a
   * shrink (Permits). One that waits routes callers through the WaitRoom, which tries the slot
   * table first while nobody waits. Refusals are counted in a LongAdder; admissions by the slots.
   * The calls in flight are counted by reading the slots, on the refusal and stats paths only.
   */

  private static final Logger LOG = LoggerFactory.getLogger(Bulkhead.class);

  private static final Listeners.Event<BulkheadListener> ON_REJECTED =
      (l, error, inFlight, y) -> l.onRejected(inFlight);
  private static final Listeners.Event<BulkheadListener> ON_LIMIT_CHANGED =
      (l, error, previous, current) -> l.onLimitChanged(previous, current);

  private final String name;
  private volatile BulkheadConfig config;
  private final Permits permits;
  private final Slots slots;
  private volatile @Nullable WaitRoom room; // replaced only by reconfigure: see its notes
  private final LongAdder rejections = new LongAdder();
  private final Listeners<BulkheadListener> listeners;
  private final List<PartitionGate> partitions;
  private final Map<String, PartitionGate> byName = new HashMap<>();
  private final @Nullable AdaptiveController adaptive; // null when the limit is fixed
  private final Reconfigurer reconfigurer;

  private Bulkhead(String name, BulkheadConfig config) {
    this.name = name;
    this.config = config;
    this.permits = new Permits(config.maxConcurrentCalls(), config.partitions());
    this.slots = permits.slots;
    long maxWaitNanos = config.maxWait().toNanos();
    this.room =
        maxWaitNanos == 0
            ? null
            : new WaitRoom(permits, maxWaitNanos, config.maxWaiters(), config.ticker());
    this.reconfigurer =
        new Reconfigurer("bulkhead", name, LOG, "ticker", "partitions", "adaptiveLimit");
    this.listeners =
        new Listeners<>("bulkhead '" + name + "'", new ThrottledLog(LOG, name, Ticker.system()));
    List<PartitionGate> all = new ArrayList<>();
    for (BulkheadConfig.Partition p : config.partitions()) {
      PartitionGate gate = new PartitionGate(this, p, all.size());
      all.add(gate);
      byName.put(p.name(), gate);
    }
    this.partitions = List.copyOf(all);
    AdaptiveLimit adaptiveLimit = config.adaptiveLimit();
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
   * The gate of a reserved partition: calls through it use the partition's reserved permits (and,
   * when it borrows, the unreserved ones when its own are all in use), with every method of a
   * {@link Gate} and the same waiting, rejection and permit rules as the bulkhead. Its permits are
   * this bulkhead's: completing one through the bulkhead or any of its partitions is the same. The
   * same partition returns the same gate; keep it rather than look it up per call.
   *
   * @param name a partition of {@link BulkheadConfig#partitions()}
   * @return the partition's gate
   * @throws NullPointerException when {@code name} is null
   * @throws IllegalArgumentException when the bulkhead has no partition of that name
   */
  public Gate partition(String name) {
    PartitionGate gate = byName.get(notNull("name", name));
    if (gate == null) {
      throw new IllegalArgumentException(
          "bulkhead '"
              + this.name
              + "' has no partition '"
              + name
              + "', it has "
              + byName.keySet());
    }
    return gate;
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
      throw new BulkheadFullException(name, permits.inFlight(), permits.limit());
    }
    return permit;
  }

  /** {@inheritDoc} Allocates nothing, whether admitted or refused. */
  @Override
  public long tryAcquire() {
    WaitRoom r = room;
    long permit = r == null ? permits.claimShared(Permits.hash()) : r.acquire(Permits.shared());
    if (permit == REFUSED) {
      return refused(rejections);
    }
    AdaptiveController a = adaptive; // time the call
    if (a != null) {
      a.admitted(permit);
    }
    return permit;
  }

  /** Admits a call of partition {@code p}, or counts and reports its refusal. */
  long tryAcquire(int p, LongAdder partitionRejections) {
    WaitRoom r = room;
    long permit = r == null ? permits.claim(p, Permits.hash()) : r.acquire(p);
    if (permit == REFUSED) {
      partitionRejections.increment();
      return refused(rejections);
    }
    AdaptiveController a = adaptive; // every partition's calls reach the same dependency
    if (a != null) {
      a.admitted(permit);
    }
    return permit;
  }

  private long refused(LongAdder counter) {
    counter.increment();
    AdaptiveController a = adaptive;
    if (a != null) {
      a.refused();
    }
    if (!listeners.isEmpty()) {
      listeners.emit(ON_REJECTED, null, permits.inFlight(), 0L);
    }
    return REFUSED;
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
    AdaptiveController a = adaptive;
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
    AdaptiveController a = adaptive; // reads the start before the slot can be claimed again
    long started = a == null ? 0 : a.started(permit);
    if (slots.free(permit)) {
      WaitRoom r = room;
      if (r != null) {
        r.released();
      }
      if (a != null) {
        a.completed(started, outcome); // only when the slot really was freed
      }
    }
  }

  /**
   * Changes the limit while calls run, from any thread. Raising it admits waiters at once; lowering
   * it lets the calls in flight finish, and admits no new call until fewer than the new limit are
   * in flight. The reserved partitions keep their permits: the change is to the unreserved ones.
   * With an {@linkplain BulkheadConfig#adaptiveLimit() adaptive limit} the limit set here lasts
   * until the algorithm next changes its own.
   *
   * @param maxConcurrentCalls the new limit, in {@code [1, BulkheadConfig.MAX_CONCURRENT_CALLS]}
   *     and above the permits the partitions reserve
   * @throws IllegalArgumentException when out of range, naming the option and the value
   */
  public void changeMaxConcurrentCalls(int maxConcurrentCalls) {
    BulkheadConfig.checkMaxConcurrentCalls(maxConcurrentCalls);
    int previous = permits.resize(maxConcurrentCalls);
    WaitRoom r = room;
    if (r != null && maxConcurrentCalls > previous) {
      r.released();
    }
    if (previous != maxConcurrentCalls && !listeners.isEmpty()) {
      listeners.emit(ON_LIMIT_CHANGED, null, previous, maxConcurrentCalls);
    }
  }

  /** The calls in flight now below the limit, every partition's included; reads the slots. */
  /**
   * Applies a new config, keeping the calls in flight and the calls waiting. The name stays; {@link
   * #config()} returns {@code config} afterwards (docs/reconfiguration.md has the table).
   *
   * <ul>
   *   <li>{@code maxConcurrentCalls} changes as {@link #changeMaxConcurrentCalls} does: calls in
   *       flight keep their permits; a lower limit admits nobody new until enough of them end.
   *   <li>{@code maxWait} and {@code maxWaiters} apply to calls that arrive from now on; a call
   *       already waiting keeps the wait it began with. A wait set to zero closes the waiting room:
   *       each caller in it gets a permit if one is free, and the others are refused at once.
   *   <li>The ticker, the partitions and the adaptive limit cannot change: a config with another
   *       one is refused with an {@link IllegalArgumentException} naming it and both values, and
   *       nothing changes.
   * </ul>
   *
   * <p>Logged once at INFO with the changed settings, old and new; a changed limit is also reported
   * to listeners as {@link BulkheadListener#onLimitChanged}. Reconfigurations of one bulkhead run
   * one at a time; calls racing one never lose or double a permit.
   *
   * @param config the new settings
   * @throws IllegalArgumentException when {@code config} changes the ticker, the partitions or the
   *     adaptive limit
   */
  public void reconfigure(BulkheadConfig config) {
    reconfigurer.apply(this::inForce, config, this::apply);
  }

  /**
   * The config with the limit in force, which {@link #changeMaxConcurrentCalls} may have changed.
   */
  private BulkheadConfig inForce() {
    BulkheadConfig c = config;
    int limit = permits.limit();
    return adaptive != null || c.maxConcurrentCalls() == limit
        ? c
        : c.toBuilder().maxConcurrentCalls(limit).maxWaiters(c.maxWaiters()).build();
  }

  private void apply(BulkheadConfig next) {
    long maxWaitNanos = next.maxWait().toNanos();
    WaitRoom r = room;
    if (maxWaitNanos == 0) {
      room = null;
      if (r != null) {
        r.evict(); // its waiters get a free permit now, or are refused at once
      }
    } else if (r == null) {
      room = new WaitRoom(permits, maxWaitNanos, next.maxWaiters(), next.ticker());
    } else {
      r.retune(maxWaitNanos, next.maxWaiters());
    }
    if (adaptive == null && next.maxConcurrentCalls() != permits.limit()) {
      changeMaxConcurrentCalls(next.maxConcurrentCalls());
    }
    config = next;
  }

  int inFlight() {
    return permits.inFlightBelowLimit();
  }

  /**
   * A snapshot of the bulkhead's figures.
   *
   * @return the figures now
   */
  public BulkheadStats stats() {
    List<BulkheadStats.PartitionStats> parts = new ArrayList<>(partitions.size());
    for (PartitionGate p : partitions) {
      parts.add(p.stats(permits.inUse(p.index)));
    }
    WaitRoom r = room;
    return new BulkheadStats(
        permits.claims(),
        rejections.sum(),
        permits.inFlight(),
        r == null ? 0 : r.waiting(),
        permits.limit(),
        parts);
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
}
