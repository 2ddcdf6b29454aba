package dev.ballast.circuitbreaker;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;

/**
 * One state of a {@link CircuitBreaker}: immutable apart from the counters its subclasses own, and
 * replaced as a whole by compare-and-set (see the breaker's implementation notes). Every state
 * carries the last trip forward, so that stats keep it whatever the breaker did since.
 */
class BreakerState {
  final CircuitBreakerState kind;
  final long enteredAt;
  final boolean admitsAll;
  final CircuitBreakerStats.@Nullable Trip lastTrip;

  /**
   * What this state throws at every caller it refuses (see "Refusals" in the breaker's notes);
   * {@code null} when it admits every call, or when each refusal builds its own (stack traces on).
   */
  final @Nullable CircuitBreakerOpenException rejection;

  BreakerState(
      CircuitBreakerState kind,
      long enteredAt,
      boolean admitsAll,
      CircuitBreakerStats.@Nullable Trip lastTrip,
      @Nullable CircuitBreakerOpenException rejection) {
    this.kind = kind;
    this.enteredAt = enteredAt;
    this.admitsAll = admitsAll;
    this.lastTrip = lastTrip;
    this.rejection = rejection;
  }

  /** Whether this state refuses every request until something else changes it, clock unread. */
  boolean refusesBlindly() {
    return kind == CircuitBreakerState.FORCED_OPEN;
  }

  /** CLOSED or DISABLED: every call passes and is measured. */
  static final class Measuring extends BreakerState {
    final TripWindow window;

    /** DISABLED only: the ticker time from which a threshold crossing is reported again. */
    private final AtomicLong shadowDue;

    Measuring(
        CircuitBreakerState kind,
        long enteredAt,
        TripWindow window,
        CircuitBreakerStats.@Nullable Trip lastTrip) {
      super(kind, enteredAt, true, lastTrip, null);
      this.window = window;
      this.shadowDue = new AtomicLong(enteredAt);
    }

    /**
     * Whether a threshold crossing at {@code now} is to be reported; if so, the next one is not
     * reported before {@code now + quietNanos}. One winner per crossing (CAS).
     */
    boolean shadowReport(long now, long quietNanos) {
      long due = shadowDue.get();
      return now - due >= 0 && shadowDue.compareAndSet(due, now + quietNanos);
    }
  }

  /**
   * OPEN until {@code until}, after the {@code trips}-th trip in a row, for a wait a back-off hint
   * set ({@code hintNanos >= 0}) or the breaker's own.
   *
   * <p>{@code phase} says whether a request must read the clock to know the wait is over: UNARMED
   * (no timer: read it), ARMED (a timer will say when: refuse without reading it) or DUE (the timer
   * fired: read it). The timer's task sets DUE; {@link #arm} CASes UNARMED to ARMED only after the
   * task was scheduled, so a task that fires first leaves DUE and the clock is read.
   */
  static final class Open extends BreakerState {
    private static final int UNARMED = 0;
    private static final int ARMED = 1;
    private static final int DUE = 2;

    final long until;
    final int trips;

    /** The back-off hint that set this wait, in nanoseconds; negative when none did. */
    final long hintNanos;

    /** The settings {@code until} was computed from; a reconfiguration recomputes it. */
    final BreakerSettings settings;

    private final AtomicInteger phase = new AtomicInteger(UNARMED);
    private volatile @Nullable Cancellable timer;

    Open(
        long enteredAt,
        long until,
        int trips,
        CircuitBreakerStats.@Nullable Trip lastTrip,
        long hintNanos,
        @Nullable CircuitBreakerOpenException rejection,
        BreakerSettings settings) {
      super(CircuitBreakerState.OPEN, enteredAt, false, lastTrip, rejection);
      this.until = until;
      this.trips = trips;
      this.hintNanos = hintNanos;
      this.settings = settings;
    }

    @Override
    boolean refusesBlindly() {
      return phase.get() == ARMED;
    }

