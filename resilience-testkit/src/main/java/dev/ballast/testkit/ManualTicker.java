package dev.ballast.testkit;

import dev.ballast.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * <p>A {@link ManualScheduler} built on this ticker runs its tasks as the ticker passes their time:
 * an advance stops at each due time in turn, runs what came due there (in time order, on the
 * advancing thread), and goes on. So {@code advance(ofSeconds(10))} does what ten {@code
 * advance(ofSeconds(1))} would, a task sees the ticker read its own due time, and a task it
 * schedules within the rest of the advance runs within it too. {@code advance(Duration.ZERO)} runs
 * the tasks due now.
 *
 * <p>Thread-safe: the reading is an {@link AtomicLong}; concurrent advances all take effect and
 * every reader sees a value at least as large as any it saw before.
 */
public final class ManualTicker implements Ticker, LongSupplier {
  private final AtomicLong nanos;
  private final List<DueTasks> schedulers = new CopyOnWriteArrayList<>();

  /** Tasks kept by a {@link ManualScheduler}, as the ticker sees them while advancing. */
  interface DueTasks {
    /**
     * How far the earliest pending task lies after {@code now}: 0 when one is due, {@link
     * Long#MAX_VALUE} when none is pending.
     */
    long nanosToNextDue(long now);

    /** Runs the tasks due at the ticker's reading, in time order, on the calling thread. */
    void runDue();
  }

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
   * Moves time forward, running the tasks of {@linkplain ManualScheduler schedulers} on this ticker
   * as they come due.
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
   * Moves time forward by a number of nanoseconds, running the tasks of {@linkplain ManualScheduler
   * schedulers} on this ticker as they come due.
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

  void attach(DueTasks scheduler) {
    schedulers.add(scheduler);
  }

  void detach(DueTasks scheduler) {
    schedulers.remove(scheduler);
  }

  private long advanceBy(String parameter, Object given, long delta) {
    if (schedulers.isEmpty()) {
      return add(parameter, given, delta);
    }
    long start = nanos.get();
    if (start + delta < start) {
      throw overflow(parameter, given, start);
    }
    long remaining = delta;
    long reading = start;
    while (true) {
      for (DueTasks s : schedulers) {
        s.runDue();
      }
      if (remaining == 0) {
        return delta == 0 ? nanos.get() : reading;
      }
      long now = nanos.get();
      long step = remaining;
      for (DueTasks s : schedulers) {
        step = Math.min(step, s.nanosToNextDue(now));
      }
      if (step == 0) {
        continue; // a task fell due meanwhile: run it before moving on
      }
      long next = now + step;
      if (next < now) {
        throw overflow(parameter, given, now);
      }
      if (nanos.compareAndSet(now, next)) {
        remaining -= step;
        reading = next;
      }
    }
  }

  private long add(String parameter, Object given, long delta) {
    while (true) {
      long current = nanos.get();
      long next = current + delta;
      if (next < current) {
        throw overflow(parameter, given, current);
      }
      if (nanos.compareAndSet(current, next)) {
        return next;
      }
    }
  }

  private static IllegalArgumentException overflow(String parameter, Object given, long current) {
    return new IllegalArgumentException(
        parameter + " would overflow the ticker (now " + current + " ns), was " + given);
  }

  @Override
  public String toString() {
    return "ManualTicker[" + nanos.get() + " ns]";
  }
}
