package dev.ballast.bulkhead;

import dev.ballast.Gate;
import dev.ballast.Ticker;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The bounded, first-come-first-served waiting room of a bulkhead that waits ({@code maxWait > 0}).
 *
 * <p>Implementation notes. The waiters form an intrusive doubly linked list in arrival order,
 * changed only under the permit table's lock. A caller first tries the slot table without the lock,
 * but only when nobody waits ({@link #waiting} is 0), so that a newcomer does not take a permit
 * ahead of a waiter. Otherwise it joins the list under the lock, and then (still under the lock)
 * runs {@link #dispatch()}, which walks the list from its head and hands each waiter a slot of its
 * class while one is free; a waiter of a class with no free slot does not hold up waiters of
 * another class (a partition's waiter behind a shared one). A release frees its slot first and then
 * reads {@link #waiting}; a waiter writes {@code waiting} first and then dispatches: of two such
 * racing, at least one sees the other (both are sequentially consistent), so a freed slot never
 * sits unused while a waiter parks.
 *
 * <p>A dispatched waiter's slot is claimed for it by the dispatcher, written to its node, and the
 * node is unlinked, all under the lock; so a waiter whose wait runs out or who is interrupted
 * decides under the same lock: still linked, it unlinks itself and is refused; already handed a
 * slot, it is admitted on a timeout (the slot freed at that very instant is not lost) and gives the
 * slot back on an interrupt (refused, flag kept), which dispatches it to the next waiter. Waiting
 * parks with {@link LockSupport} (no monitor: virtual threads do not pin). A waiter allocates its
 * node; nothing else here allocates.
 */
final class WaitRoom {
  private final Permits permits;
  private volatile Limits limits; // replaced whole by retune(): see Bulkhead.reconfigure
  private final Ticker ticker; // the bulkhead's: a wait ends when its time has passed maxWait
  private @Nullable Waiter head;
  private @Nullable Waiter tail;
  private boolean closed; // under the lock: evict() ran, nobody new waits here
  private int count; // under the lock; published to lock-free readers by waiting
  private volatile int waiting;

  WaitRoom(Permits permits, long maxWaitNanos, int maxWaiters, Ticker ticker) {
    this.ticker = ticker;
    this.permits = permits;
    this.limits = new Limits(maxWaitNanos, maxWaiters);
  }

  /** A wait and a number of waiters, read together. */
  private record Limits(long maxWaitNanos, int maxWaiters) {}

  /**
   * New limits: they apply to calls that arrive from now on; a caller already waiting keeps the
   * wait it began with, and a lower number of waiters turns new callers away until enough leave.
   */
  void retune(long maxWaitNanos, int maxWaiters) {
    limits = new Limits(maxWaitNanos, maxWaiters);
  }

  private static final class Waiter {
    final Thread thread;
    final int cls;
    final int hash;
    volatile long permit = Gate.REFUSED;
    volatile boolean evicted; // the room closed: see evict()
    @Nullable Waiter prev;
    @Nullable Waiter next;

    Waiter(Thread thread, int cls, int hash) {
      this.thread = thread;
      this.cls = cls;
      this.hash = hash;
    }
  }

  int waiting() {
    return waiting;
  }

  /**
   * Admits a call of class {@code cls}, waiting up to {@code maxWait}; {@link Gate#REFUSED} when
   * the wait ran out, the room was full, or the caller was (or became) interrupted (flag kept).
   */
  long acquire(int cls) {
    Thread me = Thread.currentThread();
    if (me.isInterrupted()) {
      return Gate.REFUSED;
    }
    int hash = Permits.hash();
    if (waiting == 0) {
      long permit = permits.claim(cls, hash);
      if (permit != Gate.REFUSED) {
        return permit;
      }
    }
    Waiter w;
    Limits l = limits;
    permits.lock.lock();
    try {
      if (closed) {
        return permits.claim(cls, hash); // read the room before it closed: no waiting
      }
      if (count >= l.maxWaiters()) {
        return Gate.REFUSED;
      }
      w = new Waiter(me, cls, hash);
      link(w);
      dispatch();
      if (w.permit != Gate.REFUSED) {
        return w.permit;
      }
    } finally {
      permits.lock.unlock();
    }
    return await(w, l.maxWaitNanos());
  }

  private long await(Waiter w, long maxWaitNanos) {
    long deadline = ticker.read() + maxWaitNanos;
    for (; ; ) {
      long permit = w.permit;
      if (permit != Gate.REFUSED) {
        return permit;
      }
      if (w.evicted) {
        return leave(w, false); // unlinked already: refused, unless a permit came first
      }
      if (Thread.interrupted()) {
        leave(w, true);
        Thread.currentThread().interrupt();
        return Gate.REFUSED;
      }
      long left = deadline - ticker.read();
      if (left <= 0) {
        return leave(w, false);
      }
      LockSupport.parkNanos(this, left);
    }
  }

  /** A waiter gives up: refused if still waiting, else admitted (timeout) or gives back. */
  private long leave(Waiter w, boolean interrupted) {
    permits.lock.lock();
    try {
      long permit = w.permit;
      if (permit == Gate.REFUSED) {
        if (!w.evicted) {
          unlink(w);
        }
        return Gate.REFUSED;
      }
      if (!interrupted) {
        return permit;
      }
      permits.undo(permit);
      dispatch();
      return Gate.REFUSED;
    } finally {
      permits.lock.unlock();
    }
  }

  /** After a slot was freed: hands free slots to waiters, if any wait. */
  /**
   * Closes the room (the bulkhead no longer waits): each waiter gets a permit if one is free now,
   * and the others are refused at once instead of waiting out their time.
   */
  void evict() {
    permits.lock.lock();
    try {
      closed = true;
      dispatch();
      for (Waiter w = head; w != null; ) {
        Waiter next = w.next;
        unlink(w);
        w.evicted = true;
        LockSupport.unpark(w.thread);
        w = next;
      }
    } finally {
      permits.lock.unlock();
    }
  }

  void released() {
    if (waiting != 0) {
      permits.lock.lock();
      try {
        dispatch();
      } finally {
        permits.lock.unlock();
      }
    }
  }

  /** Under the lock: hands free slots to waiters, in arrival order, class by class. */
  void dispatch() {
    boolean sharedFull = false;
    for (Waiter w = head; w != null; ) {
      Waiter next = w.next;
      if (!(sharedFull && w.cls == Permits.shared())) {
        long permit = permits.claim(w.cls, w.hash);
        if (permit != Gate.REFUSED) {
          unlink(w);
          w.permit = permit;
          LockSupport.unpark(w.thread);
        } else if (w.cls == Permits.shared()) {
          sharedFull = true;
        }
      }
      w = next;
    }
  }

  private void link(Waiter w) {
    w.prev = tail;
    if (tail == null) {
      head = w;
    } else {
      tail.next = w;
    }
    tail = w;
    waiting = ++count;
  }

  private void unlink(Waiter w) {
    Waiter p = w.prev;
    Waiter n = w.next;
    if (p == null) {
      head = n;
    } else {
      p.next = n;
    }
    if (n == null) {
      tail = p;
    } else {
      n.prev = p;
    }
    w.prev = null;
    w.next = null;
    waiting = --count;
  }
}
