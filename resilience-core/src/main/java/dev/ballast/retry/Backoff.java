package dev.ballast.retry;

import static dev.ballast.internal.Preconditions.atLeast;
import static dev.ballast.internal.Preconditions.notNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * How long a {@link Retry} waits before each retry: a fixed delay, an exponential one with a cap,
 * either of them with random jitter, or decorrelated jitter. An immutable value type.
 *
 * <p>The n-th retry (n = 1 for the retry that follows the first attempt) waits:
 *
 * <ul>
 *   <li>{@link #fixed fixed(d)}: {@code d};
 *   <li>{@link #exponential(Duration, double, Duration) exponential(initial, multiplier, cap)}:
 *       {@code initial * multiplier^(n-1)}, capped at {@code cap};
 *   <li>{@link #withJitter withJitter(f)} on either: a delay {@code d} computed as above becomes a
 *       uniformly random delay in {@code [d * (1 - f), d]}; {@link #withFullJitter()} is {@code
 *       withJitter(1.0)}, uniform in {@code [0, d]};
 *   <li>{@link #decorrelatedJitter decorrelatedJitter(base, cap)}: a uniformly random delay in
 *       {@code [base, 3 * previous]}, capped at {@code cap}, where {@code previous} is the delay
 *       before this retry's ({@code base} for the first retry).
 * </ul>
 *
 * <p>Every delay is clamped to {@code [0, maxDelay()]}; jitter only ever shortens a delay, so it
 * never yields a negative one, and the cap holds with and without it. Jitter exists because of the
 * book's Dogpile: callers that failed together and retry on the same schedule fail together again;
 * random slew spreads them out. Random numbers come from the retry's configured {@link
 * RandomGenerator} ({@link RetryConfig.Builder#random}), so that tests can seed them.
 *
 * <p>{@link #delays} lists the schedule a backoff makes, without running a retry.
 *
 * <p>Immutable and thread-safe; {@link #equals} and {@link #hashCode} compare the settings.
 */
public final class Backoff {
  /** The longest delay any backoff may produce. */
  static final Duration MAX_DELAY = Duration.ofDays(365);

  private static final double DECORRELATED_GROWTH = 3.0;

  /** The most delays {@link #delays} lists. */
  private static final int MAX_SCHEDULE = 10_000;

  private enum Kind {
    FIXED,
    EXPONENTIAL,
    DECORRELATED
  }

  private final Kind kind;
  private final long initialNanos;
  private final double multiplier;
  private final long maxNanos;
  private final double jitter;

  private Backoff(Kind kind, long initialNanos, double multiplier, long maxNanos, double jitter) {
    this.kind = kind;
    this.initialNanos = initialNanos;
    this.multiplier = multiplier;
    this.maxNanos = maxNanos;
    this.jitter = jitter;
  }

  /**
   * The same delay before every retry.
   *
   * @param delay {@code >= 0} and at most 365 days
   * @return the backoff
   */
  public static Backoff fixed(Duration delay) {
    long nanos = delayNanos("delay", delay);
    return new Backoff(Kind.FIXED, nanos, 1.0, nanos, 0.0);
  }

  /**
   * Delays that grow by {@code multiplier} on each retry, up to 365 days.
   *
   * @param initial the first retry's delay, {@code > 0} and at most 365 days
   * @param multiplier the growth, a finite number {@code >= 1}
   * @return the backoff
   */
  public static Backoff exponential(Duration initial, double multiplier) {
    return exponential(initial, multiplier, MAX_DELAY);
  }

  /**
   * Delays that grow by {@code multiplier} on each retry and stop growing at {@code cap}: the n-th
   * retry waits {@code min(cap, initial * multiplier^(n-1))}.
   *
   * @param initial the first retry's delay, {@code > 0} and at most {@code cap}
   * @param multiplier the growth, a finite number {@code >= 1}
   * @param cap the longest delay, at most 365 days
   * @return the backoff
   */
  public static Backoff exponential(Duration initial, double multiplier, Duration cap) {
    long initialNanos = positiveNanos("initial", initial);
    atLeast("multiplier", multiplier, 1.0);
    long capNanos = positiveNanos("cap", cap);
    if (capNanos < initialNanos) {
      throw new IllegalArgumentException("cap must be >= initial (" + initial + "), was " + cap);
    }
    return new Backoff(Kind.EXPONENTIAL, initialNanos, multiplier, capNanos, 0.0);
  }

  /**
   * Decorrelated jitter: each delay is uniformly random in {@code [base, 3 * previous]}, capped at
   * {@code cap}, where {@code previous} is the delay before it ({@code base} for the first retry).
   * Delays grow like an exponential backoff but wander, so that callers that failed together do not
   * stay in step. Already random: {@link #withJitter} does not apply to it.
   *
   * @param base the shortest delay and the seed of the growth, {@code > 0} and at most {@code cap}
   * @param cap the longest delay, at most 365 days
   * @return the backoff
   */
  public static Backoff decorrelatedJitter(Duration base, Duration cap) {
    long baseNanos = positiveNanos("base", base);
    long capNanos = positiveNanos("cap", cap);
    if (capNanos < baseNanos) {
      throw new IllegalArgumentException("cap must be >= base (" + base + "), was " + cap);
    }
    return new Backoff(Kind.DECORRELATED, baseNanos, DECORRELATED_GROWTH, capNanos, 1.0);
  }

  /**
   * This backoff with proportional jitter: each delay {@code d} becomes a uniformly random delay in
   * {@code [d * (1 - fraction), d]}. {@code withJitter(0.5)} waits between half and all of the
   * delay, so a retry is never immediate; {@code withJitter(1.0)} is {@linkplain #withFullJitter()
   * full jitter}.
   *
   * @param fraction in {@code [0, 1]}; 0 turns jitter off
   * @return a backoff with the same delays, jittered
   * @throws IllegalStateException on a {@linkplain #decorrelatedJitter decorrelated} backoff, which
   *     is random already
   */
  public Backoff withJitter(double fraction) {
    if (!(fraction >= 0.0 && fraction <= 1.0)) {
      throw new IllegalArgumentException("jitter must be in [0, 1], was " + fraction);
    }
    if (kind == Kind.DECORRELATED) {
      throw new IllegalStateException("a decorrelatedJitter backoff is random already");
    }
    return new Backoff(kind, initialNanos, multiplier, maxNanos, fraction);
  }

  /**
   * This backoff with full jitter: each delay {@code d} becomes a uniformly random delay in {@code
   * [0, d]}. Spreads retries the most, and may retry at once.
   *
   * @return a backoff with the same delays, fully jittered
   * @throws IllegalStateException on a {@linkplain #decorrelatedJitter decorrelated} backoff
   */
  public Backoff withFullJitter() {
    return withJitter(1.0);
  }

  /**
   * The first retry's delay before jitter (the base of a decorrelated backoff).
   *
   * @return the initial delay
   */
  public Duration initialDelay() {
    return Duration.ofNanos(initialNanos);
  }

  /**
   * The growth per retry: 1 for a fixed backoff, 3 for decorrelated jitter.
   *
   * @return the multiplier
   */
  public double multiplier() {
    return multiplier;
  }

  /**
   * The longest delay this backoff produces: the cap, or the fixed delay.
   *
   * @return the maximum delay
   */
  public Duration maxDelay() {
    return Duration.ofNanos(maxNanos);
  }

  /**
   * The jitter fraction: 0 for none, 1 for full jitter (and for decorrelated jitter).
   *
   * @return the fraction in {@code [0, 1]}
   */
  public double jitter() {
    return jitter;
  }

  /**
   * The schedule this backoff makes: the delays before the first {@code retries} retries, as a
   * {@link Retry} with the same generator would wait them (before a delay function or a rejection's
   * {@code retryAfter} changes any). With jitter the delays are random; with a seeded generator,
   * such as {@code new java.util.Random(42)}, they are the same on every call.
   *
   * <pre>{@code
   * Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1))
   *     .delays(5, new Random(42));   // [PT0.1S, PT0.2S, PT0.4S, PT0.8S, PT1S]
   * }</pre>
   *
   * @param retries how many delays, 0 to 10,000 ({@code maxAttempts - 1} retries follow a call's
   *     first attempt)
   * @param random the source of jitter; drawn from only when the backoff is jittered
   * @return the delays, in order; an immutable list
   */
  public List<Duration> delays(int retries, RandomGenerator random) {
    if (retries < 0 || retries > MAX_SCHEDULE) {
      throw new IllegalArgumentException(
          "retries must be in [0, " + MAX_SCHEDULE + "], was " + retries);
    }
    notNull("random", random);
    List<Duration> out = new ArrayList<>(retries);
    long previous = 0;
    for (int n = 1; n <= retries; n++) {
      previous = delayNanos(n, previous, random);
      out.add(Duration.ofNanos(previous));
    }
    return List.copyOf(out);
  }

  /**
   * The shortest delay the first retry can have: the first delay with all the jitter taken off.
   *
   * @return nanoseconds
   */
  long shortestFirstDelayNanos() {
    return kind == Kind.DECORRELATED ? initialNanos : initialNanos - (long) (initialNanos * jitter);
  }

  /**
   * The delay before retry number {@code retry}.
   *
   * @param retry 1 for the first retry
   * @param previousNanos the delay before the previous retry, or {@code 0} for the first
   * @param random the source of jitter
   * @return the delay in {@code [0, maxDelay()]}
   */
  long delayNanos(int retry, long previousNanos, RandomGenerator random) {
    return switch (kind) {
      case FIXED -> jittered(initialNanos, random);
      case EXPONENTIAL -> {
        double grown = initialNanos * Math.pow(multiplier, retry - 1);
        yield jittered(grown >= maxNanos ? maxNanos : (long) grown, random);
      }
      case DECORRELATED -> {
        long previous = Math.max(initialNanos, Math.min(previousNanos, maxNanos));
        long hi = (long) Math.min((double) maxNanos, previous * DECORRELATED_GROWTH);
        yield clamp(between(initialNanos, hi, random));
      }
    };
  }

  private long jittered(long d, RandomGenerator random) {
    if (jitter == 0.0 || d == 0) {
      return clamp(d);
    }
    long lo = d - (long) (d * jitter);
    return clamp(between(lo, d, random));
  }

  private long clamp(long d) {
    return d < 0 ? 0 : Math.min(d, maxNanos);
  }

  /** A uniformly random value in {@code [lo, hi]}; both are at most 365 days, so no overflow. */
  private static long between(long lo, long hi, RandomGenerator random) {
    if (hi <= lo) {
      return lo;
    }
    return lo + random.nextLong(hi - lo + 1);
  }

  private static long delayNanos(String name, Duration d) {
    notNull(name, d);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + d);
    }
    if (d.compareTo(MAX_DELAY) > 0) {
      throw new IllegalArgumentException(name + " must be <= " + MAX_DELAY + ", was " + d);
    }
    return d.toNanos();
  }

  private static long positiveNanos(String name, Duration d) {
    long nanos = delayNanos(name, d);
    if (nanos == 0) {
      throw new IllegalArgumentException(name + " must be > 0, was " + d);
    }
    return nanos;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Backoff b)) {
      return false;
    }
    return kind == b.kind
        && initialNanos == b.initialNanos
        && Double.compare(multiplier, b.multiplier) == 0
        && maxNanos == b.maxNanos
        && Double.compare(jitter, b.jitter) == 0;
  }

  @Override
  public int hashCode() {
    int h = kind.hashCode();
    h = 31 * h + Long.hashCode(initialNanos);
    h = 31 * h + Double.hashCode(multiplier);
    h = 31 * h + Long.hashCode(maxNanos);
    return 31 * h + Double.hashCode(jitter);
  }

  /**
   * Describes the backoff, such as {@code exponential(initial=PT0.1S, multiplier=2.0, max=PT10S,
   * jitter=0.5)}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return switch (kind) {
      case FIXED -> "fixed(delay=" + initialDelay() + ", jitter=" + jitter + ")";
      case EXPONENTIAL ->
          String.format(
              Locale.ROOT,
              "exponential(initial=%s, multiplier=%s, max=%s, jitter=%s)",
              initialDelay(),
              multiplier,
              maxDelay(),
              jitter);
      case DECORRELATED ->
          "decorrelatedJitter(base=" + initialDelay() + ", max=" + maxDelay() + ")";
    };
  }
}
