package dev.ballast.ratelimiter;

import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;
import static dev.ballast.internal.Preconditions.positive;

import dev.ballast.Gate;
import dev.ballast.Scheduler;
import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.CoarseClock;
import dev.ballast.internal.Listeners;
import dev.ballast.internal.Reconfigurer;
import dev.ballast.internal.ThrottledLog;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rate limiter: admits at most {@link RateLimiterConfig#limitForPeriod()} permits per {@link
 * RateLimiterConfig#period()}, so that a caller never sends a dependency more than it agreed to
 * take. A token bucket, bursty or paced ({@link RateLimiterConfig.Mode}), with an optional warm-up
 * ramp after idle; a call may take several permits; the limit can change at run time ({@link
 * #changeLimit}). A call whose permits are not free is refused with a {@link RateLimitedException}
 * (reason {@code OVERLOAD}, {@code retryAfter} = when the permits will be free), or waits for them
 * up to {@link RateLimiterConfig#maxWait()}: a call that would wait longer is refused at once, not
 * after waiting.
 *
 * <pre>{@code
 * RateLimiter limiter =
 *     RateLimiter.of("partner-api", RateLimiterConfig.builder().limitForPeriod(20).build());
 * String quote = limiter.get(() -> partner.quote(order));
 * }</pre>
 *
 * <p>A rate limiter is a {@link Gate} that hands back nothing: a permit is spent when it is
 * granted, so {@link #onResult}, {@link #onError} and {@link #release} do nothing, and completing a
 * permit twice changes nothing.
 *
 * <p>Thread-safe. Without a warm-up its state is one {@code long} updated by CAS, computed from the
 * ticker: a permit takes no lock and allocates nothing; a refusal by {@link #tryAcquire()}
 * allocates nothing either. With a warm-up a grant allocates one small immutable state object.
 */
public final class RateLimiter implements Gate {

  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
  private static final VarHandle TAT;

  static {
    try {
      TAT = MethodHandles.lookup().findVarHandle(RateLimiter.class, "tat", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final Listeners.Event<RateLimiterListener> ON_REJECTED =
      (l, error, permits, after) -> l.onRejected(permits, after);
  private static final Listeners.Event<RateLimiterListener> ON_WAITED =
      (l, error, permits, waited) -> l.onWaited(permits, waited);
  private static final Listeners.Event<RateLimiterListener> ON_CHANGED =
      (l, error, before, after) -> l.onLimitChanged(before, after);

  private final String name;
  private volatile RateLimiterConfig config;
  private final Reconfigurer reconfigurer;
  private final Ticker ticker;
  private final Ticker clock; // what a call reads: the ticker, or a coarse reading of it
  private final @Nullable Scheduler sleeper;
  private final Bucket.@Nullable WarmState warm;
  private final LongAdder calls = new LongAdder();
  private final LongAdder permits = new LongAdder();
  private final LongAdder waits = new LongAdder();
  private final LongAdder rejections = new LongAdder();
  private final LongAdder waiting = new LongAdder();
  private final Listeners<RateLimiterListener> listeners;
  private volatile Bucket.Rate rate;

  @SuppressWarnings("unused") // through TAT
  private volatile long tat;

  private RateLimiter(String name, RateLimiterConfig config) {
    this.name = name;
    this.config = config;
    this.reconfigurer = new Reconfigurer("rate limiter", name, LOG, "ticker", "clockResolution");
    this.ticker = config.ticker();
    Scheduler timer = config.clockTimer();
    this.clock =
        timer == null ? ticker : CoarseClock.of(ticker, timer, config.clockResolution().toNanos());
    this.sleeper = config.sleeper();
    this.rate = rateFor(config, config.limitForPeriod());
    long now = ticker.read();
    this.tat = now;
    this.warm =
        config.warmUp().isZero()
            ? null
            : new Bucket.WarmState(new Bucket.Warm(now, rate.maxStored));
    this.listeners =
        new Listeners<>("rate limiter '" + name + "'", new ThrottledLog(LOG, name, ticker));
  }

  private static Bucket.Rate rateFor(RateLimiterConfig config, int limit) {
    int burst = config.burstFollowsLimit() ? limit : config.burst();
    return new Bucket.Rate(
        limit,
        burst,
        config.period().toNanos(),
        config.warmUp().toNanos(),
        config.mode() == RateLimiterConfig.Mode.SMOOTH,
        config.maxWait().toNanos());
  }

  /**
   * Creates a rate limiter, with its bucket full (or, with a warm-up, cold).
   *
   * @param name names the limiter in rejections, logs and meters; not blank
   * @param config the settings
   * @return a new rate limiter
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public static RateLimiter of(String name, RateLimiterConfig config) {
    notBlank("name", name);
    return new RateLimiter(name, notNull("config", config));
  }

  /**
   * Creates a rate limiter with {@link RateLimiterConfig#defaults()}: 50 permits per second.
   *
   * @param name names the limiter; not blank
   * @return a new rate limiter
   * @throws NullPointerException when {@code name} is null
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public static RateLimiter ofDefaults(String name) {
    return of(name, RateLimiterConfig.defaults());
  }

  /**
   * The limiter's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The settings the limiter was created with; see {@link #limit()} for the limit now.
   *
   * @return the config
   */
  public RateLimiterConfig config() {
    return config;
  }

  /**
   * The permits per period now: the config's, or the last {@link #changeLimit}.
   *
   * @return the limit
   */
  public int limit() {
    return rate.limit;
  }

  /**
   * {@inheritDoc} Takes one permit, waiting up to {@link RateLimiterConfig#maxWait()}.
   *
   * @throws RateLimitedException when the permit will not be free within the wait
   */
  @Override
  public long acquire() {
    return acquire(1);
  }

  /**
   * Takes {@code permits} permits, waiting up to {@link RateLimiterConfig#maxWait()} for them.
   *
   * @param permits how many, in {@code [1, burst]}
   * @return the permit, never {@link #REFUSED}
   * @throws RateLimitedException when the permits will not be free within the wait
   * @throws IllegalArgumentException when {@code permits} is below 1 or above the burst
   */
  public long acquire(int permits) {
    Bucket.Rate r = rate; // one read: the wait allowed and the rate of one config
    long p = take(r, permits, r.maxWaitNanos);
    if (p < 0) {
      throw new RateLimitedException(name, permits, ~p, why(~p, r.maxWaitNanos));
    }
    return p;
  }

  /** {@inheritDoc} Takes one permit as {@link #acquire()} does; refusing allocates nothing. */
  @Override
  public long tryAcquire() {
    return tryAcquire(1);
  }

  /**
   * As {@link #acquire(int)}, returning {@link #REFUSED} instead of throwing.
   *
   * @param permits how many, in {@code [1, burst]}
   * @return a permit, or {@link #REFUSED}
   * @throws IllegalArgumentException when {@code permits} is below 1 or above the burst
   */
  public long tryAcquire(int permits) {
    Bucket.Rate r = rate;
    long p = take(r, permits, r.maxWaitNanos);
    return p < 0 ? REFUSED : p;
  }

  /**
   * Takes {@code permits} permits if they are free within {@code timeout}, waiting for them; when
   * they would not be, returns {@link #REFUSED} at once. A zero timeout never waits.
   *
   * @param permits how many, in {@code [1, burst]}
   * @param timeout the longest wait, {@code >= 0}
   * @return a permit, or {@link #REFUSED}
   * @throws IllegalArgumentException when {@code permits} is out of range or {@code timeout}
   *     negative
   */
  public long tryAcquire(int permits, Duration timeout) {
    notNull("timeout", timeout);
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be >= 0, was " + timeout);
    }
    long p = take(rate, permits, saturatedNanos(timeout));
    return p < 0 ? REFUSED : p;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Grants and waits, or refuses: returns the permit ({@code >= 1}) or {@code ~retryAfter}. */
  private long take(Bucket.Rate r, int n, long maxWait) {
    if (n < 1 || n > r.burst) {
      throw new IllegalArgumentException(
          "permits must be in [1, burst="
              + r.burst
              + "] for rate limiter '"
              + name
              + "', was "
              + n);
    }
    long now = clock.read();
    Bucket.WarmState w = warm;
    long wait = w == null ? reserve(r, n, now, maxWait) : Bucket.reserveWarm(w, r, n, now, maxWait);
    if (wait < 0) {
      rejections.increment();
      if (!listeners.isEmpty()) {
        listeners.emit(ON_REJECTED, null, n, ~wait);
      }
      return wait;
    }
    calls.increment();
    permits.add(n);
    if (wait > 0) {
      pause(wait);
      waits.increment();
      if (!listeners.isEmpty()) {
        listeners.emit(ON_WAITED, null, n, wait);
      }
    }
    return n;
  }

  /** The GCRA step on the one {@code long}; see {@link Bucket}. */
  private long reserve(Bucket.Rate r, int n, long now, long maxWait) {
    long cost = n * r.interval;
    long tolerance = r.smooth ? cost : r.burstNanos;
    for (; ; ) {
      long t = (long) TAT.getVolatile(this);
      long next = Math.max(t, now) + cost;
      long wait = Math.max(0, next - now - tolerance);
      if (wait > maxWait) {
        return ~wait;
      }
      if (TAT.compareAndSet(this, t, next)) {
        return wait;
      }
    }
  }

  /**
   * Waits for booked permits. An interrupt ends the wait early with the permits still granted (they
   * are spent) and the thread's interrupt status set.
   */
  private void pause(long nanos) {
    waiting.increment();
    try {
      Scheduler s = sleeper;
      if (s != null) {
        try {
          s.sleep(nanos);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      long end = ticker.read() + nanos;
      for (long left = nanos; left > 0 && !Thread.currentThread().isInterrupted(); ) {
        LockSupport.parkNanos(this, left);
        left = end - ticker.read();
      }
    } finally {
      waiting.decrement();
    }
  }

  private static String why(long retryAfter, long maxWait) {
    return maxWait == 0
        ? "not free now"
        : "the wait " + Duration.ofNanos(retryAfter) + " exceeds " + Duration.ofNanos(maxWait);
  }

  /** Does nothing: a rate limiter's permit is spent when granted. */
  @Override
  public void onResult(long permit, @Nullable Object result) {}

  /** Does nothing: a rate limiter's permit is spent when granted, whatever the call threw. */
  @Override
  public void onError(long permit, Throwable error) {}

  /** Does nothing: a permit is spent when granted and is not handed back. */
  @Override
  public void release(long permit) {}

  /**
   * Changes the permits per period from now on; permits already booked stay booked. A burst left to
   * follow the limit follows it.
   *
   * @param limitForPeriod the new limit, {@code >= 1}
   * @throws IllegalArgumentException when below 1, above the period in nanoseconds, or so low that
   *     a fixed burst would span more than about 834 days of refill
   */
  public void changeLimit(int limitForPeriod) {
    positive("limitForPeriod", limitForPeriod);
    if (config.period().toNanos() < limitForPeriod) {
      throw new IllegalArgumentException(
          "limitForPeriod must be <= period in nanoseconds ("
              + config.period().toNanos()
              + "), was "
              + limitForPeriod);
    }
    RateLimiterConfig.checkBurst(
        config.burstFollowsLimit() ? limitForPeriod : config.burst(),
        limitForPeriod,
        config.period());
    Bucket.Rate before = rate;
    rate = rateFor(config, limitForPeriod);
    LOG.info(
        "name={} limit changed from {} to {} per {}",
        name,
        before.limit,
        limitForPeriod,
        config.period());
    listeners.emit(ON_CHANGED, null, before.limit, limitForPeriod);
  }

  /**
   * Applies a new config, keeping the permits booked: what callers took, and when the next may go,
   * stays, and the new rate applies from the next request. The name stays; {@link #config()}
   * returns {@code config} afterwards (docs/reconfiguration.md has the table).
   *
   * <ul>
   *   <li>{@code limitForPeriod}, {@code period}, {@code burst}, {@code mode} and {@code maxWait}
   *       apply to the next request, all together (one value read once per request); a caller
   *       already waiting keeps the wait it was given. A changed limit is reported to listeners as
   *       {@link #changeLimit} reports it.
   *   <li>A warm-up's length may change (its stored permits are capped at the new ceiling), but it
   *       cannot be turned on or off; the ticker, the scheduler and the clock resolution cannot
   *       change: a config that does is refused with an {@link IllegalArgumentException} naming the
   *       setting and both values, and nothing changes.
   * </ul>
   *
   * <p>Logged once at INFO with the changed settings, old and new. Reconfigurations of one limiter
   * run one at a time.
   *
   * @param config the new settings
   * @throws IllegalArgumentException when {@code config} changes a setting that cannot change
   */
  public void reconfigure(RateLimiterConfig config) {
    reconfigurer.apply(this::inForce, config, this::apply);
  }

  /** The config with the limit in force, which {@link #changeLimit} may have changed. */
  private RateLimiterConfig inForce() {
    RateLimiterConfig c = config;
    int limit = rate.limit;
    return c.limitForPeriod() == limit ? c : c.toBuilder().limitForPeriod(limit).build();
  }

  private void apply(RateLimiterConfig next) {
    RateLimiterConfig old = config;
    reconfigurer.fixed("scheduler", old.sleeper(), next.sleeper());
    if (old.warmUp().isZero() != next.warmUp().isZero()) {
      reconfigurer.fixed("warmUp (on or off)", old.warmUp(), next.warmUp());
    }
    Bucket.Rate before = rate;
    rate = rateFor(next, next.limitForPeriod());
    config = next;
    if (before.limit != next.limitForPeriod()) {
      listeners.emit(ON_CHANGED, null, before.limit, next.limitForPeriod());
    }
  }

  /**
   * A snapshot of the limiter's figures now.
   *
   * @return the figures
   */
  public RateLimiterStats stats() {
    Bucket.Rate r = rate;
    long now = ticker.read();
    Bucket.WarmState w = warm;
    long available =
        w == null
            ? Bucket.available(r, r.smooth, (long) TAT.getVolatile(this), now)
            : (w.get().next <= now ? r.burst : 0);
    return new RateLimiterStats(
        calls.sum(),
        permits.sum(),
        waits.sum(),
        rejections.sum(),
        available,
        waiting.sum(),
        r.limit);
  }

  /**
   * Adds a listener; see {@link RateLimiterListener} for when events are reported.
   *
   * @param listener the listener
   * @return closes to remove the listener
   * @throws NullPointerException when {@code listener} is null
   * @throws IllegalStateException when the limiter already has 64 listeners
   */
  public Subscription addListener(RateLimiterListener listener) {
    return listeners.add(listener);
  }

  /**
   * @return {@code rateLimiter[name]}
   */
  @Override
  public String toString() {
    return "rateLimiter[" + name + "]";
  }
}
