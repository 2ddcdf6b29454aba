package dev.ballast.circuitbreaker;

import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.Gate;
import dev.ballast.OutcomeClassifier;
import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.ListenerList;
import dev.ballast.internal.ThrottledLog;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Transitions are logged through SLF4J (WARN when opening, INFO otherwise; nothing per call) and
 * reported to {@linkplain #addListener listeners}. The breaker is a {@link Gate}: library authors
 * can drive it with the allocation-free {@link #acquire()} / {@link #onResult} / {@link #onError} /
 * {@link #release} protocol.
 *
 * <p>Thread-safe and lock-free: one instance guards one integration point for every thread of the
 * process. On the success path of a closed breaker it takes no lock and allocates nothing.
 */
public final class CircuitBreaker implements Gate {

  /*
   * Implementation notes.
   *
   * State. The breaker's whole state is one immutable State object in the field `state`, read
   * with volatile semantics and replaced only by compare-and-set (casState). Counters that a
   * state needs (a closed window, the half-open permits) hang off that state object, so entering
   * a state starts fresh counters and nothing is ever reset in place. Side effects of a
   * transition (logging, listeners) run after the CAS that won, by the winning thread only; a
   * losing thread re-reads the state and carries on. No lock is taken anywhere.
   *
   * Success path (CLOSED or DISABLED): acquire() is one volatile read of `state` plus, only when
   * the call must be timed, one ticker read; onResult() is one volatile read of `state`, a ticker
   * read only when timing or the window needs it, and the window's constant-time onSuccess (a
   * striped counter increment for the count window; nothing at all for the consecutive and
   * leaky-bucket rules when no streak is running). No threshold is evaluated on a success, except
   * by the time window when its bucket rolls.
   *
   * Permits. A permit is the ticker reading at acquire() when the call is timed, else UNTIMED.
   * Probe permits (HALF_OPEN) are always timed, and acquire() reads the ticker before it reads
   * the state, so a permit taken in an earlier state is always older than the HALF_OPEN period it
   * might complete in (the OPEN wait is > 0 and the ticker is monotonic): outcomes with a permit
   * older than the half-open period's start are stale and ignored. That is how a slow call that
   * began while CLOSED can never count as a probe, or return a probe permit it never took.
   *
   * Recording and deciding are two steps: the window records an outcome and answers "trip", then
   * the breaker CASes CLOSED -> OPEN. A success that completes between the two does not stop the
   * trip, so the breaker may open on figures that held an instant earlier. This is not
   * linearizable (Lincheck finds it for the consecutive rule) and is accepted: making the two
   * steps atomic would put a CAS on the window's state on every success, which is the cost the
   * success path exists to avoid, and an instant-old verdict on a failing dependency is sound.
   *
   * Half-open leases. A half-open period hands out at most `halfOpenProbes` permits (a CAS
   * counter). A probe whose outcome is ignored or released returns its permit. When all permits
   * are out and the period is older than `probeLease`, the next request reopens the breaker
   * (the probes are presumed hung), so the breaker can never stay HALF_OPEN forever.
   *
   * Listeners. `listeners` (internal.ListenerList) keeps a copy-on-write array of at most 64 and
   * publishes one listener to call: the NOOP, the single listener, or a fan-out, so that nobody
   * listening costs one reference comparison. `timed` caches whether calls must be timed.
   * Both are written only after a successful CAS on `listeners`; a call racing with a new
   * subscription may be reported untimed (duration -1), which is benign.
   */

  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);
  private static final long UNTIMED = Long.MIN_VALUE;
  private static final CircuitBreakerListener NOOP = new CircuitBreakerListener() {};
  private static final int SUCCESS = 0;
  private static final int FAILURE = 1;
  private static final int IGNORED = 2;
  private static final VarHandle STATE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(CircuitBreaker.class, "state", State.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final CircuitBreakerConfig config;
  private final Ticker ticker;
  private final OutcomeClassifier classifier;
  private final boolean inspectsResults;
  private final boolean slowRule;
  private final long slowNanos;
  private final boolean windowNeedsTime;
  private final int probes;
  private final int probeSuccesses;
  private final long probeLeaseNanos;
  private final long waitNanos;
  private final long maxWaitNanos;
  private final LongAdder rejected = new LongAdder();
  private final ThrottledLog classifierLog;

  private volatile State state;
  private final ListenerList<CircuitBreakerListener> listeners;
  private volatile CircuitBreakerListener listener = NOOP; // listeners.current(), one read closer
  private volatile boolean timed;

  private CircuitBreaker(String name, CircuitBreakerConfig config) {
    this.name = name;
    this.config = config;
    this.ticker = config.ticker();
    this.classifier = config.classifier();
    this.inspectsResults = classifier.inspectsResults();
    this.classifierLog = new ThrottledLog(LOG, name, ticker);
    Duration slow = config.slowCallDuration();
    this.slowRule = slow != null;
    this.slowNanos = slow == null ? Long.MAX_VALUE : slow.toNanos();
    this.probes = config.halfOpenProbes();
    this.probeSuccesses = config.halfOpenSuccesses();
    this.probeLeaseNanos = config.probeLease().toNanos();
    this.waitNanos = config.waitInOpen().toNanos();
    this.maxWaitNanos = config.maxWaitInOpen().toNanos();
    long now = ticker.read();
    Measuring initial =
        new Measuring(CircuitBreakerState.CLOSED, now, TripWindow.create(config, now));
    this.windowNeedsTime = initial.window.needsTime();
    this.timed = slowRule;
    this.listeners =
        new ListenerList<>(
            "circuit breaker '" + name + "'", NOOP, all -> new FanOut(name, all), this::retime);
    this.state = initial;
  }

  /**
   * Creates a closed breaker.
   *
   * @param name the breaker's name, used in logs, metrics and rejections; not blank
   * @param config its settings
   * @return the breaker
   */
  public static CircuitBreaker of(String name, CircuitBreakerConfig config) {
    notNull("name", name);
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
    }
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
    return config;
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
   * A snapshot of the breaker's figures.
   *
   * @return the stats
   */
  public CircuitBreakerStats stats() {
    State s = stateVolatile();
    TripWindow.Figures f = TripWindow.Figures.EMPTY;
    if (s instanceof Measuring m) {
      f = m.window.figures(ticker.read());
    } else if (s instanceof HalfOpen h) {
      f = new TripWindow.Figures(h.granted.get(), 0, 0);
    }
    return new CircuitBreakerStats(
        s.kind,
        f.failureRate(),
        f.slowCallRate(),
        f.calls,
        f.failures,
        f.slowCalls,
        rejected.sum());
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
    if (!timed) {
      State s = stateVolatile();
      if (s.admitsAll) {
        return UNTIMED;
      }
      return acquireSlow(ticker.read());
    }
    // Read the ticker before the state: see "Permits" in the implementation notes.
    long now = ticker.read();
    if (stateVolatile().admitsAll) {
      return now;
    }
    return acquireSlow(now);
  }

  @Override
  public void onResult(long permit, @Nullable Object result) {
    complete(permit, inspectsResults ? classifyResult(result) : SUCCESS, null);
  }

  @Override
  public void onError(long permit, Throwable error) {
    complete(permit, classifyError(error), error);
  }

  private int classifyResult(@Nullable Object result) {
    try {
      return classifier.classifyResult(result) == OutcomeClassifier.Outcome.FAILURE
          ? FAILURE
          : SUCCESS;
    } catch (RuntimeException | Error e) {
      classifierLog.callbackThrew(e, "classifier's result predicate threw; counting a success");
      return SUCCESS;
    }
  }

  private int classifyError(Throwable error) {
    OutcomeClassifier.Outcome outcome;
    try {
      outcome = classifier.classifyError(error);
    } catch (RuntimeException | Error e) {
      classifierLog.callbackThrew(
          e,
          "classifier's predicate threw on " + error.getClass().getName() + "; counting a failure");
      return FAILURE;
    }
    return outcome == OutcomeClassifier.Outcome.FAILURE
        ? FAILURE
        : outcome == OutcomeClassifier.Outcome.SUCCESS ? SUCCESS : IGNORED;
  }

  @Override
  public void release(long permit) {
    complete(permit, IGNORED, null);
  }

  // ---------------------------------------------------------------- operator commands

  /** Closes the breaker with fresh counts, from any state; the wait growth starts over. */
  public void reset() {
    command(CircuitBreakerState.CLOSED);
  }

  /** Opens the breaker until {@link #reset()}: every call is refused. */
  public void forceOpen() {
    command(CircuitBreakerState.FORCED_OPEN);
  }

  /** Lets every call through, still measuring, until {@link #reset()}; nothing trips. */
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
    CircuitBreakerListener l;
    do {
      l = listeners.current();
      listener = l;
      timed = slowRule || l != NOOP;
    } while (listeners.current() != l);
  }

  @Override
  public String toString() {
    return "circuitBreaker[" + name + "]";
  }

  // ---------------------------------------------------------------- internals

  private long acquireSlow(long now) {
    while (true) {
      State s = stateVolatile();
      if (s.admitsAll) {
        return timed ? now : UNTIMED;
      }
      if (s instanceof Open o) {
        long remaining = o.until - now;
        if (remaining > 0) {
          throw reject(s, Duration.ofNanos(remaining));
        }
        transition(s, new HalfOpen(now, o.trips), null);
        continue;
      }
      if (s instanceof HalfOpen h) {
        int granted = h.granted.get();
        if (granted < probes) {
          if (h.granted.compareAndSet(granted, granted + 1)) {
            // Never older than the period, or its own outcome would look stale.
            return now - h.enteredAt < 0 ? h.enteredAt : now;
          }
          continue;
        }
        if (now - h.enteredAt >= probeLeaseNanos) {
          transition(s, open(now, h.trips + 1), "probe lease expired");
          continue;
        }
        throw reject(s, null);
      }
      throw reject(s, null);
    }
  }

  private CircuitBreakerOpenException reject(State s, @Nullable Duration retryAfter) {
    rejected.increment();
    CircuitBreakerListener l = listener;
    if (l != NOOP) {
      try {
        l.onRejected(s.kind);
      } catch (RuntimeException | Error e) {
        listenerFailed(e);
      }
    }
    return new CircuitBreakerOpenException(name, s.kind, retryAfter, config.stackTraces());
  }

  private void complete(long permit, int outcome, @Nullable Throwable error) {
    State s = stateVolatile();
    long now;
    long duration;
    if (permit != UNTIMED) {
      now = ticker.read();
      duration = now - permit;
    } else {
      now = windowNeedsTime ? ticker.read() : 0L;
      duration = -1;
    }
    boolean slow = duration > slowNanos;
    if (s instanceof Measuring m) {
      boolean trip;
      if (outcome == SUCCESS && !slow) {
        trip = m.window.onSuccess(now);
      } else if (outcome != IGNORED) {
        trip = m.window.onFault(now, outcome == FAILURE, slow);
      } else {
        trip = false;
      }
      if (trip && m.kind == CircuitBreakerState.CLOSED) {
        transition(m, open(now == 0L ? ticker.read() : now, 1), null);
      }
    } else if (s instanceof HalfOpen h) {
      completeProbe(h, permit, outcome, slow, now);
    }
    CircuitBreakerListener l = listener;
    if (l != NOOP) {
      notifyOutcome(l, outcome, duration, slow, error);
    }
  }

  private void completeProbe(HalfOpen h, long permit, int outcome, boolean slow, long now) {
    if (permit == UNTIMED || permit - h.enteredAt < 0) {
      return; // began before this half-open period: not a probe of it
    }
    if (outcome == IGNORED) {
      h.granted.decrementAndGet();
    } else if (outcome == FAILURE || slow) {
      transition(h, open(now, h.trips + 1), outcome == FAILURE ? "probe failed" : "probe slow");
    } else if (h.successes.incrementAndGet() == probeSuccesses) {
      transition(h, closed(now), null);
    }
  }

  private void command(CircuitBreakerState target) {
    while (true) {
      State s = stateVolatile();
      long now = ticker.read();
      State next =
          switch (target) {
            case CLOSED -> closed(now);
            case DISABLED ->
                new Measuring(CircuitBreakerState.DISABLED, now, TripWindow.create(config, now));
            default -> new State(CircuitBreakerState.FORCED_OPEN, now, false);
          };
      if (transition(s, next, "operator command")) {
        return;
      }
    }
  }

  private Measuring closed(long now) {
    return new Measuring(CircuitBreakerState.CLOSED, now, TripWindow.create(config, now));
  }

  private Open open(long now, int trips) {
    long wait = waitNanos;
    if (trips > 1 && config.waitMultiplier() > 1.0) {
      double grown = waitNanos * Math.pow(config.waitMultiplier(), trips - 1);
      wait = grown >= maxWaitNanos ? maxWaitNanos : (long) grown;
    }
    return new Open(now, now + wait, trips);
  }

  /** CAS from {@code from} to {@code to}; on success logs and notifies. */
  private boolean transition(State from, State to, @Nullable String cause) {
    if (!casState(from, to)) {
      return false;
    }
    if (from.kind != to.kind) {
      log(from, to, cause);
      CircuitBreakerListener l = listener;
      if (l != NOOP) {
        try {
          l.onStateTransition(from.kind, to.kind);
        } catch (RuntimeException | Error e) {
          listenerFailed(e);
        }
      }
    }
    return true;
  }

  private void log(State from, State to, @Nullable String cause) {
    boolean warn =
        to.kind == CircuitBreakerState.OPEN || to.kind == CircuitBreakerState.FORCED_OPEN;
    if (warn ? !LOG.isWarnEnabled() : !LOG.isInfoEnabled()) {
      return;
    }
    StringBuilder sb = new StringBuilder(128);
    sb.append("name=")
        .append(name)
        .append(" from=")
        .append(from.kind)
        .append(" to=")
        .append(to.kind);
    if (from instanceof Measuring m) {
      TripWindow.Figures f = m.window.figures(to.enteredAt);
      sb.append(" failureRate=")
          .append(String.format(Locale.ROOT, "%.2f", f.failureRate()))
          .append(" slowCallRate=")
          .append(String.format(Locale.ROOT, "%.2f", f.slowCallRate()))
          .append(" calls=")
          .append(f.calls)
          .append(" failures=")
          .append(f.failures);
    } else if (from instanceof HalfOpen h) {
      sb.append(" probes=")
          .append(h.granted.get())
          .append(" probeSuccesses=")
          .append(h.successes.get());
    }
    if (to instanceof Open o) {
      sb.append(" trips=")
          .append(o.trips)
          .append(" waitMs=")
          .append((o.until - o.enteredAt) / 1_000_000);
    }
    if (cause != null) {
      sb.append(" cause=\"").append(cause).append('"');
    }
    if (warn) {
      LOG.warn(sb.toString());
    } else {
      LOG.info(sb.toString());
    }
  }

  private void notifyOutcome(
      CircuitBreakerListener l,
      int outcome,
      long duration,
      boolean slow,
      @Nullable Throwable error) {
    try {
      if (outcome == SUCCESS) {
        l.onSuccess(duration);
      } else if (outcome == FAILURE) {
        l.onFailure(duration, error);
      } else {
        l.onIgnored(duration, error);
      }
      if (slow) {
        l.onSlowCall(duration);
      }
    } catch (RuntimeException | Error e) {
      listenerFailed(e);
    }
  }

  private void listenerFailed(Throwable e) {
    ListenerList.threw(LOG, name, e);
  }

  private State stateVolatile() {
    return state;
  }

  private boolean casState(State expected, State next) {
    return STATE.compareAndSet(this, expected, next);
  }

  /** A state; immutable apart from the counters its subclasses own. */
  static class State {
    final CircuitBreakerState kind;
    final long enteredAt;
    final boolean admitsAll;

    State(CircuitBreakerState kind, long enteredAt, boolean admitsAll) {
      this.kind = kind;
      this.enteredAt = enteredAt;
      this.admitsAll = admitsAll;
    }
  }

  /** CLOSED or DISABLED: every call passes and is measured. */
  static final class Measuring extends State {
    final TripWindow window;

    Measuring(CircuitBreakerState kind, long enteredAt, TripWindow window) {
      super(kind, enteredAt, true);
      this.window = window;
    }
  }

  /** OPEN until {@code until}, after the {@code trips}-th trip in a row. */
  static final class Open extends State {
    final long until;
    final int trips;

    Open(long enteredAt, long until, int trips) {
      super(CircuitBreakerState.OPEN, enteredAt, false);
      this.until = until;
      this.trips = trips;
    }
  }

  /** HALF_OPEN: probe permits handed out and probe successes seen in this period. */
  static final class HalfOpen extends State {
    final int trips;
    final AtomicInteger granted = new AtomicInteger();
    final AtomicInteger successes = new AtomicInteger();

    HalfOpen(long enteredAt, int trips) {
      super(CircuitBreakerState.HALF_OPEN, enteredAt, false);
      this.trips = trips;
    }
  }

  /** Delivers each event to several listeners, each guarded on its own. */
  static final class FanOut implements CircuitBreakerListener {
    private final String name;
    private final CircuitBreakerListener[] targets;

    FanOut(String name, Object[] targets) {
      this.name = name;
      this.targets = Arrays.copyOf(targets, targets.length, CircuitBreakerListener[].class);
    }

    @Override
    public void onStateTransition(CircuitBreakerState from, CircuitBreakerState to) {
      for (CircuitBreakerListener t : targets) {
        try {
          t.onStateTransition(from, to);
        } catch (RuntimeException | Error e) {
          ListenerList.threw(LOG, name, e);
        }
      }
    }

    @Override
    public void onRejected(CircuitBreakerState state) {
      for (CircuitBreakerListener t : targets) {
        try {
          t.onRejected(state);
        } catch (RuntimeException | Error e) {
          ListenerList.threw(LOG, name, e);
        }
      }
    }

    @Override
    public void onSuccess(long durationNanos) {
      for (CircuitBreakerListener t : targets) {
        try {
          t.onSuccess(durationNanos);
        } catch (RuntimeException | Error e) {
          ListenerList.threw(LOG, name, e);
        }
      }
    }

    @Override
    public void onFailure(long durationNanos, @Nullable Throwable error) {
      for (CircuitBreakerListener t : targets) {
        try {
          t.onFailure(durationNanos, error);
        } catch (RuntimeException | Error e) {
          ListenerList.threw(LOG, name, e);
        }
      }
    }

    @Override
    public void onIgnored(long durationNanos, @Nullable Throwable error) {
      for (CircuitBreakerListener t : targets) {
        try {
          t.onIgnored(durationNanos, error);
        } catch (RuntimeException | Error e) {
          ListenerList.threw(LOG, name, e);
        }
      }
    }

    @Override
    public void onSlowCall(long durationNanos) {
      for (CircuitBreakerListener t : targets) {
        try {
          t.onSlowCall(durationNanos);
        } catch (RuntimeException | Error e) {
          ListenerList.threw(LOG, name, e);
        }
      }
    }
  }
}
