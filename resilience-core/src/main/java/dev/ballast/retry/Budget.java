package dev.ballast.retry;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * A retry budget: over any window, retries up to {@code max(minRetries, ratio * calls)}, where
 * {@code minRetries} is the minimum rate over the window rounded up to a whole retry. Ten buckets
 * on the ticker; the calls come from the retry's own striped call counter.
 *
 * <p>Thread-safe and lock-free. Consulted only when a retry is about to be made, never on the
 * success path.
 */
final class Budget {

  /*
   * Implementation notes.
   *
   * Calls are not bucketed as they happen: that would need a ticker read per call on the success
   * path. The retry keeps one cumulative striped counter of calls (`calls`), and the budget takes
   * snapshots of it lazily. Window time is cut into ten buckets of window / 10; bucket number e
   * lives in slot e % 10 as an immutable-epoch Bucket holding `callsAtStart` (the call counter
   * when the bucket was installed) and its own retry counter. The first retry decision in a
   * bucket installs it by CAS (a loser uses the winner's); replacing the object rather than
   * zeroing it in place means no retry can be counted into a bucket after it was reset.
   *
   * Calls in the window = calls now - the smallest callsAtStart among the buckets in the window
   * (epochs e-9..e). A bucket is installed when its first retry is asked for, not when its time
   * begins, so calls made in the window before any failure are not credited: after a quiet spell,
   * a burst of failures gets the minimum at first and the ratio's share of the calls made since.
   * That errs on the side of fewer retries exactly when a dependency starts to fail. While
   * failures keep coming, every bucket is installed early and the count is exact to a bucket.
   * The slots that predate the budget carry callsAtStart = 0, so in the first window every call
   * since the budget was made counts.
   *
   * Taking a retry is a CAS on the current bucket's counter after reading the others: a retry is
   * granted only when (retries in the other buckets) + (this bucket's count) + 1 <= allowed, with
   * the CAS ensuring no two threads take the same last unit. Retries in older buckets do not
   * change (a thread whose clock reading is stale may still count one there, a benign skew of one
   * bucket), so the grants in a window never exceed the allowance computed by the last grant.
   */

  static final int BUCKETS = 10;

  private final long windowNanos;
  private final long bucketNanos;
  private final long origin;
  private final double ratio;
  private final double minRetries;
  private final LongSupplier calls;
  private final AtomicReferenceArray<Bucket> slots = new AtomicReferenceArray<>(BUCKETS);
  private final AtomicLong nextWarning;

  Budget(double ratio, int minRetriesPerSecond, long windowNanos, long origin, LongSupplier calls) {
    this.windowNanos = windowNanos;
    this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
    this.origin = origin;
    this.ratio = ratio;
    this.minRetries = minRetries(minRetriesPerSecond, windowNanos);
    this.calls = calls;
    for (int i = 0; i < BUCKETS; i++) {
      slots.set(i, new Bucket(i - BUCKETS + (i == 0 ? BUCKETS : 0), 0));
    }
    this.nextWarning = new AtomicLong(origin);
  }

  /**
   * The floor of retries per window: {@code ceil(perSecond * window in seconds)}, computed exactly
   * in whole numbers, so that a minimum rate is never rounded away (5 per second over a 100 ms
   * window is one retry per window, not half of one, which would allow none).
   */
  static long minRetries(int perSecond, long windowNanos) {
    long seconds = windowNanos / 1_000_000_000L;
    long rest = windowNanos % 1_000_000_000L;
    // perSecond < 2^31 and window <= 365 days < 2^25 s, rest < 2^30: no product overflows.
    return perSecond * seconds + (perSecond * rest + 999_999_999L) / 1_000_000_000L;
  }

  /**
   * Takes one retry from the budget.
   *
   * @param now the ticker's reading
   * @return {@code true} when the retry may be made
   */
  boolean tryAcquire(long now) {
    long epoch = epoch(now);
    Bucket current = bucket(epoch);
    while (true) {
      long c = calls.getAsLong();
      long oldest = c;
      long others = 0;
      for (int i = 0; i < BUCKETS; i++) {
        Bucket b = slots.get(i);
        if (b.epoch > epoch - BUCKETS && b.epoch <= epoch) {
          oldest = Math.min(oldest, b.callsAtStart);
          if (b != current) {
            others += b.retries.get();
          }
        }
      }
      double allowed = allowed(c - oldest);
      long mine = current.retries.get();
      if (others + mine + 1 > allowed) {
        return false;
      }
      if (current.retries.compareAndSet(mine, mine + 1)) {
        return true;
      }
    }
  }

  /**
   * Whether this exhaustion should be logged: at most once per window.
   *
   * @param now the ticker's reading
   * @return {@code true} for the one caller that should log
   */
  boolean shouldWarn(long now) {
    long next = nextWarning.get();
    return now - next >= 0 && nextWarning.compareAndSet(next, now + windowNanos);
  }

  /**
   * The budget's figures for a log line.
   *
   * @param now the ticker's reading
   * @return {@code retries=.. allowed=.. calls=.. windowMs=..}
   */
  String describe(long now) {
    long epoch = epoch(now);
    long c = calls.getAsLong();
    long oldest = c;
    long retries = 0;
    for (int i = 0; i < BUCKETS; i++) {
      Bucket b = slots.get(i);
      if (b.epoch > epoch - BUCKETS && b.epoch <= epoch) {
        oldest = Math.min(oldest, b.callsAtStart);
        retries += b.retries.get();
      }
    }
    return String.format(
        Locale.ROOT,
        "retries=%d allowed=%.1f calls=%d windowMs=%d",
        retries,
        allowed(c - oldest),
        c - oldest,
        windowNanos / 1_000_000);
  }

  private double allowed(long callsInWindow) {
    return Math.max(minRetries, ratio * callsInWindow);
  }

  private long epoch(long now) {
    return Math.floorDiv(now - origin, bucketNanos);
  }

  private Bucket bucket(long epoch) {
    int slot = (int) Math.floorMod(epoch, (long) BUCKETS);
    Bucket b = slots.get(slot);
    while (b.epoch < epoch) {
      Bucket fresh = new Bucket(epoch, calls.getAsLong());
      if (slots.compareAndSet(slot, b, fresh)) {
        return fresh;
      }
      b = slots.get(slot);
    }
    return b; // this epoch's, or a newer one when this thread's reading is stale
  }

  /** One bucket: its epoch, the call count when it was installed, its retries. */
  private static final class Bucket {
    final long epoch;
    final long callsAtStart;
    final AtomicLong retries = new AtomicLong();

    Bucket(long epoch, long callsAtStart) {
      this.epoch = epoch;
      this.callsAtStart = callsAtStart;
    }
  }
}
