package dev.ballast.shed;

import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.Gate;
import dev.ballast.OutcomeClassifier;
import dev.ballast.RejectedException;
import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.Listeners;
import dev.ballast.internal.Reconfigurer;
import dev.ballast.internal.ThrottledLog;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client-side adaptive throttling (Google's <em>Site Reliability Engineering</em>, "Handling
 * Overload"): a client that refuses requests itself, before sending them, in proportion to how much
 * the backend has been refusing, so that an overloaded backend does not spend its capacity turning
 * requests away. Over a window of ticker time it counts {@code requests} (every request asked for,
 * those it refuses itself included, counted before the call) and {@code accepts} (those the backend
 * accepted), and refuses a request locally with probability {@code max(0, (requests - K * accepts)
 * / (requests + 1))} from the counts the request finds (then it is counted), throwing a {@link
 * ThrottledException} (reason {@code OVERLOAD}). While the backend accepts at least one request in
 * K, nothing is refused; as it refuses more, the client sends ever fewer, yet always some, so that
 * it notices the recovery.
 *
 * <pre>{@code
 * AdaptiveThrottle throttle = AdaptiveThrottle.ofDefaults("inventory");
 * String stock = throttle.get(() -> inventory.stock(sku));
 * }</pre>
 *
 * <p>What counts as accepted is the pipeline's classification ({@link
 * AdaptiveThrottleConfig#classifier()}): a {@code SUCCESS} is accepted, a {@code FAILURE} is not,
 * an {@code IGNORED} outcome takes its request back out of the count; any {@link RejectedException}
 * reaching the throttle (the backend's refusal mapped to one) is not accepted. Place the throttle
 * next to the call, inside a breaker, so that the rejections it counts are the backend's own.
 * Nothing is refused while the window holds fewer than {@link
 * AdaptiveThrottleConfig#minimumRequests()} requests.
 *
 * <p>An adaptive throttle is a {@link Gate}. It keeps no record per permit: a permit completed
 * twice counts its outcome twice. Thread-safe; the success path takes no lock, allocates nothing,
 * and with a timer rolling the window (the default with the system ticker) reads no clock.
 */
public final class AdaptiveThrottle implements Gate {

  /*
   * Implementation notes.
   *
   * The window's `a` counts requests, `b` accepts. A permit is the epoch of the bucket its request
   * was counted in, so that release() can take the request back out while that bucket is still in
   * the window (from the current bucket's count: the window's total is what matters). An accept is
   * counted in the bucket of its completion, as the book's client does when the answer arrives.
   *
   * Quiet. Reading the window's counts on every request would read, on every call, the striped
   * counters the other threads write: a cache miss per call once two threads share a throttle.
   * So a request that finds nothing to refuse marks its bucket quiet (`quietIn`), and the requests
   * after it in that bucket skip the counts. That holds while every outcome is an accept: a
   * request adds one to `requests` and its accept K to `K * accepts`, so the formula can only go
   * down. An outcome that is not an accept clears the mark, and so does a roll (a new bucket is
   * not the marked one), so the next request judges the window again. What the mark can miss is
   * a pile of requests still in flight (a backend that hangs); the next bucket judges them. A
   * mark set by a request that read the counts just before another request's failure cleared it
   * delays that judgement to the next failure or bucket.
   *
   * The success path bumps two striped counters: the request (the window's `a`) and its accept.
   * calls() is derived in stats() from the requests since creation (Window.totalA()), the releases
   * and the refusals, so that it costs the success path nothing.
   */

  private static final Logger LOG = LoggerFactory.getLogger(AdaptiveThrottle.class);
  private static final Listeners.Event<AdaptiveThrottleListener> ON_REJECTED =
      (l, error, bits, y) -> l.onRejected(Double.longBitsToDouble(bits));

  private final String name;
  private volatile AdaptiveThrottleConfig config;
  private volatile Tuning tuning; // replaced whole by reconfigure: a call reads it once
  private final Reconfigurer reconfigurer;
  private final Ticker ticker;
  private final Window window;
  private final LongAdder rejections = new LongAdder();
  private final LongAdder released = new LongAdder();
  private final AtomicLong highestCalls = new AtomicLong();
  private final ThrottledLog log;
  private final ThrottledLog refusing;
  private final Listeners<AdaptiveThrottleListener> listeners;
  private volatile Window.@Nullable Bucket quietIn; // see "Quiet"

  private AdaptiveThrottle(String name, AdaptiveThrottleConfig config) {
    this.name = name;
    this.config = config;
    this.tuning = new Tuning(config);
    this.reconfigurer = new Reconfigurer("adaptive throttle", name, LOG, "window", "ticker");
    this.ticker = config.ticker();
    this.window = new Window(config.window().toNanos(), ticker, config.timer());
    this.log = new ThrottledLog(LOG, name, ticker);
    this.refusing = new ThrottledLog(LOG, name, ticker);
    this.listeners = new Listeners<>("adaptive throttle '" + name + "'", log);
  }

  /**
   * Creates an adaptive throttle.
   *
   * @param name names the throttle in rejections, logs and meters; not blank
   * @param config the settings
   * @return a new adaptive throttle
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public static AdaptiveThrottle of(String name, AdaptiveThrottleConfig config) {
    notBlank("name", name);
    return new AdaptiveThrottle(name, notNull("config", config));
  }

  /**
   * Creates an adaptive throttle with {@link AdaptiveThrottleConfig#defaults()}: K 2 over 2
   * minutes.
   *
   * @param name names the throttle; not blank
   * @return a new adaptive throttle
   * @throws NullPointerException when {@code name} is null
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public static AdaptiveThrottle ofDefaults(String name) {
    return of(name, AdaptiveThrottleConfig.defaults());
  }

  /**
   * The throttle's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The settings the throttle was created with.
   *
   * @return the config
   */
  public AdaptiveThrottleConfig config() {
    return config;
  }

  /**
   * Applies a new config, keeping the window's requests and accepts. The name stays; {@link
   * #config()} returns {@code config} afterwards (docs/reconfiguration.md has the table).
   *
   * <ul>
   *   <li>{@code k}, {@code minimumRequests}, the classifier and the random source apply from the
   *       next request (the next outcome, for the classifier), over the counts already in the
   *       window.
   *   <li>The window's length, the ticker and the scheduler cannot change: a config with another
   *       one is refused with an {@link IllegalArgumentException} naming it and both values, and
   *       nothing changes.
   * </ul>
   *
   * <p>Logged once at INFO with the changed settings, old and new. Reconfigurations of one throttle
   * run one at a time.
   *
   * @param config the new settings
   * @throws IllegalArgumentException when {@code config} changes a setting that cannot change
   */
  public void reconfigure(AdaptiveThrottleConfig config) {
    reconfigurer.apply(this::config, config, this::apply);
  }

  private void apply(AdaptiveThrottleConfig next) {
    reconfigurer.fixed("scheduler", config.timer(), next.timer());
    tuning = new Tuning(next);
    quietIn = null; // a bucket found quiet under the old k is judged again under the new
    config = next;
  }

  /**
   * {@inheritDoc}
   *
   * @throws ThrottledException when the request is refused locally
   */
  @Override
  public long acquire() {
    long permit = tryAcquire();
    if (permit == REFUSED) {
      long now = ticker.read();
      Window.Bucket b = window.at(now);
      long requests = b.windowA();
      long accepts = b.windowB();
      Tuning t = tuning;
      double p = probability(t, requests - 1, accepts); // as the refused request found them
      throw new ThrottledException(name, requests, accepts, t.k, p, Math.max(0, b.end - now));
    }
    return permit;
  }

  /**
   * {@inheritDoc} Allocates nothing, whether admitted or refused. A random generator that throws is
   * logged and the request admitted.
   */
  @Override
  public long tryAcquire() {
    Window.Bucket b = window.current();
    if (b == quietIn) { // nothing to refuse: see "Quiet"
      b.a.increment(); // the request counts before the call
      return b.epoch;
    }
    return judged(b);
  }

  /** Decides one request from the window's counts; finding nothing to refuse, marks it quiet. */
  private long judged(Window.Bucket b) {
    Tuning t = tuning;
    double p = probability(t, b.windowA(), b.windowB());
    b.a.increment(); // the request counts before the call, and whether or not it is refused
    if (p <= 0) {
      quietIn = b;
      return b.epoch;
    }
    if (refuses(t.random, p)) {
      rejections.increment();
      refusing.warn("refusing requests locally: the backend accepts too few (see stats)", null);
      if (!listeners.isEmpty()) {
        listeners.emit(ON_REJECTED, null, Double.doubleToRawLongBits(p), 0L);
      }
      return REFUSED;
    }
    return b.epoch;
  }

  private boolean refuses(RandomGenerator random, double p) {
    try {
      return random.nextDouble() < p;
    } catch (Throwable t) {
      log.callbackThrew(t, "random threw; the request is admitted");
      return false;
    }
  }

  private static double probability(Tuning t, long requests, long accepts) {
    double excess = requests - t.k * accepts; // no division on the success path
    return requests < t.minimumRequests || excess <= 0 ? 0 : excess / (requests + 1);
  }

  /** The settings that may change at run time, read together. Immutable. */
  private static final class Tuning {
    final double k;
    final int minimumRequests;
    final OutcomeClassifier classifier;
    final boolean inspectsResults;
    final RandomGenerator random;

    Tuning(AdaptiveThrottleConfig config) {
      this.k = config.k();
      this.minimumRequests = config.minimumRequests();
      this.classifier = config.classifier();
      this.inspectsResults = classifier.inspectsResults();
      this.random = config.random();
    }
  }

  /**
   * Counts the request as accepted unless the classifier calls the result a {@code FAILURE}; a
   * classifier that throws is logged and the result counts as accepted.
   */
  @Override
  public void onResult(long permit, @Nullable Object result) {
    Tuning tn = tuning;
    if (!tn.inspectsResults) {
      accept();
      return;
    }
    OutcomeClassifier.Outcome outcome;
    VirtualMachineError fatal = null;
    try {
      outcome = tn.classifier.classifyResult(result);
    } catch (Throwable t) {
      fatal = log.callbackThrewDeferred(t, "classifier threw; the result counts as accepted");
      outcome = OutcomeClassifier.Outcome.SUCCESS;
    }
    if (outcome == OutcomeClassifier.Outcome.SUCCESS) {
      accept();
    } else {
      notAccepted();
    }
    if (fatal != null) {
      throw fatal;
    }
  }

  /**
   * Counts the request as accepted when the classifier calls the error a {@code SUCCESS}, takes it
   * back out of the count when {@code IGNORED}; a {@link RejectedException} is never accepted. A
   * classifier that throws is logged and the error counts as not accepted.
   */
  @Override
  public void onError(long permit, Throwable error) {
    if (error instanceof RejectedException) {
      notAccepted();
      return;
    }
    OutcomeClassifier.Outcome outcome;
    VirtualMachineError fatal = null;
    try {
      outcome = tuning.classifier.classifyError(error);
    } catch (Throwable t) {
      fatal = log.callbackThrewDeferred(t, "classifier threw; the error counts as not accepted");
      outcome = OutcomeClassifier.Outcome.FAILURE;
    }
    if (outcome == OutcomeClassifier.Outcome.SUCCESS) {
      accept();
    } else if (outcome == OutcomeClassifier.Outcome.IGNORED) {
      release(permit);
    } else {
      notAccepted();
    }
    if (fatal != null) {
      throw fatal;
    }
  }

  /**
   * {@inheritDoc} Takes the request back out of the count while the bucket it was counted in is
   * still in the window.
   */
  @Override
  public void release(long permit) {
    if (permit >= 0 && window.ofEpoch(permit) != null) {
      window.current().a.decrement();
      released.increment();
    }
  }

  /** An outcome that is not an accept: the next request judges the window again. */
  private void notAccepted() {
    if (quietIn != null) {
      quietIn = null;
    }
  }

  private void accept() {
    window.current().b.increment();
  }

  /**
   * A snapshot of the throttle's figures over the window ending now.
   *
   * @return the figures now
   */
  public AdaptiveThrottleStats stats() {
    long[] sums = window.sums(window.at(ticker.read()));
    long requests = sums[0];
    long accepts = sums[1];
    long refused = rejections.sum();
    // Every request counted since creation, the released ones put back, less the refused: the
    // success path keeps no count of its own. Held at its highest, as a roll may hide a bucket
    // from one read.
    long calls = window.totalA() + released.sum() - refused;
    calls = highestCalls.accumulateAndGet(calls, Math::max);
    return new AdaptiveThrottleStats(
        calls, refused, requests, accepts, probability(tuning, requests, accepts));
  }

  /**
   * Adds a listener; see {@link AdaptiveThrottleListener} for when events are reported.
   *
   * @param listener the listener
   * @return closes to remove the listener
   * @throws NullPointerException when {@code listener} is null
   * @throws IllegalStateException when the throttle already has 64 listeners
   */
  public Subscription addListener(AdaptiveThrottleListener listener) {
    return listeners.add(listener);
  }

  /**
   * @return {@code adaptiveThrottle[name]}
   */
  @Override
  public String toString() {
    return "adaptiveThrottle[" + name + "]";
  }
}
