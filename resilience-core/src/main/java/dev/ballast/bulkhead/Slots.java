package dev.ballast.bulkhead;

import dev.ballast.Gate;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

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
 * <p>The first slots (at least 64, and twice the initial limit) live in one flat array, read with
 * one bounds check and no other indirection: the hot path while the limit stays near where it
 * started. Slots beyond it, added when the limit is raised, live in pages of 64 slots; growing adds
 * pages and never moves a slot, so a permit stays valid across resizes. (A table of chunks of 1, 2,
 * 4 ... slots measured two to five times slower per claim than the flat array.) A page is published
 * by the volatile write of {@link #capacity} after it is stored, and read only for an index below a
 * capacity read before, so the page table needs no volatile reads. Each slot takes a cache line of
 * its own (a stride of 8 longs), so threads on two slots never share one; slots are read and CASed
 * through an array-element {@link VarHandle}, one indirection fewer than an {@code
 * AtomicLongArray}. The slots also count the admissions (see {@link #claims()}), so admitting needs
 * no counter of its own. Nothing here takes a lock or allocates, except {@link #ensureCapacity}.
 */
final class Slots {
  /** Longs per slot: each slot on a cache line of its own, so threads on two slots never share. */
  private static final int STRIDE = 8;

  private static final int PAGE = 64;
  private static final long[][] NO_PAGES = {};
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  private final int flat;
  private final long[] base;
  private long[][] pages = NO_PAGES; // published by the volatile write of capacity
  private volatile int capacity;

  Slots(int initialLimit) {
    this.flat = Math.min(Math.max(PAGE, 2 * initialLimit), BulkheadConfig.MAX_CONCURRENT_CALLS);
    this.base = new long[flat * STRIDE];
    this.capacity = flat;
  }

  /** Adds pages until there are at least {@code n} slots; called by one thread at a time. */
  void ensureCapacity(int n) {
    int cap = capacity;
    if (cap >= n) {
      return;
    }
    int need = (n - flat + PAGE - 1) / PAGE;
    long[][] grown = Arrays.copyOf(pages, need);
    for (int k = pages.length; k < need; k++) {
      grown[k] = new long[PAGE * STRIDE];
    }
    pages = grown;
    capacity = flat + need * PAGE;
  }

  /** How many slots exist: indices below it are valid. */
  int capacity() {
    return capacity;
  }

  private long[] array(int i) {
    return i < flat ? base : pages[(i - flat) / PAGE];
  }

  private int offset(int i) {
    return (i < flat ? i : (i - flat) % PAGE) * STRIDE;
  }

  /**
   * Claims a free slot in {@code [lo, hi)}, scanning once from {@code start} (in that range) round
   * to where it began; {@link Gate#REFUSED} when every slot there is held. The caller guarantees
   * {@code hi <= capacity()}, read after the capacity was raised.
   */
  long claim(int lo, int hi, int start) {
    int i = start;
    for (int n = hi - lo; n > 0; n--) {
      long[] a = array(i);
      int offset = offset(i);
      long v = (long) SLOT.getVolatile(a, offset);
      if ((v & 1) == 0 && SLOT.compareAndSet(a, offset, v, v + 1)) {
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
    long[] a = array(i);
    int offset = offset(i);
    long v = (long) SLOT.getVolatile(a, offset);
    return (v & 1) == 1 && (int) v == (int) permit && SLOT.compareAndSet(a, offset, v, v + 1);
  }

  /** How many slots in {@code [lo, min(hi, capacity))} are held; not atomic across slots. */
  int held(int lo, int hi) {
    int end = Math.min(hi, capacity);
    int n = 0;
    for (int i = lo; i < end; i++) {
      n += (int) ((long) SLOT.getVolatile(array(i), offset(i)) & 1);
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
      sum += ((long) SLOT.getVolatile(array(i), offset(i)) + 1) / 2;
    }
    return sum;
  }
}
