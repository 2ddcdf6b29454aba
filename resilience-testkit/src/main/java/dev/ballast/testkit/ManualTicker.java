package dev.ballast.testkit;

import dev.ballast.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A {@link Ticker} that moves only when told to: tests {@linkplain #advance(Duration) advance} it
 * by hand, so every time-based behavior runs in virtual time, without sleeping.
 *
 * <p>It starts at zero or at a chosen origin and never goes backwards: negative advances, and
 * advances that would overflow a {@code long}, are refused. It is also a {@link LongSupplier} of
 * the same reading, for code that takes a plain clock function.
 *
 * <p>Thread-safe: the reading is an {@link AtomicLong}; concurrent advances all take effect and
 * every reader sees a value at least as large as any it saw before.
 */
public final class ManualTicker implements Ticker, LongSupplier {
  private final AtomicLong nanos;

  /** Creates a ticker that reads zero. */
  public ManualTicker() {
    this(0L);
  }

  /**
   * Creates a ticker that starts at {@code originNanos}. Ballast only uses differences between
   * readings, so a non-zero origin (even a negative one, as {@link System#nanoTime()} may return)
   * checks that code does not assume time starts at zero.
   *
   * @param originNanos the first reading, in nanoseconds
   */
  public ManualTicker(long originNanos) {
    this.nanos = new AtomicLong(originNanos);
  }

  /**
   * The current reading.
   *
   * @return nanoseconds since the ticker's arbitrary origin
   */
  @Override
  public long read() {
    return nanos.get();
  }

  /**
   * The current reading; the same as {@link #read()}.
   *
   * @return nanoseconds since the ticker's arbitrary origin
   */
  @Override
  public long getAsLong() {
    return read();
  }

  /**
   * Moves time forward.
   *
   * @param duration how far, zero or positive
   * @return the reading after the advance
   * @throws NullPointerException when {@code duration} is null
   * @throws IllegalArgumentException when {@code duration} is negative or the reading would
   *     overflow
   */
  public long advance(Duration duration) {
    Objects.requireNonNull(duration, "duration must not be null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative, was " + duration);
    }
    long delta;
    try {
      delta = duration.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "duration is too long to count in nanoseconds, was " + duration, e);
    }
    return advanceBy("duration", duration, delta);
  }

  /**
   * Moves time forward by a number of nanoseconds.
   *
   * @param nanos how far, zero or positive
   * @return the reading after the advance
   * @throws IllegalArgumentException when {@code nanos} is negative or the reading would overflow
   */
  public long advanceNanos(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("nanos must not be negative, was " + nanos);
    }
    return advanceBy("nanos", nanos, nanos);
  }

  private long advanceBy(String parameter, Object given, long delta) {
    while (true) {
      long current = nanos.get();
      long next = current + delta;
      if (next < current) {
        throw new IllegalArgumentException(
            parameter + " would overflow the ticker (now " + current + " ns), was " + given);
      }
      if (nanos.compareAndSet(current, next)) {
        return next;
      }
    }
  }

  @Override
  public String toString() {
    return "ManualTicker[" + nanos.get() + " ns]";
  }
}
