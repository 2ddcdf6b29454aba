package dev.ballast.micrometer;

import dev.ballast.circuitbreaker.CircuitBreakerState;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The meters one {@link CircuitBreakerMetrics} registered in one registry, in one naming style.
 *
 * <p>Subclasses register their eager meters in their constructor, and call {@link #removeAll()}
 * there before rethrowing if a registration fails.
 *
 * <p>Thread-safe. The event methods run on the breaker's callers, lock-free; the list of meters is
 * guarded by {@link #lock}, which only registration and {@link #removeAll()} take, so that a meter
 * registered late (a transition counter) cannot outlive {@link #removeAll()}.
 */
abstract class MeterSet {
  /** A call's outcome or trait, as the breaker's listener reports it. */
  enum CallEvent {
    SUCCESS,
    FAILURE,
    IGNORED,
    SLOW
  }

  static final TimeUnit NANOS = TimeUnit.NANOSECONDS;

  final MeterRegistry registry;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Meter> meters = new ArrayList<>(); // guarded by lock
  private boolean removed; // guarded by lock

  MeterSet(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records a call event; {@code durationNanos} is {@code -1} when the call was not timed. */
  abstract void onCall(CallEvent event, long durationNanos);

  /** Records a state transition. */
  abstract void onTransition(CircuitBreakerState from, CircuitBreakerState to);

  /**
   * Remembers a meter for {@link #removeAll()}; if that already ran, removes the meter at once.
   *
   * @return the meter
   */
  final <M extends Meter> M keep(M meter) {
    lock.lock();
    try {
      if (removed) {
        registry.remove(meter);
      } else {
        meters.add(meter);
      }
    } finally {
      lock.unlock();
    }
    return meter;
  }

  /** Removes every meter this set registered; later {@link #keep} calls remove theirs at once. */
  final void removeAll() {
    lock.lock();
    try {
      removed = true;
      for (Meter meter : meters) {
        registry.remove(meter);
      }
      meters.clear();
    } finally {
      lock.unlock();
    }
  }

  /** The amount a timer records for a listener duration: {@code -1} (not timed) counts as zero. */
  static long nanos(long durationNanos) {
    return Math.max(0L, durationNanos);
  }

  /** A state as a tag value: {@code half_open}, {@code forced_open}. */
  static String tagValue(CircuitBreakerState state) {
    return state.name().toLowerCase(Locale.ROOT);
  }
}
