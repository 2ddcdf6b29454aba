package dev.ballast.circuitbreaker;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failure and slow rates over the last {@code windowNanos} of ticker time, in ten buckets.
 *
 * <p>Thread-safe and lock-free; allocates one bucket when a bucket's time comes round again.
 */
final class TimeWindow extends TripWindow {

  /*
   * Implementation notes.
   *
   * Time since the window's origin is cut into buckets of windowNanos / BUCKETS; bucket number e
   * lives in slot e % BUCKETS. A slot holds an immutable-epoch Bucket with its own counters.
   * When a call finds an older epoch in its slot it installs a fresh Bucket by CAS (the loser
   * re-reads and uses the winner's) and evaluates the rule, because buckets leaving the window can
   * raise the rate. Replacing the object instead of zeroing counters in place means no increment
   * can land in a bucket after it was "reset": an increment that raced with the replacement lands
   * in the dropped object, which belonged to a bucket already outside the window.
   *
   * The success path first tries `head`, the newest bucket installed: when the completion time
   * falls before that bucket's end it increments it directly, with no division and no array
   * access. `head` is a hint, written (release) after a bucket is installed, and repaired by the
   * full path when a race left it behind; a stale hint only sends a call down the full path, and
   * a call whose time lies before the hint's start (its thread read the ticker a little earlier)
   * is counted in the newer bucket, a shift of at most one bucket. Successes and faults share the
   * full path (bucket()).
   *
   * Reads sum only the slots whose epoch lies within (e - BUCKETS, e], so a window that saw no
   * calls for a while reads as empty rather than as the stale counts of long ago: calls that stop
   * and restart are handled without any timer.
   *
   * Evaluation. A fault evaluates the rule over the window ending at its bucket; so does the call
   * that installs a new bucket (a roll), success or fault, because buckets leaving the window can
   * raise a rate. Between two rolls the window's calls only grow, and a success can only lower a
   * rate, except by bringing the window up to its minimum number of calls: the rule must then be
   * evaluated, or F F F S S (minimum 5) would trip when the last S rolls a bucket and not when it
   * lands in the same bucket. So each bucket carries `warm`: set (false to true, once) by the first
   * evaluation that finds the window ending at that bucket holding at least the minimum. A success
   * into a warm bucket does one volatile read besides its increment; a success into a cold one
   * evaluates (sums the ten buckets, constant work, no allocation; below the minimum the rule
   * answers no). A bucket just installed is cold, so a success that rolls a bucket takes that branch:
   * it evaluates once the window holds the minimum (below it the rule cannot trip), which is the
   * roll's evaluation. A cold bucket of a busy window turns warm at its first evaluation (its
   * roll), so only a window below its minimum (little traffic) pays for the sum. A stale `warm`
   * read as false only costs one more sum.
   */

  static final int BUCKETS = 10;

  private final long bucketNanos;
  private final long origin;
  private final long minimumCalls;
  private final double failureThreshold;
  private final boolean slowRule;
  private final double slowThreshold;
  private final AtomicReferenceArray<Bucket> slots = new AtomicReferenceArray<>(BUCKETS);
  private volatile Bucket head;

  TimeWindow(
      long windowNanos,
      long origin,
      int minimumCalls,
      double failureThreshold,
      boolean slowRule,
      double slowThreshold) {
    this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
    this.origin = origin;
    this.minimumCalls = minimumCalls;
    this.failureThreshold = failureThreshold;
    this.slowRule = slowRule;
    this.slowThreshold = slowThreshold;
    for (int i = 0; i < BUCKETS; i++) {
      slots.set(i, new Bucket(i - BUCKETS, end(i - BUCKETS)));
    }
    Bucket first = new Bucket(0, end(0));
    slots.set(0, first);
    this.head = first;
  }

  private long end(long epoch) {
    return origin + (epoch + 1) * bucketNanos;
  }

  @Override
  boolean needsTime() {
    return true;
  }

  @Override
  boolean onSuccess(long now) {
    Bucket h = head;
    if (now - h.end < 0) {
      h.calls.increment();
      return !h.warm && trips(h);
    }
    return onSuccessRolling(now);
  }

  private boolean onSuccessRolling(long now) {
    Bucket b = bucket(epoch(now));
    b.calls.increment();
    // A bucket this call just installed is cold: a success that rolls a bucket evaluates the window
    // as soon as it holds the minimum (see "Evaluation").
    return !b.warm && trips(b);
  }

  @Override
  boolean onFault(long now, boolean failure, boolean slow) {
    Bucket b = bucket(epoch(now));
    b.calls.increment();
    if (failure) {
      b.failures.incrementAndGet();
    }
    if (slow && slowRule) {
      b.slowCalls.incrementAndGet();
    }
    return trips(b);
  }

  @Override
  Figures figures(long now) {
    return figuresAt(epoch(now));
  }

  /** Evaluates the rule over the window ending at {@code b}; allocates nothing. */
  private boolean trips(Bucket b) {
    long epoch = b.epoch;
    long calls = 0;
    long failed = 0;
    long slow = 0;
    for (int i = 0; i < BUCKETS; i++) {
      Bucket x = slots.get(i);
      if (x.epoch <= epoch && x.epoch > epoch - BUCKETS) {
        calls += x.calls.sum();
        failed += x.failures.get();
        slow += x.slowCalls.get();
      }
    }
    if (calls >= minimumCalls && !b.warm) {
      b.warm = true;
    }
    return rateTrips(calls, failed, slow, minimumCalls, failureThreshold, slowRule, slowThreshold);
  }

  private Figures figuresAt(long epoch) {
    long calls = 0;
    long failed = 0;
    long slow = 0;
    for (int i = 0; i < BUCKETS; i++) {
      Bucket b = slots.get(i);
      if (b.epoch <= epoch && b.epoch > epoch - BUCKETS) {
        calls += b.calls.sum();
        failed += b.failures.get();
        slow += b.slowCalls.get();
      }
    }
    return new Figures(calls, Math.min(calls, failed), Math.min(calls, slow));
  }

  private long epoch(long now) {
    long elapsed = now - origin;
    return elapsed <= 0 ? 0 : elapsed / bucketNanos;
  }

  /** The bucket of {@code epoch} (or a newer one in its slot), installing it if its time came. */
  private Bucket bucket(long epoch) {
    int slot = (int) (epoch % BUCKETS);
    Bucket b = slots.get(slot);
    while (b.epoch < epoch) {
      Bucket fresh = new Bucket(epoch, end(epoch));
      // The loser of a race to install re-reads the slot and uses the winner's bucket.
      b = slots.compareAndSet(slot, b, fresh) ? fresh : slots.get(slot);
    }
    advanceHead(b); // also repairs a hint that a racing install has not advanced yet
    return b;
  }

  private void advanceHead(Bucket installed) {
    // Racy by design: an older bucket may overwrite a newer hint; the next call repairs it.
    if (installed.epoch > head.epoch) {
      head = installed;
    }
  }

  /** One bucket's counts; the epoch never changes. */
  static final class Bucket {
    final long epoch;
    final long end;
    final LongAdder calls = new LongAdder();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong slowCalls = new AtomicLong();
    volatile boolean warm; // the window ending here held the minimum; see "Evaluation"

    Bucket(long epoch, long end) {
      this.epoch = epoch;
      this.end = end;
    }
  }
}
