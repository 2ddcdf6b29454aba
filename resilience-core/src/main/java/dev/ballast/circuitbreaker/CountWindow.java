package dev.ballast.circuitbreaker;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failure and slow rates over the last {@code size} calls.
 *
 * <p>Thread-safe and lock-free; allocation-free after construction.
 */
final class CountWindow extends TripWindow {

  /*
   * Implementation notes.
   *
   * A ring of the last N outcomes would make every success evict an entry that may be a failure,
   * so every success would write shared state that readers must reconcile. Instead the window
   * counts calls in a striped counter (LongAdder: one uncontended CAS per call on a cell of the
   * caller's own) and remembers only where the faults were: each failure (and each slow call) is
   * stamped with the call count at the time it is recorded, its position, and appended to a ring
   * of the last N such positions. The failures among the last N calls are the entries whose
   * position is greater than (calls - N); positions are appended in nearly increasing order, so a
   * binary search over the ring finds the boundary in O(log N), on the fault path only.
   *
   * Concurrency: calls.sum() is not an atomic snapshot, and two faults recorded at once may append
   * their positions slightly out of order or read the same position. The window is then off by
   * the few calls in flight, never by more, and a single thread sees exact figures. The append
   * (seq.getAndIncrement, then ring.set) may be read between its two steps; the reader then sees
   * the slot's older, smaller position and undercounts that one fault until the write lands.
   *
   * Evaluation. A fault evaluates the rule. A success evaluates it only while the window is still
   * below its minimum number of calls (`warm` false): it then sums the striped counter (a bounded
   * number of cells, no allocation) and, once the sum reaches the minimum, evaluates and sets
   * `warm`. A warm window's calls only grow, and any later success can only lower a rate (it adds a
   * call, or evicts the oldest call, which is never worse than a success), so a warm success does
   * one volatile read besides its increment. `warm` is written only from false to true; a thread
   * that reads a stale false sums once more, which is harmless. Two successes that reach the
   * minimum together may both evaluate; the breaker's CAS makes one trip of it.
   */

  private final int size;
  private final boolean slowRule;
  private final LongAdder calls = new LongAdder();
  private volatile boolean warm; // calls >= minimumCalls; see "Evaluation"
  private final PositionRing failures;
  private final PositionRing slowCalls;

  CountWindow(int size, boolean slowRule) {
    this.size = size;
    this.slowRule = slowRule;
    this.failures = new PositionRing(size);
    this.slowCalls = new PositionRing(slowRule ? size : 1);
  }

  @Override
  boolean onSuccess(long now, BreakerSettings s) {
    calls.increment();
    if (warm) {
      return false;
    }
    long position = calls.sum();
    return position >= minimum(s) && evaluate(position, s);
  }

  /** The minimum number of calls, at most the window's size. */
  private long minimum(BreakerSettings s) {
    return Math.min(s.minimumCalls, size);
  }

  @Override
  boolean onFault(long now, boolean failure, boolean slow, BreakerSettings s) {
    calls.increment();
    long position = calls.sum();
    if (failure) {
      failures.append(position);
    }
    if (slow && slowRule) {
      slowCalls.append(position);
    }
    return evaluate(position, s);
  }

  /** Evaluates the rule over the window ending at {@code position}; allocates nothing. */
  private boolean evaluate(long position, BreakerSettings s) {
    long buffered = Math.min(position, size);
    long minimumCalls = minimum(s);
    if (buffered < minimumCalls) {
      return false;
    }
    if (!warm) {
      warm = true;
    }
    long floor = position - size;
    return rateTrips(
        buffered,
        failures.countAbove(floor),
        slowRule ? slowCalls.countAbove(floor) : 0,
        minimumCalls,
        s);
  }

  @Override
  boolean fits(BreakerSettings s) {
    return s.config.tripRule() == CircuitBreakerConfig.TripRule.FAILURE_RATE_OVER_CALLS
        && s.config.windowCalls() == size
        && s.slowRule == slowRule;
  }

  @Override
  void retune() {
    warm = false; // a racing evaluation may set it again: it then evaluated, so no trip is missed
  }

  @Override
  Figures figures(long now) {
    return figuresAt(calls.sum());
  }

  private Figures figuresAt(long position) {
    long floor = position - size;
    long buffered = Math.min(position, size);
    long failed = Math.min(buffered, failures.countAbove(floor));
    long slow = slowRule ? Math.min(buffered, slowCalls.countAbove(floor)) : 0;
    return new Figures(buffered, failed, slow);
  }

  /** The positions of the last {@code capacity} faults, oldest overwritten first. */
  static final class PositionRing {
    private final int capacity;
    private final AtomicLongArray positions;
    private final AtomicLong appended = new AtomicLong();

    PositionRing(int capacity) {
      this.capacity = capacity;
      this.positions = new AtomicLongArray(capacity);
    }

    void append(long position) {
      long index = appended.getAndIncrement();
      positions.set((int) (index % capacity), position);
    }

    /** The entries with a position above {@code floor}, assuming nearly ascending order. */
    long countAbove(long floor) {
      long hi = appended.get();
      long lo = Math.max(0, hi - capacity);
      long end = hi;
      while (lo < hi) {
        long mid = (lo + hi) >>> 1;
        if (positions.get((int) (mid % capacity)) > floor) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return end - lo;
    }
  }
}
