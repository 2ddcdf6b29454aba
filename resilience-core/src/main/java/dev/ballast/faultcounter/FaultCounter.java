package dev.ballast.faultcounter;

import static dev.ballast.internal.Preconditions.notNull;
import static dev.ballast.internal.Preconditions.positive;

import dev.ballast.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * A leaky bucket of faults (<em>Release It!</em>, Leaky Bucket): each fault adds one to the level,
 * the level leaks one fault every {@code leakInterval}, and a fault that takes the level above
 * {@code capacity} overflows. It measures fault <em>density</em> rather than a total, so a trickle
 * of faults over a long time never trips, and a burst does.
 *
 * <p>A building block rather than a policy, so it does not take the shape every pattern shares
 * ({@code of(name, config)}, stats, listeners): it guards no call, so it has no name to report, no
 * outcomes to classify and no events to tell; its two settings are the arguments of {@link #of},
 * and {@link #level()} and {@link #isOverflowing()} are its figures. A circuit breaker with the
 * leaky-bucket trip rule wraps one and adds all of that.
 *
 * <p>Lock-free, O(1) in time and space, and allocation-free; safe for any number of threads.
 */
public final class FaultCounter {

  /*
   * Implementation notes.
   *
   * The whole state is one long, emptyAt: the ticker time at which the bucket will be empty if
   * no more faults arrive (the "theoretical arrival time" of the generic cell rate algorithm).
   * At time now the level is ceil((emptyAt - now) / leak), or 0 when emptyAt <= now. A fault
   * moves emptyAt to max(emptyAt, now) + leak. Differences of ticker readings are used, never
   * absolute values, so the arbitrary origin of System.nanoTime does not matter.
   *
   * recordFault() is a CAS loop on emptyAt; nothing else is written. level() is a plain
   * volatile read. emptyAt is capped at now + (capacity + 1) * leak so that a storm of faults
   * cannot push it arbitrarily far into the future: after a storm the bucket drains within
   * (capacity + 1) leak intervals.
   */

  /**
   * The longest time a full bucket may take to drain, {@code (capacity + 1) * leakInterval}: a
   * quarter of the range of a {@code long} of nanoseconds (about 73 years), so that no sum of
   * ticker readings and spans overflows.
   */
  static final long MAX_SPAN_NANOS = Long.MAX_VALUE / 4;

  private static final VarHandle EMPTY_AT;

  static {
    try {
      EMPTY_AT = MethodHandles.lookup().findVarHandle(FaultCounter.class, "emptyAt", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int capacity;
  private final long leakNanos;
  private final long capacityNanos;
  private final long ceilingNanos;
  private final Ticker ticker;

  @SuppressWarnings("UnusedVariable") // read and written through EMPTY_AT
  private volatile long emptyAt;

  private FaultCounter(int capacity, long leakNanos, Ticker ticker) {
    this.capacity = capacity;
    this.leakNanos = leakNanos;
    this.capacityNanos = capacity * leakNanos; // of() keeps (capacity + 1) * leak in range
    this.ceilingNanos = (capacity + 1L) * leakNanos;
    this.ticker = ticker;
    EMPTY_AT.setRelease(this, ticker.read()); // published by the final-field freeze of `this`
  }

  /**
   * Creates an empty bucket.
   *
   * @param capacity faults the bucket holds without overflowing, at least 1
   * @param leakInterval the time for one fault to leak out, &gt; 0; {@code (capacity + 1) *
   *     leakInterval}, the longest a full bucket takes to drain, at most 26,687 days (about 73
   *     years): a longer one could never overflow
   * @param ticker the time source
   * @return the counter
   */
  public static FaultCounter of(int capacity, Duration leakInterval, Ticker ticker) {
    positive("capacity", capacity);
    positive("leakInterval", leakInterval);
    notNull("ticker", ticker);
    long nanos;
    try {
      nanos = leakInterval.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("leakInterval is too long, was " + leakInterval, e);
    }
    if (nanos > MAX_SPAN_NANOS / (capacity + 1L)) {
      // A longer span would saturate: the bucket could then never overflow.
      throw new IllegalArgumentException(
          "(capacity + 1) * leakInterval must be at most "
              + Duration.ofNanos(MAX_SPAN_NANOS).toDays()
              + " days, was capacity="
              + capacity
              + " leakInterval="
              + leakInterval);
    }
    return new FaultCounter(capacity, nanos, ticker);
  }

  /**
   * Adds one fault.
   *
   * @return {@code true} when the level is now above the capacity (the bucket overflowed)
   */
  public boolean recordFault() {
    long now = ticker.read();
    while (true) {
      long current = emptyAtVolatile();
      long base = current - now > 0 ? current : now;
      long pending = base - now;
      // ceilingNanos >= 2 * leakNanos, so the subtraction cannot overflow; the sum then cannot.
      long backlog = pending > ceilingNanos - leakNanos ? ceilingNanos : pending + leakNanos;
      if (casEmptyAt(current, now + backlog)) {
        return backlog > capacityNanos;
      }
    }
  }

  /**
   * The faults in the bucket now, after leaking.
   *
   * @return the level, from 0 to {@code capacity + 1}
   */
  public long level() {
    long remaining = emptyAtVolatile() - ticker.read();
    if (remaining <= 0) {
      return 0;
    }
    // ceil(remaining / leak) without overflow: remaining + leak may exceed a long for long leaks.
    return 1 + (remaining - 1) / leakNanos;
  }

  /**
   * Whether the level is above the capacity now.
   *
   * @return {@code true} while overflowing
   */
  public boolean isOverflowing() {
    return emptyAtVolatile() - ticker.read() > capacityNanos;
  }

  /** Empties the bucket. */
  public void reset() {
    // Release pairs with the volatile reads in level() and recordFault().
    EMPTY_AT.setVolatile(this, ticker.read());
  }

  /**
   * @return the faults the bucket holds without overflowing
   */
  public int capacity() {
    return capacity;
  }

  /**
   * @return the time for one fault to leak out
   */
  public Duration leakInterval() {
    return Duration.ofNanos(leakNanos);
  }

  @Override
  public String toString() {
    return "FaultCounter{level="
        + level()
        + ", capacity="
        + capacity
        + ", leak="
        + leakInterval()
        + '}';
  }

  private long emptyAtVolatile() {
    return (long) EMPTY_AT.getVolatile(this);
  }

  private boolean casEmptyAt(long expected, long next) {
    return EMPTY_AT.compareAndSet(this, expected, next);
  }
}
