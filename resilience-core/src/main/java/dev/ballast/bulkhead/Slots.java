package dev.ballast.bulkhead;

import dev.ballast.Gate;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The slot table: one slot per permit that can be held, and the only record of which are held.
 *
 * <p>Implementation notes. A slot is a {@code long} whose low bit says held (odd) or free (even)
 * and whose value grows by one at each claim and each free: a slot is its own generation counter. A
 * permit is the slot's index in the high 32 bits and the slot's value when claimed in the low 32
 * bits, so it is never negative and never {@link Gate#REFUSED}. Claiming CASes a free slot from
 * {@code v} to {@code v + 1}; freeing CASes it from exactly the permit's value to the next, so a
 * second completion finds another value and changes nothing. (A duplicate arriving after the same
 * slot was claimed and freed 2^31 times more would be taken for the new holder's; that is the one
 * case not told apart.)
 *
 * <p>Slots live in chunks of 1, 2, 4 ... slots (chunk {@code k} holds indices {@code 2^k - 1} to
 * {@code 2^(k+1) - 2}); growing adds chunks and never moves a slot, so a permit stays valid across
 * resizes. A chunk is published by the volatile write of {@link #capacity} after it is stored, and
 * read only for an index below a capacity read before, so the chunk array itself needs no volatile
 * reads. Each slot takes a cache line of its own (a stride of 8 longs), so threads on two slots
 * never share one. The slots also count the admissions (see {@link #claims()}), so admitting needs
 * no counter of its own. Nothing here takes a lock or allocates, except {@link #ensureCapacity}.
 */
final class Slots {
  /** Chunks 0..16 hold 2^17 - 1 slots, more than {@link BulkheadConfig#MAX_CONCURRENT_CALLS}. */
  private static final int CHUNKS = 17;

  /** Longs per slot: each slot on a cache line of its own, so threads on two slots never share. */
  private static final int STRIDE = 8;

  private final AtomicLongArray[] chunks = new AtomicLongArray[CHUNKS];
  private volatile int capacity;

  Slots(int capacity) {
    ensureCapacity(capacity);
  }

  /** Adds chunks until there are at least {@code n} slots; called by one thread at a time. */
  void ensureCapacity(int n) {
    int cap = capacity;
    int k = 31 - Integer.numberOfLeadingZeros(cap + 1);
    while (cap < n) {
      chunks[k] = new AtomicLongArray((1 << k) * STRIDE);
      cap = (1 << (k + 1)) - 1;
      capacity = cap;
      k++;
    }
  }

  /** How many slots exist: indices below it are valid. */
  int capacity() {
    return capacity;
  }

  private AtomicLongArray chunk(int i) {
    return chunks[31 - Integer.numberOfLeadingZeros(i + 1)];
  }

  private static int offset(int i) {
    return (i + 1 - Integer.highestOneBit(i + 1)) * STRIDE;
  }

  /**
   * Claims a free slot in {@code [lo, hi)}, scanning once from {@code start} (in that range) round
   * to where it began; {@link Gate#REFUSED} when every slot there is held. The caller guarantees
   * {@code hi <= capacity()}, read after the capacity was raised.
   */
  long claim(int lo, int hi, int start) {
    int i = start;
    for (int n = hi - lo; n > 0; n--) {
      AtomicLongArray chunk = chunk(i);
      int offset = offset(i);
      long v = chunk.get(offset);
      if ((v & 1) == 0 && chunk.compareAndSet(offset, v, v + 1)) {
        return ((long) i << 32) | ((v + 1) & 0xFFFF_FFFFL);
      }
      if (++i == hi) {
        i = lo;
      }
    }
    return Gate.REFUSED;
  }

  /** Frees the permit's slot if the permit holds it; false for a duplicate or a foreign value. */
  boolean free(long permit) {
    if (permit < 0 || (permit >>> 32) >= capacity) {
      return false;
    }
    int i = (int) (permit >>> 32);
    AtomicLongArray chunk = chunk(i);
    int offset = offset(i);
    long v = chunk.get(offset);
    return (v & 1) == 1 && (int) v == (int) permit && chunk.compareAndSet(offset, v, v + 1);
  }

  /** Whether slot {@code i}, below the capacity, is held now. */
  boolean held(int i) {
    return (chunk(i).get(offset(i)) & 1) == 1;
  }

  /** How many slots in {@code [lo, min(hi, capacity))} are held; not atomic across slots. */
  int held(int lo, int hi) {
    int end = Math.min(hi, capacity);
    int n = 0;
    for (int i = lo; i < end; i++) {
      n += (int) (chunk(i).get(offset(i)) & 1);
    }
    return n;
  }

  /**
   * How many slots were ever claimed: each claim and each free adds one to a slot, so a slot
   * holding {@code v} was claimed {@code (v + 1) / 2} times. Not atomic across slots.
   */
  long claims() {
    long sum = 0;
    int cap = capacity;
    for (int i = 0; i < cap; i++) {
      sum += (chunk(i).get(offset(i)) + 1) / 2;
    }
    return sum;
  }
}
