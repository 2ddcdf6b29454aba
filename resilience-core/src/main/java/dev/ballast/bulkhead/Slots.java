package dev.ballast.bulkhead;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The record of which permits are held, so that a permit completed twice is released once.
 *
 * <p>Implementation notes. Each held permit owns one slot, a {@code long} whose low bit says held
 * (odd) or free (even) and whose value grows by one at each claim and each free: a slot is its own
 * generation counter. A permit is the slot's index in the high 32 bits and the slot's value when
 * claimed in the low 32 bits, so it is never negative and never {@code Gate.REFUSED}. Freeing CASes
 * the slot from exactly that value to the next; a second completion finds another value and changes
 * nothing. (A duplicate arriving after the same slot was claimed and freed 2^31 times more would be
 * taken for the new holder's; that is the one case not told apart.)
 *
 * <p>The caller claims a slot only after the semaphore gave it a permit, and there are at least as
 * many slots as the highest limit the bulkhead ever had, so a free slot always exists and the scan
 * ends. Slots live in chunks of 1, 2, 4 ... slots (chunk {@code k} holds indices {@code 2^k - 1} to
 * {@code 2^(k+1) - 2}); raising the limit adds chunks and never moves a slot, so a permit stays
 * valid across resizes. The scan starts at a random index to keep threads off each other's slots.
 * Claiming and freeing take no lock and allocate nothing. The slots also count the admissions (see
 * {@link #claims()}), so that admitting needs no counter of its own.
 */
final class Slots {
  /** Chunks 0..16 hold 2^17 - 1 slots, more than {@link BulkheadConfig#MAX_CONCURRENT_CALLS}. */
  private static final int CHUNKS = 17;

  /** Longs per slot: each slot on a cache line of its own, so threads on two slots never share. */
  private static final int STRIDE = 8;

  private final AtomicReferenceArray<AtomicLongArray> chunks = new AtomicReferenceArray<>(CHUNKS);
  private volatile int capacity;

  Slots(int capacity) {
    ensureCapacity(capacity);
  }

  /** Adds chunks until there are at least {@code n} slots; called by one thread at a time. */
  void ensureCapacity(int n) {
    int k = 31 - Integer.numberOfLeadingZeros(capacity + 1);
    while (capacity < n) {
      chunks.set(k, new AtomicLongArray((1 << k) * STRIDE));
      capacity = (1 << (k + 1)) - 1;
      k++;
    }
  }

  /** Claims a free slot; the caller holds a semaphore permit, so one exists. */
  long claim() {
    int cap = capacity;
    int i = ThreadLocalRandom.current().nextInt(cap);
    for (; ; ) {
      int k = 31 - Integer.numberOfLeadingZeros(i + 1);
      AtomicLongArray chunk = chunks.get(k);
      int offset = (i + 1 - (1 << k)) * STRIDE;
      long v = chunk.get(offset);
      if ((v & 1) == 0 && chunk.compareAndSet(offset, v, v + 1)) {
        return ((long) i << 32) | ((v + 1) & 0xFFFF_FFFFL);
      }
      if (++i >= cap) {
        i = 0;
        cap = capacity;
      }
    }
  }

  /**
   * How many slots were ever claimed: each claim and each free adds one to a slot, so a slot
   * holding {@code v} was claimed {@code (v + 1) / 2} times. Not atomic across slots.
   */
  long claims() {
    long sum = 0;
    int cap = capacity;
    for (int i = 0; i < cap; i++) {
      int k = 31 - Integer.numberOfLeadingZeros(i + 1);
      sum += (chunks.get(k).get((i + 1 - (1 << k)) * STRIDE) + 1) / 2;
    }
    return sum;
  }

  /** Frees the permit's slot if the permit holds it; false for a duplicate or a foreign value. */
  boolean free(long permit) {
    if (permit < 0 || (permit >>> 32) >= capacity) {
      return false;
    }
    int i = (int) (permit >>> 32);
    int k = 31 - Integer.numberOfLeadingZeros(i + 1);
    AtomicLongArray chunk = chunks.get(k);
    int offset = (i + 1 - (1 << k)) * STRIDE;
    long v = chunk.get(offset);
    return (v & 1) == 1 && (int) v == (int) permit && chunk.compareAndSet(offset, v, v + 1);
  }
}
