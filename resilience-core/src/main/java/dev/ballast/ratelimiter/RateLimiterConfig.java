package dev.ballast.ratelimiter;

import static dev.ballast.internal.Preconditions.atMost;
import static dev.ballast.internal.Preconditions.notNull;
import static dev.ballast.internal.Preconditions.positive;

import dev.ballast.Scheduler;
import dev.ballast.Ticker;
import dev.ballast.internal.Choice;
import dev.ballast.internal.Timers;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link RateLimiter}: {@link #limitForPeriod()} permits (default 50) per {@link
 * #period()} (default 1 s), at most {@link #burst()} of them at once (default: the limit), handed
 * out in bursts or paced ({@link #mode()}, default {@link Mode#BURSTY}), with an optional {@link
 * #warmUp()} ramp after idle (paced only), and the longest a call may wait for its permits ({@link
 * #maxWait()}, default zero: refuse at once). Immutable and thread-safe.
 *
 * <pre>{@code
 * RateLimiterConfig config =
 *     RateLimiterConfig.builder()
 *         .limitForPeriod(100)
 *         .period(Duration.ofSeconds(1))
 *         .maxWait(Duration.ofMillis(50))
 *         .build();
 * }</pre>
 */
public final class RateLimiterConfig {

  /** How a rate limiter hands out its permits. */
  public enum Mode {
    /**
     * A token bucket: up to {@link #burst()} permits at once after a quiet spell, refilled at one
     * permit every {@code period / limitForPeriod}.
     */
    BURSTY,
    /**
     * Paced: one call every {@code period / limitForPeriod} per permit it takes, never a burst; a
     * call taking {@code n} permits makes the next wait {@code n} intervals.
     */
    SMOOTH
  }

  static final Duration MAX_DURATION = Duration.ofDays(1);

  /**
   * The longest burst, in ticker nanoseconds, the one-{@code long} state can book (about 834 days).
   */
  static final long MAX_BURST_NANOS = Long.MAX_VALUE / 128;

  private static final RateLimiterConfig DEFAULTS = new Builder().build();

  private final int limitForPeriod;
  private final Duration period;
  private final int burst;
  private final Mode mode;
  private final Duration warmUp;
  private final Duration maxWait;
  private final Duration clockResolution;
  private final Ticker ticker;
  private final @Nullable Scheduler scheduler;

  private RateLimiterConfig(Builder b) {
    this.limitForPeriod = b.limitForPeriod;
    this.period = b.period;
    this.burst = b.burst;
    this.mode = b.mode;
    this.warmUp = b.warmUp;
    this.maxWait = b.maxWait;
    this.clockResolution = b.clockResolution;
    this.ticker = b.ticker;
    this.scheduler = b.scheduler;
  }

  /**
   * The default settings: 50 permits per second, bursts up to 50, no warm-up, no waiting, the
   * system ticker.
   *
   * @return the shared default config
   */
  public static RateLimiterConfig defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.limitForPeriod = limitForPeriod;
    b.period = period;
    b.burst = burst;
    b.mode = mode;
    b.warmUp = warmUp;
    b.maxWait = maxWait;
    b.clockResolution = clockResolution;
    b.ticker = ticker;
    b.scheduler = scheduler;
    return b;
  }

  /**
   * The permits per {@link #period()}.
   *
   * @return the count, {@code >= 1}
   */
  public int limitForPeriod() {
    return limitForPeriod;
  }

  /**
   * The span {@link #limitForPeriod()} permits are spread over.
   *
   * @return the period, {@code > 0}
   */
  public Duration period() {
    return period;
  }

  /**
   * The most permits handed out at once in {@link Mode#BURSTY} mode, and the most one call may ask
   * for in either mode.
   *
   * @return the count, {@code >= 1}; the limit unless set
   */
  public int burst() {
    return burst == 0 ? limitForPeriod : burst;
  }

  /** Whether the burst follows the limit (not set), for a limit changed at run time. */
  boolean burstFollowsLimit() {
    return burst == 0;
  }

  /**
   * Bursts or pacing.
   *
   * @return the mode
   */
  public Mode mode() {
    return mode;
  }

  /**
   * How long, after the limiter has been idle, it takes to ramp from a third of the rate to the
   * full rate; zero for no ramp.
   *
   * @return the warm-up, {@code >= 0}
   */
  public Duration warmUp() {
    return warmUp;
  }

  /**
   * The longest {@link RateLimiter#acquire()} waits for its permits: a call that would wait longer
   * is refused at once, without waiting.
   *
   * @return the wait, {@code >= 0}
   */
  public Duration maxWait() {
    return maxWait;
  }

  /**
   * How often a timer refreshes the clock reading a call uses; zero when every call reads the
   * clock.
   *
   * @return the resolution, {@code >= 0}
   */
  public Duration clockResolution() {
    return clockResolution;
  }

  /**
   * The scheduler whose timer refreshes the call's clock reading, or none (every call reads it).
   */
  @Nullable Scheduler clockTimer() {
    return clockResolution.isZero() ? null : Timers.of(ticker, scheduler);
  }

  /**
   * The time source.
   *
   * @return the ticker, set by {@link Builder#ticker} or {@link Builder#scheduler}
   */
  public Ticker ticker() {
    return ticker;
  }

  /** The scheduler a call waits on, or none (then it parks the thread). */
  @Nullable Scheduler sleeper() {
    return scheduler;
  }

  /** Whether {@code o} is a config with the same settings. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RateLimiterConfig c
        && limitForPeriod == c.limitForPeriod
        && period.equals(c.period)
        && burst == c.burst
        && mode == c.mode
        && warmUp.equals(c.warmUp)
        && maxWait.equals(c.maxWait)
        && clockResolution.equals(c.clockResolution)
        && ticker.equals(c.ticker)
        && Objects.equals(scheduler, c.scheduler);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        limitForPeriod, period, burst, mode, warmUp, maxWait, clockResolution, ticker);
  }

  /**
   * @return the settings, such as {@code RateLimiterConfig{limitForPeriod=50, period=PT1S,
   *     burst=50, mode=BURSTY, warmUp=PT0S, maxWait=PT0S, clockResolution=PT0S}}
   */
  @Override
  public String toString() {
    return "RateLimiterConfig{limitForPeriod="
        + limitForPeriod
        + ", period="
        + period
        + ", burst="
        + burst()
        + ", mode="
        + mode
        + ", warmUp="
        + warmUp
        + ", maxWait="
        + maxWait
        + ", clockResolution="
        + clockResolution
        + '}';
  }

  /**
   * Builds a {@link RateLimiterConfig}. Every setter validates its value, naming the option and the
   * value; a setter called again replaces the value it set. {@link #ticker} and {@link #scheduler}
   * both choose the time source, so the second of the two is refused with an {@link
   * IllegalStateException} naming the first. Not thread-safe.
   */
  public static final class Builder {
    private int limitForPeriod = 50;
    private Duration period = Duration.ofSeconds(1);
    private int burst;
    private Mode mode = Mode.BURSTY;
    private Duration warmUp = Duration.ZERO;
    private Duration maxWait = Duration.ZERO;
    private Duration clockResolution = Duration.ZERO;
    private Ticker ticker = Ticker.system();
    private @Nullable Scheduler scheduler;
    private final Choice timeSource = new Choice("time source was already set to");

    private Builder() {}

    /**
     * The permits per period.
     *
     * @param limit default 50; {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder limitForPeriod(int limit) {
      this.limitForPeriod = positive("limitForPeriod", limit);
      return this;
    }

    /**
     * The span the permits are spread over.
     *
     * @param period default 1 s; in {@code (0, 1 day]}
     * @return this builder
     * @throws IllegalArgumentException when zero, negative or over a day
     */
    public Builder period(Duration period) {
      this.period = atMost("period", positive("period", period), MAX_DURATION);
      return this;
    }

    /**
     * The most permits at once (bursty mode), and the most one call may ask for.
     *
     * @param burst default: the limit; {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder burst(int burst) {
      this.burst = positive("burst", burst);
      return this;
    }

    /**
     * Bursts or pacing.
     *
     * @param mode default {@link Mode#BURSTY}
     * @return this builder
     * @throws NullPointerException when {@code mode} is null
     */
    public Builder mode(Mode mode) {
      this.mode = notNull("mode", mode);
      return this;
    }

    /**
     * The ramp after idle from a third of the rate to the full rate; needs {@link Mode#SMOOTH}.
     *
     * @param warmUp default zero (no ramp); in {@code [0, 1 day]}
     * @return this builder
     * @throws IllegalArgumentException when negative or over a day
     */
    public Builder warmUp(Duration warmUp) {
      notNull("warmUp", warmUp);
      if (warmUp.isNegative()) {
        throw new IllegalArgumentException("warmUp must be >= 0, was " + warmUp);
      }
      this.warmUp = atMost("warmUp", warmUp, MAX_DURATION);
      return this;
    }

    /**
     * The longest {@link RateLimiter#acquire()} waits; a longer wait is refused at once.
     *
     * @param maxWait default zero; in {@code [0, 1 day]}
     * @return this builder
     * @throws IllegalArgumentException when negative or over a day
     */
    public Builder maxWait(Duration maxWait) {
      notNull("maxWait", maxWait);
      if (maxWait.isNegative()) {
        throw new IllegalArgumentException("maxWait must be >= 0, was " + maxWait);
      }
      this.maxWait = atMost("maxWait", maxWait, MAX_DURATION);
      return this;
    }

    /**
     * Lets a call read a clock reading that a timer refreshes every {@code resolution}, instead of
     * reading the clock itself (with the system ticker some 25 ns, most of what a call costs). The
     * timer is the {@link #scheduler(Scheduler) scheduler}'s, or the shared one for the system
     * ticker; with a ticker and no scheduler (a test's) every call still reads the ticker. The
     * timer runs only while calls come.
     *
     * <p>The price: the limiter sees time up to {@code resolution}, plus the timer's lag, late. A
     * permit is then granted as if asked for that much earlier, so over a short span the limiter
     * may grant up to {@code resolution * limitForPeriod / period} permits (rounded up) more than
     * the burst allows; over any span the rate holds, and a refusal's {@code retryAfter} is never
     * too short. At 1 ms, a limit of 100 per second is exact to a tenth of a permit; one of 100,000
     * per second may run 100 permits ahead.
     *
     * @param resolution default zero (every call reads the clock, exact); in {@code [0, 1 s]}
     * @return this builder
     * @throws IllegalArgumentException when negative or over a second
     */
    public Builder clockResolution(Duration resolution) {
      notNull("clockResolution", resolution);
      if (resolution.isNegative()) {
        throw new IllegalArgumentException("clockResolution must be >= 0, was " + resolution);
      }
      this.clockResolution = atMost("clockResolution", resolution, Duration.ofSeconds(1));
      return this;
    }

    /**
     * The time source, without a scheduler: a waiting call then parks its thread. Refused after
     * {@link #scheduler(Scheduler) scheduler(..)} on the same builder.
     *
     * @param ticker default {@link Ticker#system()}
     * @return this builder
     * @throws IllegalStateException when {@code scheduler(..)} chose the time source already
     */
    public Builder ticker(Ticker ticker) {
      notNull("ticker", ticker);
      timeSource.make("ticker", "ticker(" + ticker + ")");
      this.ticker = ticker;
      this.scheduler = null;
      return this;
    }

    /**
     * Takes the time source from a scheduler, on which a waiting call then {@linkplain
     * Scheduler#sleep sleeps} (a test scheduler advances its time instead). Refused after {@link
     * #ticker(Ticker) ticker(..)}.
     *
     * @param scheduler the scheduler whose {@link Scheduler#ticker() ticker} to use
     * @return this builder
     * @throws IllegalStateException when {@code ticker(..)} chose the time source already
     */
    public Builder scheduler(Scheduler scheduler) {
      notNull("scheduler", scheduler);
      Ticker t = notNull("scheduler.ticker()", scheduler.ticker());
      timeSource.make("scheduler", "scheduler(" + scheduler + ")");
      this.ticker = t;
      this.scheduler = scheduler;
      return this;
    }

    /**
     * Builds the config, checking the settings against each other.
     *
     * @return an immutable config
     * @throws IllegalArgumentException when {@code period / limitForPeriod} is under 1 ns, or the
     *     burst spans more than about 834 days of refill ({@code burst * period / limitForPeriod})
     * @throws IllegalStateException when a warm-up is set with {@link Mode#BURSTY}
     */
    public RateLimiterConfig build() {
      if (period.toNanos() < limitForPeriod) {
        throw new IllegalArgumentException(
            "limitForPeriod must be <= period in nanoseconds ("
                + period.toNanos()
                + "), was "
                + limitForPeriod);
      }
      checkBurst(burst == 0 ? limitForPeriod : burst, limitForPeriod, period);
      if (!warmUp.isZero() && mode == Mode.BURSTY) {
        throw new IllegalStateException(
            "mode was already set to BURSTY; warmUp(" + warmUp + ") needs mode(SMOOTH)");
      }
      return new RateLimiterConfig(this);
    }
  }

  /** Refuses a burst whose refill time ({@code burst} intervals) the state could not book. */
  static void checkBurst(int burst, int limitForPeriod, Duration period) {
    long interval = Math.max(1, period.toNanos() / limitForPeriod);
    long most = MAX_BURST_NANOS / interval;
    if (burst > most) {
      throw new IllegalArgumentException(
          "burst must be <= "
              + most
              + " at limitForPeriod="
              + limitForPeriod
              + " per "
              + period
              + ", was "
              + burst);
    }
  }
}
