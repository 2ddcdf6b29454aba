package dev.ballast.shed;

import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.Gate;
import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.Listeners;
import dev.ballast.internal.Reconfigurer;
import dev.ballast.internal.ThrottledLog;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A load shedder: refuses new work while the process's own measurements say it is overloaded, so
 * that the work it does accept still finishes in time (<em>Release It!</em>, "Shed Load": "make the
 * application monitor its own performance"). It measures the mean latency of the calls it guards,
 * or the mean queueing delay the caller reports ({@link LoadShedderConfig.Measure}), over a window
 * of ticker time; while that mean exceeds {@link LoadShedderConfig#target()} (and the window holds
 * at least {@link LoadShedderConfig#minimumSamples()} samples) it refuses calls with a {@link
 * LoadShedException} (reason {@code OVERLOAD}, the measured mean, the target and a {@code
 * retryAfter} hint).
 *
 * <pre>{@code
 * LoadShedder shedder =
 *     LoadShedder.of("api", LoadShedderConfig.builder().target(Duration.ofMillis(200)).build());
 * String page = shedder.get(() -> render(request));
 * }</pre>
 *
 * <p><b>Recovery.</b> While shedding it still admits a few probes in every tenth of the window
 * ({@link LoadShedderConfig#probesPerWindow()}), which keep the measurement going: the shedder
 * stops shedding as soon as the mean over the window is back to the target, and at the latest once
 * the slow samples have left the window, whatever the traffic. It never refuses everything with
 * nothing left to measure.
 *
 * <p><b>Queueing delay.</b> With {@link LoadShedderConfig.Measure#QUEUEING_DELAY}, the code that
 * takes work off a queue reports how long it waited with {@link #acquire(long)} or {@link
 * #tryAcquire(long)}: each report is a sample, refused or not, and the shedder times nothing.
 *
 * <p>A load shedder is a {@link Gate}. It keeps no record per permit: a permit completed twice
 * counts its sample twice; {@link #release} counts nothing. Thread-safe; the success path takes no
 * lock, allocates nothing and, with a timer rolling the window (the default with the system
 * ticker), reads the clock only for the calls it times.
 */
public final class LoadShedder implements Gate {

  /*
   * Implementation notes.
   *
   * `shedding` is the decision, re-evaluated from the window after every sample and on every call
   * made while shedding (which reads the clock, so that the window rolls and the shedder notices
   * slow samples leaving it even with no sample arriving). A call made while not shedding reads
   * only the flag. A transition is a CAS of the flag; its winner logs and tells the listeners.
   *
   * A permit is the ticker reading at which a timed call started, or UNTIMED. Each bucket's
   * allowance `x` counts the calls timed in it (at most samplesPerBucket), `y` the probes
   * admitted in it while shedding (at most probesPerBucket). The window's `a` counts samples,
   * `b` sums them in nanoseconds.
   */

  static final long UNTIMED = Long.MIN_VALUE + 1;

  private static final Logger LOG = LoggerFactory.getLogger(LoadShedder.class);
  private static final VarHandle SHEDDING;

  static {
    try {
      SHEDDING = MethodHandles.lookup().findVarHandle(LoadShedder.class, "shedding", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final Listeners.Event<LoadShedderListener> ON_STARTED =
      (l, error, measured, target) -> l.onSheddingStarted(measured, target);
  private static final Listeners.Event<LoadShedderListener> ON_STOPPED =
      (l, error, measured, target) -> l.onSheddingStopped(measured, target);
  private static final Listeners.Event<LoadShedderListener> ON_REJECTED =
      (l, error, measured, y) -> l.onRejected(measured);

  private final String name;
  private volatile LoadShedderConfig config;
  private volatile Tuning tuning; // replaced whole by reconfigure: a call reads it once
  private final Reconfigurer reconfigurer;
  private final LoadShedderConfig.Measure measure;
  private final boolean timing;
  private final Ticker ticker;
  private final Window window;
  private final LongAdder calls = new LongAdder();
  private final LongAdder probes = new LongAdder();
  private final LongAdder rejections = new LongAdder();
  private final Listeners<LoadShedderListener> listeners;
  private volatile boolean shedding;

  private LoadShedder(String name, LoadShedderConfig config) {
    this.name = name;
    this.config = config;
    this.measure = config.measure();
    this.timing = measure == LoadShedderConfig.Measure.LATENCY;
    this.tuning = new Tuning(config);
    this.reconfigurer = new Reconfigurer("load shedder", name, LOG, "measure", "window", "ticker");
    this.ticker = config.ticker();
    this.window = new Window(config.window().toNanos(), ticker, config.timer());
    this.listeners =
        new Listeners<>("load shedder '" + name + "'", new ThrottledLog(LOG, name, ticker));
  }

  /** The settings that may change at run time, read together. Immutable. */
  private static final class Tuning {
    final long targetNanos;
    final int minimumSamples;
    final int samplesPerBucket;
    final int probesPerBucket;

    Tuning(LoadShedderConfig config) {
      this.targetNanos = config.target().toNanos();
      this.minimumSamples = config.minimumSamples();
      this.samplesPerBucket = perBucket(config.samplesPerWindow());
      this.probesPerBucket = perBucket(config.probesPerWindow());
    }
  }

  private static int perBucket(int perWindow) {
    return (perWindow + Window.BUCKETS - 1) / Window.BUCKETS;
  }

  /**
   * Creates a load shedder.
   *
   * @param name names the shedder in rejections, logs and meters; not blank
   * @param config the settings
   * @return a new load shedder
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public static LoadShedder of(String name, LoadShedderConfig config) {
    notBlank("name", name);
    return new LoadShedder(name, notNull("config", config));
  }

  /**
   * Creates a load shedder with {@link LoadShedderConfig#defaults()}: mean latency over 10 s,
   * target 100 ms.
   *
   * @param name names the shedder; not blank
   * @return a new load shedder
   * @throws NullPointerException when {@code name} is null
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public static LoadShedder ofDefaults(String name) {
    return of(name, LoadShedderConfig.defaults());
  }

  /**
   * The shedder's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The settings the shedder was created with.
   *
   * @return the config
   */
  public LoadShedderConfig config() {
    return config;
  }

  /**
   * Applies a new config, keeping the window's samples and whether it is shedding. The name stays;
   * {@link #config()} returns {@code config} afterwards (docs/reconfiguration.md has the table).
   *
   * <ul>
   *   <li>{@code target} and {@code minimumSamples} apply from the next evaluation (the next
   *       sample, or the next request while shedding), over the samples already in the window;
   *       {@code samplesPerWindow} and {@code probesPerWindow} from the next request.
   *   <li>The measure, the window's length, the ticker and the scheduler cannot change: a config
   *       with another one is refused with an {@link IllegalArgumentException} naming it and both
   *       values, and nothing changes.
   * </ul>
   *
   * <p>Logged once at INFO with the changed settings, old and new. Reconfigurations of one shedder
   * run one at a time.
   *
   * @param config the new settings
   * @throws IllegalArgumentException when {@code config} changes a setting that cannot change
   */
  public void reconfigure(LoadShedderConfig config) {
    reconfigurer.apply(this::config, config, this::apply);
  }

  private void apply(LoadShedderConfig next) {
    reconfigurer.fixed("scheduler", config.timer(), next.timer());
    tuning = new Tuning(next);
    config = next;
  }

  /**
   * {@inheritDoc}
   *
   * @throws LoadShedException while shedding, unless the call is admitted as a probe
   */
  @Override
  public long acquire() {
    long permit = tryAcquire();
    if (permit == REFUSED) {
      throw rejection();
    }
    return permit;
  }

  /** {@inheritDoc} Allocates nothing, whether admitted or refused. */
  @Override
  public long tryAcquire() {
    if (!shedding) {
      calls.increment();
      return timing ? maybeTimed(window.current()) : UNTIMED;
    }
    return shed(window.at(ticker.read()));
  }

  /**
   * Asks to make one call that waited {@code queueingDelayNanos} in a queue, measured by the
   * caller; the delay is a sample whether the call is admitted or not.
   *
   * @param queueingDelayNanos how long the work waited before reaching the shedder, {@code >= 0}
   * @return the permit, never {@link #REFUSED}
   * @throws LoadShedException while shedding, unless the call is admitted as a probe
   * @throws IllegalArgumentException when {@code queueingDelayNanos} is negative
   * @throws IllegalStateException when the shedder measures {@code LATENCY}
   */
  public long acquire(long queueingDelayNanos) {
    long permit = tryAcquire(queueingDelayNanos);
    if (permit == REFUSED) {
      throw rejection();
    }
    return permit;
  }

  /**
   * As {@link #acquire(long)}, returning {@link #REFUSED} instead of throwing; allocates nothing.
   *
   * @param queueingDelayNanos how long the work waited before reaching the shedder, {@code >= 0}
   * @return a permit, or {@link #REFUSED}
   * @throws IllegalArgumentException when {@code queueingDelayNanos} is negative
   * @throws IllegalStateException when the shedder measures {@code LATENCY}
   */
  public long tryAcquire(long queueingDelayNanos) {
    if (timing) {
      throw new IllegalStateException(
          "load shedder '"
              + name
              + "' measures LATENCY; acquire(queueingDelayNanos) needs measure(QUEUEING_DELAY)");
    }
    if (queueingDelayNanos < 0) {
      throw new IllegalArgumentException(
          "queueingDelayNanos must be >= 0, was " + queueingDelayNanos);
    }
    Window.Bucket b = window.current();
    sample(b, queueingDelayNanos);
    if (!shedding) {
      calls.increment();
      return UNTIMED;
    }
    return shed(window.at(ticker.read()));
  }

  private long maybeTimed(Window.Bucket b) {
    return b.takeX(tuning.samplesPerBucket) ? start() : UNTIMED;
  }

  private long start() {
    long now = ticker.read();
    return now == REFUSED || now == UNTIMED ? UNTIMED + 1 : now;
  }

  /** A call made while shedding: re-judges the window, then admits a probe or refuses. */
  private long shed(Window.Bucket b) {
    evaluate(b);
    if (!shedding) {
      calls.increment();
      return timing ? maybeTimed(b) : UNTIMED;
    }
    if (b.takeY(tuning.probesPerBucket)) {
      calls.increment();
      probes.increment();
      return timing ? start() : UNTIMED;
    }
    rejections.increment();
    if (!listeners.isEmpty()) {
      listeners.emit(ON_REJECTED, null, mean(b), 0L);
    }
    return REFUSED;
  }

  private LoadShedException rejection() {
    long now = ticker.read();
    Window.Bucket b = window.at(now);
    return new LoadShedException(
        name, measure, mean(b), b.windowA(), tuning.targetNanos, Math.max(0, b.end - now));
  }

  /** Counts the call's latency when it was timed. */
  @Override
  public void onResult(long permit, @Nullable Object result) {
    completed(permit);
  }

  /** Counts the call's latency when it was timed, whatever it threw. */
  @Override
  public void onError(long permit, Throwable error) {
    completed(permit);
  }

  /** {@inheritDoc} Counts nothing: the call was not made, or its outcome is not to be counted. */
  @Override
  public void release(long permit) {}

  private void completed(long permit) {
    if (permit == UNTIMED || permit == REFUSED) {
      return;
    }
    long now = ticker.read();
    sample(window.at(now), Math.max(0, now - permit));
  }

  private void sample(Window.Bucket b, long nanos) {
    b.a.increment();
    b.b.add(nanos);
    evaluate(b);
  }

  private static long mean(Window.Bucket b) {
    long n = b.windowA();
    return n <= 0 ? 0 : b.windowB() / n;
  }

  /** Re-judges the window ending at {@code b}; the thread that flips the decision reports it. */
  private void evaluate(Window.Bucket b) {
    Tuning t = tuning;
    long targetNanos = t.targetNanos;
    long n = b.windowA();
    long sum = b.windowB();
    boolean over = n >= t.minimumSamples && (double) sum > (double) targetNanos * n;
    boolean was = shedding;
    if (over == was || !SHEDDING.compareAndSet(this, was, over)) {
      return;
    }
    long mean = n <= 0 ? 0 : sum / n;
    if (over) {
      LOG.warn(
          "name={} shedding started: mean {} {} over {} samples in the window, target {}",
          name,
          what(),
          Duration.ofNanos(mean),
          n,
          Duration.ofNanos(targetNanos));
      listeners.emit(ON_STARTED, null, mean, targetNanos);
    } else {
      LOG.info(
          "name={} shedding stopped: mean {} {} over {} samples in the window, target {}",
          name,
          what(),
          Duration.ofNanos(mean),
          n,
          Duration.ofNanos(targetNanos));
      listeners.emit(ON_STOPPED, null, mean, targetNanos);
    }
  }

  private String what() {
    return timing ? "latency" : "queueing delay";
  }

  /**
   * A snapshot of the shedder's figures, over the window ending now (which may end shedding).
   *
   * @return the figures now
   */
  public LoadShedderStats stats() {
    Window.Bucket b = window.at(ticker.read());
    evaluate(b);
    long[] sums = window.sums(b);
    long samples = sums[0];
    long mean = samples == 0 ? 0 : sums[1] / samples;
    return new LoadShedderStats(
        calls.sum(), probes.sum(), rejections.sum(), samples, mean, shedding);
  }

  /**
   * Adds a listener; see {@link LoadShedderListener} for when events are reported.
   *
   * @param listener the listener
   * @return closes to remove the listener
   * @throws NullPointerException when {@code listener} is null
   * @throws IllegalStateException when the shedder already has 64 listeners
   */
  public Subscription addListener(LoadShedderListener listener) {
    return listeners.add(listener);
  }

  /**
   * @return {@code loadShedder[name]}
   */
  @Override
  public String toString() {
    return "loadShedder[" + name + "]";
  }
}