    /** Schedules the end of the wait on {@code scheduler}; a refusing scheduler leaves UNARMED. */
    void arm(Scheduler scheduler, long now) {
      try {
        timer = scheduler.schedule(() -> phase.set(DUE), Math.max(0, until - now));
      } catch (RuntimeException e) {
        return; // a closed scheduler: every request reads the clock, as without one
      }
      phase.compareAndSet(UNARMED, ARMED);
    }

    /** The state was left: the timer has nothing more to say. */
    void disarm() {
      Cancellable t = timer;
      if (t != null) {
        t.cancel();
      }
    }
  }

  /**
   * HALF_OPEN: the period's probe slots, probes granted and probe successes.
   *
   * <p>A probe permit is a value above {@code floor}, unique among every probe permit the breaker
   * issued (see "Probes" in the breaker's notes). Each of the {@code halfOpenProbes} slots holds
   * FREE, an outstanding probe permit, or DONE. Taking a probe is {@link #reserve()} (a CAS on
   * {@code granted}, at most one per slot) then {@link #hold} (a CAS of a FREE slot to the permit);
   * completing one is {@link #complete}: a CAS of the slot holding the permit to DONE (an outcome)
   * or back to FREE (released or ignored, which then gives the reservation back). A second
   * completion finds no slot holding the permit, or loses the CAS, and changes nothing. The number
   * of slots that are not FREE never exceeds {@code granted} (a slot is taken after its reservation
   * and freed before it is given back), so a thread holding a reservation always finds a FREE slot,
   * after at most a few passes while others churn.
   */
  static final class HalfOpen extends BreakerState {
    private static final long FREE = 0; // never a probe permit: those are > floor >= 0
    private static final long DONE = -1;

    final int trips;
    final long floor;
    final AtomicInteger granted = new AtomicInteger();
    final AtomicInteger successes = new AtomicInteger();
    private final AtomicLongArray slots;

    HalfOpen(
        long enteredAt,
        int trips,
        long floor,
        int probes,
        CircuitBreakerStats.@Nullable Trip lastTrip,
        @Nullable CircuitBreakerOpenException rejection) {
      super(CircuitBreakerState.HALF_OPEN, enteredAt, false, lastTrip, rejection);
      this.trips = trips;
      this.floor = floor;
      this.slots = new AtomicLongArray(probes);
    }

    /** Takes one of the period's probes; {@code false} when every one is out. */
    /** The successes that close this period: the settings', at most its probes. */
    int needed(BreakerSettings settings) {
      return Math.min(settings.probeSuccesses, slots.length());
    }

    boolean reserve() {
      int n = slots.length();
      while (true) {
        int g = granted.get();
        if (g >= n) {
          return false;
        }
        if (granted.compareAndSet(g, g + 1)) {
          return true;
        }
      }
    }

    /** Records an issued probe permit in a FREE slot; the caller holds a reservation. */
    void hold(long permit) {
      int n = slots.length();
      while (true) {
        for (int i = 0; i < n; i++) {
          if (slots.get(i) == FREE && slots.compareAndSet(i, FREE, permit)) {
            return;
          }
        }
        Thread.onSpinWait(); // others are taking and freeing slots; one is free for us
      }
    }

    /**
     * Completes an outstanding probe permit: its slot becomes DONE, or FREE with the reservation
     * given back when {@code giveBack}.
     *
     * @return {@code false} when the permit is not outstanding in this period (completed already)
     */
    boolean complete(long permit, boolean giveBack) {
      int n = slots.length();
      for (int i = 0; i < n; i++) {
        if (slots.get(i) == permit) {
          if (!slots.compareAndSet(i, permit, giveBack ? FREE : DONE)) {
            return false; // a concurrent second completion of the same permit won
          }
          if (giveBack) {
            granted.decrementAndGet();
          }
          return true;
        }
      }
      return false;
    }
  }
}
