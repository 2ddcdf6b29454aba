package dev.ballast.bulkhead;

import dev.ballast.Gate;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admission by the slot table: claiming a free slot is admission, freeing it is release, and no
 * other count exists.
 *
 * <p>Implementation notes. The slots are laid out as {@code [partition 0][partition 1]...[shared]}:
 * partition {@code p} owns a fixed range of {@code reserved(p)} slots from {@code from[p]}, the
 * reserved ranges end at {@link #reserved}, and the shared (unreserved) range is {@code [reserved,
 * limit)}. A call without a partition claims only in the shared range; a partition claims in its
 * own range and, when it borrows, in the shared range when its own is full. The reserved ranges
 * never change, so a partition never holds more than its reservation plus what it borrowed from the
 * shared range, and the global limit holds as long as the shared range does.
 *
 * <p>Claiming scans one pass over the range, starting at a slot chosen from the caller's thread
 * (its id, spread and mapped onto the range by multiplies, not a division), so that while there is
 * room two threads usually start on different free slots and a claim is one CAS; near full the scan
 * reads at most every slot of the range once and then refuses.
 *
 * <p>Shrinking the limit while slots above the new limit are held: the shared range's claims check
 * afterwards (after their CAS) that {@link #drain} is 0 and their slot is below the limit, both
 * volatile reads of fields that only a resize writes. A resize that lowers the limit sets {@code
 * drain} before it writes the new limit, and clears it (under the lock) only after a scan finds no
 * slot at or above the limit held. A claim that sees {@code drain} set, or a slot at or above the
 * limit, confirms under the lock: it counts every held slot of the shared side (its own included)
 * and keeps the slot only when that count is within {@code limit - reserved}; otherwise it frees
 * the slot (counted in {@link #undone}, so {@code calls()} stays exact) and is refused. The
 * argument: a claim that read {@code drain == 0} after its CAS did its CAS before the resize wrote
 * {@code drain}, so it was admitted under the old limit, whose shared range held at most {@code
 * limit - reserved} slots (every slot below that limit, none above: a clear scan saw none, and a
 * later claim above the limit reads the new limit and confirms). So the limit is never exceeded by
 * admitted calls at any instant, only by claims about to be undone, which {@code
 * stats().inFlight()} may count for that instant. The cost falls on the rare resize: the hot path
 * reads two fields that stay in every core's cache. While a call still holds a slot above a lowered
 * limit, though, every claim of the shared range confirms (the lock and a scan of the slots) until
 * that call ends. The alternative (blocking low slots until high ones drain) needs a debt that the
 * release path would have to pay, which costs the hot path more.
 *
 * <p>Resizing and confirming take a {@link ReentrantLock} (never {@code synchronized}, so virtual
 * threads do not pin), shared with the waiting room.
 */
final class Permits {
  private static final int SHARED = -1;

  final Slots slots;
  final ReentrantLock lock = new ReentrantLock();

  /** Slots below this index belong to partitions; the shared range starts here. */
  final int reserved;

  private final int[] from;
  private final int[] size;
  private final boolean[] borrows;
  private final LongAdder undone = new LongAdder();
  private volatile int limit;
  private volatile int drain;

  Permits(int limit, List<BulkheadConfig.Partition> partitions) {
    int n = partitions.size();
    this.from = new int[n];
    this.size = new int[n];
    this.borrows = new boolean[n];
    int end = 0;
    for (int p = 0; p < n; p++) {
      BulkheadConfig.Partition partition = partitions.get(p);
      from[p] = end;
      size[p] = partition.reserved();
      borrows[p] = partition.borrowing();
      end += partition.reserved();
    }
    this.reserved = end;
    this.slots = new Slots(limit);
    this.limit = limit;
  }

  /** The class of a call without a partition, for {@link #claim(int, int)}. */
  static int shared() {
    return SHARED;
  }

  int limit() {
    return limit;
  }

  /** Maps {@code hash} onto {@code [0, n)} by a multiply (a division costs more). */
  private static int start(int hash, int n) {
    return (int) (((hash & 0xFFFF_FFFFL) * n) >>> 32);
  }

  /**
   * A start hint for the calling thread: its id spread by the golden ratio, so that threads with
   * consecutive ids start far apart. (The thread's identity hash measured 9 ns a call, the id one
   * field read.)
   */
  @SuppressWarnings("deprecation") // getId(): threadId() is JDK 19+, and core targets 17
  static int hash() {
    return (int) Thread.currentThread().getId() * 0x9E37_79B9;
  }

  /** Claims a slot for a call of class {@code cls} (a partition's index, or {@link #shared()}). */
  long claim(int cls, int hash) {
    if (cls == SHARED) {
      return claimShared(hash);
    }
    int lo = from[cls];
    int n = size[cls];
    long permit = slots.claim(lo, lo + n, lo + start(hash, n));
    if (permit == Gate.REFUSED && borrows[cls]) {
      permit = claimShared(hash);
    }
    return permit;
  }

  /** Claims a slot of the shared range: the hot path of a bulkhead without partitions. */
  long claimShared(int hash) {
    int lo = reserved;
    int hi = limit;
    long permit = slots.claim(lo, hi, lo + start(hash, hi - lo));
    if (permit == Gate.REFUSED || (drain == 0 && (int) (permit >>> 32) < limit)) {
      return permit;
    }
    return confirm(permit);
  }

  /** Keeps a shared slot claimed during or after a shrink only within the limit (see above). */
  private long confirm(long permit) {
    lock.lock();
    try {
      int max = limit;
      if ((int) (permit >>> 32) < max
          && slots.held(reserved, Integer.MAX_VALUE) <= max - reserved) {
        clearDrainIfDone(max);
        return permit;
      }
      undo(permit);
      return Gate.REFUSED;
    } finally {
      lock.unlock();
    }
  }

  /** Frees a slot claimed by a call that was then not admitted, uncounting the claim. */
  void undo(long permit) {
    if (slots.free(permit)) {
      undone.increment();
    }
  }

  private void clearDrainIfDone(int max) {
    if (drain != 0 && slots.held(max, Integer.MAX_VALUE) == 0) {
      drain = 0;
    }
  }

  /**
   * Sets the limit; returns the previous one.
   *
   * @throws IllegalArgumentException when {@code n} leaves no permit to calls without a partition
   */
  int resize(int n) {
    lock.lock();
    try {
      if (n <= reserved) {
        throw new IllegalArgumentException(
            "maxConcurrentCalls must be > the "
                + reserved
                + " permits the partitions reserve, was "
                + n);
      }
      int previous = limit;
      if (n > previous) {
        slots.ensureCapacity(n);
        limit = n;
      } else if (n < previous) {
        drain = 1;
        limit = n;
      }
      clearDrainIfDone(n);
      return previous;
    } finally {
      lock.unlock();
    }
  }

  /** Calls admitted since creation. */
  long claims() {
    return slots.claims() - undone.sum();
  }

  /** Slots held now, over every range; not atomic across slots. */
  int inFlight() {
    return slots.held(0, Integer.MAX_VALUE);
  }

  /**
   * Slots held now below the limit (every partition's and the shared range): what an adaptive limit
   * samples, scanning {@code limit} slots rather than the whole table. A call still holding a slot
   * above a lowered limit is not counted.
   */
  int inFlightBelowLimit() {
    return slots.held(0, limit);
  }

  /** Slots of partition {@code p}'s own range held now. */
  int inUse(int p) {
    return slots.held(from[p], from[p] + size[p]);
  }
}
