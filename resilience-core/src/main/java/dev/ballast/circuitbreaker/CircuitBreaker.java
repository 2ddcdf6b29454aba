package dev.ballast.circuitbreaker;

import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.Gate;
import dev.ballast.Scheduler;
import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.Listeners;
import dev.ballast.internal.Reconfigurer;
import dev.ballast.internal.ThrottledLog;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A circuit breaker (<em>Release It!</em>, Circuit Breaker): it lets calls to an integration point
 * through while they mostly succeed, and refuses them at once, without calling, while the
 * integration point is failing, so that the caller keeps its threads and its callers.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.of("inventory", CircuitBreakerConfig.builder()
 *     .countWindow(100).failureRateThreshold(0.5).waitInOpen(Duration.ofSeconds(30)).build());
 * Item item = breaker.call(() -> client.get(id));   // throws what get() throws
 * }</pre>
 *
 * <p>CLOSED: calls pass and are measured by the {@linkplain CircuitBreakerConfig.TripRule trip
 * rule}; when it trips the breaker goes OPEN and refuses calls with {@link
 * CircuitBreakerOpenException}. After the wait the first request moves it to HALF_OPEN, which
 * admits {@code halfOpenProbes} probe calls; {@code halfOpenSuccesses} successes close it, and any
 * failure (or slow call, with the slow rule on) reopens it, with a longer wait if so configured.
 * Operators may {@link #reset()}, {@link #forceOpen()} or {@link #disable()} it at any time.
 *
 * <p>Handshaking: with {@link CircuitBreakerConfig.Builder#backOffHint backOffHint}, an outcome
 * that carries a back-off hint (a 503 or 429 with its {@code Retry-After}) opens a closed breaker
 * at once, or reopens a half-open one on a probe's outcome, for the hint (or the longer of the hint
 * and its own wait); with {@link CircuitBreakerConfig.Builder#openAtOnceOn openAtOnceOn}, a
 * matching exception opens it at once for its own wait, whatever the trip rule.
 *
 * <p>Transitions are logged through SLF4J (WARN when opening, INFO otherwise; nothing per call) and
 * reported to {@linkplain #addListener listeners}. The breaker is a {@link Gate}: library authors
 * can drive it with the allocation-free {@link #acquire()} (or the non-throwing {@link
 * #tryAcquire()}) / {@link #onResult} / {@link #onError} / {@link #release} protocol.
 *
 * <p>A permit completed twice: a half-open probe's second completion is recognised and ignored (not
 * counted, not reported), so it can neither give back a probe twice nor add a success twice. A
 * closed (or disabled) breaker keeps nothing per call, so that its success path allocates nothing:
 * there a second completion cannot be told from another call's outcome and is counted as one. That
 * skews the window by one call, as one more call would, and can corrupt no counter. Completing
 * {@link Gate#REFUSED} does nothing.
 *
 * <p>A null call ({@code call(null)}, {@code callAsync(null)}, ...) throws a {@link
 * NullPointerException} naming the parameter before any permit is taken: it is never counted.
 *
 * <p>Thread-safe and lock-free: one instance guards one integration point for every thread of the
 * process. On the success path of a closed breaker it takes no lock and allocates nothing.
 */
public final class CircuitBreaker implements Gate {

  /*
   * Implementation notes.
   *
   * State. The breaker's whole state is one immutable BreakerState object in the field `state`,
   * read with volatile semantics and replaced only by compare-and-set (casState). Counters that a
   * state needs (a closed window, the half-open probe slots) hang off that state object, so
   * entering a state starts fresh counters and nothing is ever reset in place. Every state carries
   * the last trip (rule, figures, time) forward, so stats() reads it with the state, atomically.
   * Side effects of a transition (logging, listeners) run after the CAS that won, by the winning
   * thread only (BreakerLog, `listeners`); a losing thread re-reads the state and carries on. No
   * lock is taken anywhere.
   *
   * Success path (CLOSED or DISABLED): acquire() is one volatile read of `state` plus, only when
   * the call must be timed, one ticker read; onResult() is one volatile read of `state`, a ticker
   * read only when the call is timed, and the window's constant-time onSuccess (a striped counter
   * increment and one volatile read of `warm` for the count window, and for a time window rolled
   * by its timer; a ticker read first for a time window without a timer; nothing at all for the
   * consecutive and leaky-bucket rules when no streak is running). An untimed completion passes
   * TripWindow.NO_TIME and the window reads the clock itself if it must. Nothing is allocated.
   *
   * Evaluation. The rule is evaluated when a failure or slow call is recorded, when a time-window
   * bucket rolls, and on the success that brings the window up to its minimum number of calls
   * (TripWindow and its subclasses' notes); never on any other success, which can only lower a
   * rate. So the same history trips or not whatever the order of its outcomes and wherever bucket
   * boundaries fall.
   *
   * Permits. A permit is a long: the ticker reading at acquire() minus `origin` (the reading when
   * the breaker was built, so >= 0) when the call is timed; UNTIMED (-1) when it is not; never
   * Gate.REFUSED (Long.MIN_VALUE), which only tryAcquire() returns. A completion with a permit
   * below UNTIMED (REFUSED, or nothing this breaker issued) does nothing. In CLOSED and DISABLED a
   * permit carries no identity: a second completion of one cannot be told from another call's
   * outcome and is counted as one (it skews the figures by one call, as a call would; no counter
   * can go wrong), which is the price of an allocation-free success path.
   *
   * Probes. A probe permit is a timed permit too, so a probe that completes after its period ended
   * is timed like any call, but it is also unique: issueProbe() hands out max(now, last + 1,
   * floor + 1) from one CAS'd clock (`probeClock`), so no two probe permits are equal. A half-open
   * period's `floor` is max(a ticker reading taken after seeing OPEN, probeClock): every permit
   * issued before the period began is <= floor (a permit's ticker reading precedes its state read,
   * which precedes the CAS out of that state, which precedes our reading; the ticker is
   * monotonic). So in HALF_OPEN a permit <= floor (or UNTIMED) began before the period: it is
   * reported to listeners but never counted as a probe, and can never return a probe slot it did
   * not take. A permit > floor is looked up in the period's slots (BreakerState.HalfOpen): found,
   * its slot is CAS'd to DONE or back to FREE, so a probe is counted once; not found, it was
   * completed already, and the second completion is ignored entirely (not counted, not reported).
   * A probe issued by a period that ended while it was being issued is ignored the same way. The
   * slot scans are O(halfOpenProbes), at most 1,000, on the half-open path only.
   *
   * Recording and deciding are two steps: the window records an outcome and answers "trip", then
   * the breaker CASes CLOSED -> OPEN. A success that completes between the two does not stop the
   * trip, so the breaker may open on figures that held an instant earlier. This is not
   * linearizable (Lincheck finds it for the consecutive rule) and is accepted: making the two
   * steps atomic would put a CAS on the window's state on every success, which is the cost the
   * success path exists to avoid, and an instant-old verdict on a failing dependency is sound.
   *
   * Refusals. A refusing state carries one CircuitBreakerOpenException built with it (`rejection`),
   * thrown at every caller it refuses: no stack trace, suppression off, cause fixed, so sharing it
   * leaks nothing between callers, and retryAfter() and the message compute the wait left from the
   * OPEN period's `until` when read. A new period (a new state object) brings a new one; with
   * stackTraces on, each refusal builds its own, as the caller's stack is then the point. In
   * steady OPEN a request reads no clock (below), so acquire() there is a volatile read of `state`
   * and one of the period's `phase`, a striped increment of `rejected`, an emit to nobody, and the
   * throw of a preallocated exception.
   *
   * Timers. `timer` is the config's scheduler, the shared one for the system ticker, or null for
   * another ticker without a scheduler. They spare hot paths a clock read and decide nothing: an
   * OPEN state arms a task at `until` (BreakerState.Open: UNARMED, ARMED, DUE), and while it is
   * ARMED a request refuses without reading the clock; once DUE (or without a timer) it reads the
   * clock, as before, and the first request after the wait moves the breaker to HALF_OPEN. So a
   * probe may come up to the timer's lag (one tick, 1 ms on the shared wheel) after the wait ends.
   * A time window rolls its buckets on the timer (TimeWindow, "Rolling by timer"). Timers start
   * when their state wins its CAS and stop when it is replaced (transition), never for a state
   * that lost; a closed scheduler leaves the breaker reading the clock.
   *
   * Half-open leases. A half-open period hands out at most `halfOpenProbes` probes. A probe whose
   * outcome is ignored or released gives its slot back. When every slot is out and the period is
   * older than `probeLease`, the next request reopens the breaker (the probes are presumed hung),
   * so the breaker can never stay HALF_OPEN forever.
   *
   * Shadow mode. A DISABLED breaker's window answers "trip" like a closed one's; instead of a
   * transition the breaker reports the crossing (one WARN line, onThresholdCrossed) when
   * Measuring.shadowReport wins its CAS: the first crossing, then the first one at least
   * waitInOpen after the last report. The window is not reset.
   *
   * User callbacks. The classifier, the back-off hint and the open-at-once predicate are asked by
   * Judge (see its notes), which hands complete() the verdict. A listener that throws is logged
   * (Listeners); a VirtualMachineError is rethrown only after every listener has heard the event.
   *
   * Hints. A verdict with a hint (Judge: a back-off hint, or OPEN_AT_ONCE) opens a CLOSED breaker
   * at once, whatever the trip rule says, and reopens a HALF_OPEN one when it is a probe's outcome,
   * whatever the probe's outcome was: the other side said "not now". The wait is the hint, or the
   * longer of the hint and the breaker's own wait (hintAtLeastOwnWait), or its own wait for
   * OPEN_AT_ONCE; BreakerState.Open keeps the hint for stats and the log line. A hint acts nowhere
   * else: DISABLED only measures, and an outcome that completes in OPEN or FORCED_OPEN, or in
   * HALF_OPEN but not as one of its probes, is not counted, so its hint is not either. Only the
   * judged paths (an exception; a result, when a hint function or result predicate is set) can
   * carry a hint: the untouched success path of a breaker without either stays as it was.
   * A hinted outcome whose transition loses its CAS is not tried again: another transition won
   * meanwhile (most often a trip that opened the breaker), and the breaker follows that one.
   *
   * Listeners. `listeners` (internal.Listeners) delivers every event, each listener guarded on its
   * own; nobody listening costs one volatile read. `timed` caches whether calls must be timed (the
   * slow rule, or anyone listening): Listeners' onChange rewrites it after every subscription
   * change; a call racing with a new subscription may be reported untimed (duration -1), which is
   * benign.
   */

  private static final long UNTIMED = -1;
  private static final long NO_DEADLINE = CircuitBreakerOpenException.NO_DEADLINE;
  static final int SUCCESS = 0;
  static final int FAILURE = 1;
  static final int IGNORED = 2;
  static final int SLOW = 4; // added to an outcome: the call was also slow

  private static final VarHandle STATE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(CircuitBreaker.class, "state", BreakerState.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final Ticker ticker;
  private final long origin;
  private final LongAdder rejected = new LongAdder();
  private final AtomicLong probeClock = new AtomicLong();
  private final @Nullable Scheduler timer; // see "Timers"
  private final BreakerLog log;
  private final Listeners<CircuitBreakerListener> listeners;
  private final Reconfigurer reconfigurer;

  private volatile BreakerSettings settings; // see "Reconfiguration"
  private volatile BreakerState state;
  private volatile boolean timed; // slowRule || someone listens; see "Listeners"

  private CircuitBreaker(String name, CircuitBreakerConfig config) {
    this.name = name;
    this.ticker = config.ticker();
    this.log = new BreakerLog(name);
    this.settings = new BreakerSettings(name, config);
    this.reconfigurer = new Reconfigurer("circuit breaker", name, BreakerLog.LOG, "ticker");
    long now = ticker.read();
    this.origin = now;
    BreakerState.Measuring initial = closed(now, null, settings);
    this.timed = settings.slowRule;
    this.timer = config.timer();
    this.listeners =
        new Listeners<>(
            "circuit breaker '" + name + "'",
            new ThrottledLog(BreakerLog.LOG, name, ticker),
            this::retime);
    this.state = initial;
    initial.window.start(timer);
  }

  /**
   * Creates a closed breaker.
   *
   * @param name the breaker's name, used in logs, metrics and rejections; not blank
   * @param config its settings
   * @return the breaker
   */
  public static CircuitBreaker of(String name, CircuitBreakerConfig config) {
    notBlank("name", name);
    return new CircuitBreaker(name, notNull("config", config));
  }

  /**
   * Creates a closed breaker with {@linkplain CircuitBreakerConfig#defaults() default settings}.
   *
   * @param name the breaker's name
   * @return the breaker
   */
  public static CircuitBreaker ofDefaults(String name) {
    return of(name, CircuitBreakerConfig.defaults());
  }

  /**
   * @return the breaker's name
   */
  public String name() {
    return name;
  }

  /**
   * @return the breaker's settings
   */
  public CircuitBreakerConfig config() {
    return settings.config;
  }

  /**
   * The current state. An OPEN breaker whose wait is over reports OPEN until the next request moves
   * it to HALF_OPEN.
   *
   * @return the state
   */
  public CircuitBreakerState state() {
    return stateVolatile().kind;
  }

  /**
   * A snapshot of the breaker's figures: the trip rule's, the last trip's, and how long an open
   * breaker waits (in all, and still, before a probe) and whether a back-off hint set that wait.
   *
   * @return the stats
   */
  public CircuitBreakerStats stats() {
    return BreakerEvents.stats(stateVolatile(), ticker.read(), rejected.sum());
  }

  // ---------------------------------------------------------------- the permit protocol

  /**
   * Asks to make one call.
   *
   * @return the permit
   * @throws CircuitBreakerOpenException when the breaker is open, forced open, or half-open with
   *     every probe taken
   */
  @Override
  public long acquire() {
    return acquire(true);
  }

  /**
   * Asks to make one call without throwing: a refusal returns {@link Gate#REFUSED}, allocates
   * nothing, and is counted and reported to listeners like one from {@link #acquire()}. (A {@link
   * VirtualMachineError} thrown by a listener still propagates.)
   *
   * @return the permit, or {@link Gate#REFUSED} when the breaker is open, forced open, or half-open
   *     with every probe taken
   */
  @Override
  public long tryAcquire() {
    return acquire(false);
  }

  private long acquire(boolean throwing) {
    if (!timed) {
      BreakerState s = stateVolatile();
      if (s.admitsAll) {
        return UNTIMED;
      }
      if (s.refusesBlindly()) {
        return refuse(s, throwing); // FORCED_OPEN, or OPEN with its timer pending: see "Refusals"
      }
      return acquireSlow(ticker.read(), throwing);
    }
    // Read the ticker before the state: see "Probes" in the implementation notes.
    long now = ticker.read();
    if (stateVolatile().admitsAll) {
      return now - origin;
    }
    return acquireSlow(now, throwing);
  }

  @Override
  public void onResult(long permit, @Nullable Object result) {
    BreakerSettings s = settings;
    if (!s.judgesResults || permit < UNTIMED) {
      complete(s, permit, SUCCESS, null, Judge.NO_HINT);
      return;
    }
    s.judge.onResult(this, permit, result);
  }

  @Override
  public void onError(long permit, Throwable error) {
    if (permit < UNTIMED) {
      return; // REFUSED, or no permit of this breaker: nothing to classify or count
    }
    settings.judge.onError(this, permit, error);
  }

  @Override
  public void release(long permit) {
    complete(settings, permit, IGNORED, null, Judge.NO_HINT);
  }

  // ---------------------------------------------------------------- operator commands

  /**
   * Closes the breaker with fresh counts, from any state; the wait growth starts over. The last
   * trip stays in {@link #stats()}.
   */
  public void reset() {
    command(CircuitBreakerState.CLOSED);
  }

  /** Opens the breaker until {@link #reset()}: every call is refused. */
  public void forceOpen() {
    command(CircuitBreakerState.FORCED_OPEN);
  }

  /**
   * Lets every call through, still measuring, until {@link #reset()}; nothing trips. When the trip
   * rule crosses its threshold, listeners hear {@link CircuitBreakerListener#onThresholdCrossed}
   * and one WARN line is logged (shadow mode): the first crossing, then again only after {@code
   * waitInOpen}. Calling it again re-arms the report with a fresh window.
   */
  public void disable() {
    command(CircuitBreakerState.DISABLED);
  }

  /**
   * Adds a listener. At most 64 listeners per breaker.
   *
   * @param listener the listener
   * @return the subscription; closing it removes the listener
   * @throws IllegalStateException when 64 listeners are already registered
   */
  public Subscription addListener(CircuitBreakerListener listener) {
    return listeners.add(listener);
  }

  private void retime() {
    // Racing changes may run this out of order; re-read until the copy matches the list.
    boolean empty;
    do {
      empty = listeners.isEmpty();
      timed = settings.slowRule || !empty;
    } while (listeners.isEmpty() != empty);
  }

  @Override
  public String toString() {
    return "circuitBreaker[" + name + "]";
  }

  // ---------------------------------------------------------------- internals

  private long acquireSlow(long now, boolean throwing) {
    while (true) {
      BreakerSettings settings = this.settings;
      BreakerState s = stateVolatile();
      if (s.admitsAll) {
        return timed ? now - origin : UNTIMED;
      }
      if (s instanceof BreakerState.Open o) {
        long remaining = o.until - now;
        if (remaining > 0) {
          return refuse(s, throwing);
        }
        long entered = ticker.read(); // after seeing OPEN: see "Probes"
        long floor = Math.max(entered - origin, probeClock.get());
        transition(
            s,
            new BreakerState.HalfOpen(
                entered,
                o.trips,
                floor,
                settings.probes,
                s.lastTrip,
                shared(CircuitBreakerState.HALF_OPEN, NO_DEADLINE, settings)),
            null);
        continue;
      }
      if (s instanceof BreakerState.HalfOpen h) {
        if (h.reserve()) {
          long permit = issueProbe(h, now - origin);
          h.hold(permit);
          return permit;
        }
        if (now - h.enteredAt >= settings.probeLeaseNanos) {
          transition(
              s,
              open(now, h.trips + 1, s.lastTrip, Judge.NO_HINT, settings),
              "probe lease expired");
          continue;
        }
      }
      return refuse(s, throwing);
    }
  }

  /** A probe permit: unique among all the breaker issued, above the period's floor. */
  private long issueProbe(BreakerState.HalfOpen h, long elapsed) {
    while (true) {
      long last = probeClock.get();
      long permit = Math.max(elapsed, Math.max(last, h.floor) + 1);
      if (probeClock.compareAndSet(last, permit)) {
        return permit;
      }
    }
  }

  private long refuse(BreakerState s, boolean throwing) {
    rejected.increment();
    listeners.emit(BreakerEvents.REJECTED, s.kind, null, 0, 0);
    if (!throwing) {
      return REFUSED;
    }
    CircuitBreakerOpenException shared = s.rejection;
    if (shared != null) {
      throw shared;
    }
    long deadline = s instanceof BreakerState.Open o ? o.until : NO_DEADLINE;
    throw new CircuitBreakerOpenException(name, s.kind, deadline, ticker, true);
  }

  /**
   * Records an outcome judged by {@link Judge}: {@code hint} is {@link Judge#NO_HINT}, {@link
   * Judge#OPEN_AT_ONCE} or a back-off in nanoseconds (see "Hints").
   */
  void complete(long permit, int outcome, @Nullable Throwable error, long hint) {
    complete(settings, permit, outcome, error, hint);
  }

  private void complete(
      BreakerSettings settings, long permit, int outcome, @Nullable Throwable error, long hint) {
    if (permit < UNTIMED) {
      return; // REFUSED, or no permit of this breaker: see "Permits"
    }
    BreakerState s = stateVolatile();
    long now;
    long duration;
    if (permit != UNTIMED) {
      now = ticker.read();
      duration = Math.max(0, now - origin - permit);
    } else {
      now = TripWindow.NO_TIME; // the window reads the clock if it must: see "Success path"
      duration = -1;
    }
    boolean slow = duration > settings.slowNanos;
    if (s instanceof BreakerState.Measuring m) {
      if (hint != Judge.NO_HINT && m.kind == CircuitBreakerState.CLOSED) {
        long at = ticker.read();
        transition(m, open(at, 1, m.lastTrip, hint, settings), cause(hint));
        listeners.emit(BreakerEvents.OUTCOME, error, duration, slow ? outcome | SLOW : outcome);
        return;
      }
      boolean trip;
      if (outcome == SUCCESS && !slow) {
        trip = m.window.onSuccess(now, settings);
      } else {
        trip = outcome != IGNORED && m.window.onFault(now, outcome == FAILURE, slow, settings);
      }
      if (trip) {
        tripped(m, settings);
      }
    } else if (s instanceof BreakerState.HalfOpen h
        && !completeProbe(h, permit, outcome, slow, now, hint, settings)) {
      return; // a probe permit completed a second time: ignored entirely
    }
    listeners.emit(BreakerEvents.OUTCOME, error, duration, slow ? outcome | SLOW : outcome);
  }

  /** The window said "trip": open a closed breaker; report a disabled one's crossing. */
  private void tripped(BreakerState.Measuring m, BreakerSettings settings) {
    long at = ticker.read();
    if (m.kind == CircuitBreakerState.CLOSED) {
      TripWindow.Figures f = m.window.figures(at);
      transition(
          m,
          open(
              at,
              1,
              new CircuitBreakerStats.Trip(settings.config.tripRule(), f, at),
              Judge.NO_HINT,
              settings),
          null);
    } else if (m.shadowReport(at, settings.waitNanos)) {
      // DISABLED: a breaker over its threshold trips on every fault; figures only for a report.
      TripWindow.Figures f = m.window.figures(at);
      log.thresholdCrossed(settings.config.tripRule(), f);
      listeners.emit(BreakerEvents.THRESHOLD_CROSSED, f, null, 0, 0);
    }
  }

  /** Counts a probe's outcome; {@code false} when the permit was completed already. */
  private boolean completeProbe(
      BreakerState.HalfOpen h,
      long permit,
      int outcome,
      boolean slow,
      long now,
      long hint,
      BreakerSettings settings) {
    if (permit == UNTIMED || permit <= h.floor) {
      return true; // began before this half-open period: not a probe of it
    }
    if (!h.complete(permit, outcome == IGNORED)) {
      return false;
    }
    if (hint != Judge.NO_HINT) {
      transition(h, open(now, h.trips + 1, h.lastTrip, hint, settings), cause(hint));
    } else if (outcome == FAILURE || slow) {
      transition(
          h,
          open(now, h.trips + 1, h.lastTrip, Judge.NO_HINT, settings),
          outcome == FAILURE ? "probe failed" : "probe slow");
    } else if (outcome == SUCCESS && h.successes.incrementAndGet() >= h.needed(settings)) {
      transition(h, closed(now, h.lastTrip, settings), null); // one CAS wins; see "Reconfiguration"
    }
    return true;
  }

  private void command(CircuitBreakerState target) {
    while (true) {
      BreakerSettings settings = this.settings;
      BreakerState s = stateVolatile();
      long now = ticker.read();
      BreakerState next =
          switch (target) {
            case CLOSED -> closed(now, s.lastTrip, settings);
            case DISABLED -> measuring(CircuitBreakerState.DISABLED, now, s.lastTrip, settings);
            default ->
                new BreakerState(
                    CircuitBreakerState.FORCED_OPEN,
                    now,
                    false,
                    s.lastTrip,
                    shared(CircuitBreakerState.FORCED_OPEN, NO_DEADLINE, settings));
          };
      if (transition(s, next, "operator command")) {
        return;
      }
    }
  }

  private BreakerState.Measuring closed(
      long now, CircuitBreakerStats.@Nullable Trip lastTrip, BreakerSettings settings) {
    return measuring(CircuitBreakerState.CLOSED, now, lastTrip, settings);
  }

  private static BreakerState.Measuring measuring(
      CircuitBreakerState kind,
      long now,
      CircuitBreakerStats.@Nullable Trip lastTrip,
      BreakerSettings settings) {
    return new BreakerState.Measuring(kind, now, TripWindow.create(settings, now), lastTrip);
  }

  /** The {@code trips}-th OPEN in a row; {@code hint} as {@link #complete} takes it. */
  private BreakerState.Open open(
      long now,
      int trips,
      CircuitBreakerStats.@Nullable Trip lastTrip,
      long hint,
      BreakerSettings settings) {
    long until = now + settings.wait(trips, hint);
    return new BreakerState.Open(
        now,
        until,
        trips,
        lastTrip,
        hint,
        shared(CircuitBreakerState.OPEN, until, settings),
        settings);
  }

  private static String cause(long hint) {
    return hint == Judge.OPEN_AT_ONCE ? "outcome opens at once" : "back-off hint";
  }

  /** The one refusal of a new refusing period, or null when each refusal builds its own. */
  private @Nullable CircuitBreakerOpenException shared(
      CircuitBreakerState kind, long deadline, BreakerSettings settings) {
    return settings.config.stackTraces()
        ? null
        : new CircuitBreakerOpenException(name, kind, deadline, ticker, false);
  }

  /** CAS from {@code from} to {@code to}; on success logs and notifies. */
  // The states travel as ordinals into STATES (values()), both in this class and never stored, so
  // that the event carries two states without allocating.
  @SuppressWarnings("EnumOrdinal")
  private boolean transition(BreakerState from, BreakerState to, @Nullable String cause) {
    if (!casState(from, to)) {
      return false;
    }
    // Timers start and stop with the state that won: see "Timers".
    if (from instanceof BreakerState.Measuring m) {
      m.window.stop();
    } else if (from instanceof BreakerState.Open o) {
      o.disarm();
    }
    if (to instanceof BreakerState.Measuring m) {
      m.window.start(timer);
    } else if (to instanceof BreakerState.Open o && timer != null) {
      o.arm(timer, ticker.read()); // a reconfigured OPEN keeps its start: arm from now
    }
    if (from.kind != to.kind) {
      log.transition(from, to, cause);
      listeners.emit(BreakerEvents.TRANSITION, null, from.kind.ordinal(), to.kind.ordinal());
    }
    BreakerSettings current = settings;
    if (!fits(to, current)) {
      fit(current); // built from settings a racing reconfigure replaced: see "Reconfiguration"
    }
    return true;
  }

  // ---------------------------------------------------------------- reconfiguration

  /**
   * Applies a new config, keeping the breaker's state and counts where the new config allows it
   * (docs/reconfiguration.md has the table of what is kept and what restarts). The name stays;
   * {@link #config()} returns {@code config} afterwards.
   *
   * <ul>
   *   <li>The state is kept. CLOSED and DISABLED keep their window, and its counts, when the trip
   *       rule and the window's size (calls, duration, bucket capacity and leak interval) are
   *       unchanged and the slow rule stays on or off; thresholds, minimum calls and the slow
   *       duration apply from the next evaluation. Otherwise the window restarts, empty.
   *   <li>OPEN keeps its start and its count of trips in a row; its end is recomputed from the new
   *       {@code waitInOpen}, multiplier and maximum (a back-off hint it opened for still counts).
   *   <li>HALF_OPEN keeps its probes and their outcomes; the new {@code halfOpenSuccesses} (at most
   *       the period's probes) and {@code probeLease} apply at once, {@code halfOpenProbes} from
   *       the next half-open period. FORCED_OPEN stays until {@link #reset()}.
   *   <li>The ticker and the scheduler cannot change: a config with another one is refused with an
   *       {@link IllegalArgumentException} naming it and both values, and nothing changes.
   * </ul>
   *
   * <p>Logged once at INFO with the changed settings, old and new. Calls racing a reconfiguration
   * see either config whole, never a mix. Reconfigurations of one breaker run one at a time.
   *
   * @param config the new settings
   * @throws IllegalArgumentException when {@code config} changes the ticker or the scheduler
   */
  public void reconfigure(CircuitBreakerConfig config) {
    reconfigurer.apply(this::config, config, this::apply);
  }

  private void apply(CircuitBreakerConfig config) {
    reconfigurer.fixed("scheduler", settings.config.timer(), config.timer());
    BreakerSettings next = new BreakerSettings(name, config);
    settings = next;
    retime();
    fit(next);
  }

  /** Whether {@code s} was built under {@code settings}, or needs nothing of them. */
  private static boolean fits(BreakerState s, BreakerSettings settings) {
    if (s instanceof BreakerState.Measuring m) {
      return m.window.fits(settings);
    }
    return !(s instanceof BreakerState.Open o) || o.settings == settings;
  }

  /** Brings the state in line with {@code next}: see "Reconfiguration". */
  private void fit(BreakerSettings next) {
    while (true) {
      BreakerState s = stateVolatile();
      if (s instanceof BreakerState.Measuring m && m.window.fits(next)) {
        m.window.retune();
        return;
      }
      if (fits(s, next)) {
        return;
      }
      long now = ticker.read();
      BreakerState replacement;
      if (s instanceof BreakerState.Open o) {
        long until = o.enteredAt + next.wait(o.trips, o.hintNanos);
        replacement =
            new BreakerState.Open(
                o.enteredAt,
                until,
                o.trips,
                o.lastTrip,
                o.hintNanos,
                shared(CircuitBreakerState.OPEN, until, next),
                next);
      } else {
        replacement = measuring(s.kind, now, s.lastTrip, next);
      }
      if (transition(s, replacement, "reconfigured")) {
        return;
      }
    }
  }

  private BreakerState stateVolatile() {
    return state;
  }

  private boolean casState(BreakerState expected, BreakerState next) {
    return STATE.compareAndSet(this, expected, next);
  }
}
