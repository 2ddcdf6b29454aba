package dev.ballast.shed;

import dev.ballast.Scheduler;
import dev.ballast.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Two counts over the last {@code windowNanos} of ticker time, in ten buckets, shared by the load
 * shedder (samples, their sum) and the adaptive throttle (requests, accepts).
 *
 * <p>Thread-safe and lock-free; allocates one bucket when a bucket's time comes round again.
 */
final class Window {

  /*
   * Implementation notes.
   *
   * Time since the window's origin is cut into buckets of windowNanos / BUCKETS; bucket number e
   * lives in slot e % BUCKETS. A slot holds a Bucket whose epoch never changes: when a call finds
   * an older epoch in its slot it installs a fresh Bucket by CAS (the loser uses the winner's).
   * Replacing the object instead of zeroing counters in place means no count can land in a bucket
   * after it was "reset": a count racing with the replacement lands in the dropped object, which
   * belonged to a bucket already outside the window.
   *
   * No scan per call. The thread that creates bucket e sums the buckets e-9 .. e-1 once and keeps
   * the totals in the new bucket (closedA, closedB, final). A window figure is then that total plus
   * the new bucket's own counters: one object read and two LongAdder sums, whatever the number of
   * buckets. The cost of this: a count that lands in bucket e-1 after e was created (its thread
   * read the clock just before the boundary) is missed by the figures until e-1 leaves the window
   * anyway. Figures read by stats() sum every bucket afresh (sums()), so that they add up.
   *
   * Totals since creation. The installer of a bucket adds the `a` of the bucket it replaces to
   * `retiredA`, so that totalA() (retired plus the slots) counts `a` since creation without a
   * counter of its own on the hot path. A count made into a bucket after it was replaced (its
   * thread held it for a whole window) is missed.
   *
   * Rolling by timer. Reading the clock (System.nanoTime, some 25 ns) would be most of what a
   * call costs. With a scheduler (the config's, or the shared one for the system ticker), a timer
   * installs each bucket at its start and `head` always names the newest: current() then reads no
   * clock. The roll holds the window weakly, so a collected shedder or throttle leaves no timer
   * behind; a scheduler that refuses to schedule (closed) turns `coarse` off and every call reads
   * the clock again. Without a scheduler (a test ticker) every call reads the clock: exact.
   * A count made between a bucket's end and the roll (the timer's lag, one tick) lands in the
   * bucket before, so it leaves the window that much early.
   */

  static final int BUCKETS = 10;

  private static final VarHandle HEAD;

  static {
    try {
      HEAD = MethodHandles.lookup().findVarHandle(Window.class, "head", Bucket.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long bucketNanos;
  private final long origin;
  private final Ticker ticker;
  private final AtomicReferenceArray<Bucket> slots = new AtomicReferenceArray<>(BUCKETS);
  private final AtomicLong retiredA = new AtomicLong(); // `a` of the buckets replaced so far
  private volatile Bucket head;
  private volatile boolean coarse;

  Window(long windowNanos, Ticker ticker, @Nullable Scheduler timer) {
    this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
    this.ticker = ticker;
    this.origin = ticker.read();
    for (int i = 0; i < BUCKETS; i++) {
      slots.set(i, new Bucket(i - BUCKETS, end(i - BUCKETS), 0, 0));
    }
    Bucket first = new Bucket(0, end(0), 0, 0);
    slots.set(0, first);
    this.head = first;
    if (timer != null) {
      coarse = true;
      schedule(timer, first.end - origin);
    }
  }

  long bucketNanos() {
    return bucketNanos;
  }

  Ticker ticker() {
    return ticker;
  }

  /** The bucket of now: the newest one without reading the clock when a timer rolls them. */
  Bucket current() {
    return coarse ? head : at(ticker.read());
  }

  /** The bucket of {@code now} (or a newer one, when this thread's reading is stale). */
  Bucket at(long now) {
    Bucket h = head;
    if (now - h.end < 0 && now - (h.end - bucketNanos) >= 0) {
      return h;
    }
    long elapsed = now - origin;
    return bucket(elapsed <= 0 ? 0 : elapsed / bucketNanos);
  }

  /** The bucket of {@code epoch} if it is still in its slot, else {@code null}. */
  @Nullable Bucket ofEpoch(long epoch) {
    Bucket b = slots.get((int) (epoch % BUCKETS));
    return b.epoch == epoch ? b : null;
  }

  /**
   * Sums {@code a} and {@code b} over every bucket of the window ending at {@code b} afresh, counts
   * that landed after the buckets' totals were taken included: for stats.
   */
  long[] sums(Bucket at) {
    long a = 0;
    long c = 0;
    for (int i = 0; i < BUCKETS; i++) {
      Bucket x = slots.get(i);
      if (x.epoch <= at.epoch && x.epoch > at.epoch - BUCKETS) {
        a += x.a.sum();
        c += x.b.sum();
      }
    }
    return new long[] {a, c};
  }

  /**
   * {@code a} since the window was created: the buckets replaced so far and those in the slots. A
   * read racing with a replacement may miss or double the replaced bucket for that read.
   */
  long totalA() {
    long total = retiredA.get();
    for (int i = 0; i < BUCKETS; i++) {
      total += slots.get(i).a.sum();
    }
    return total;
  }

  private long end(long epoch) {
    return origin + (epoch + 1) * bucketNanos;
  }

  private Bucket bucket(long epoch) {
    int slot = (int) (epoch % BUCKETS);
    Bucket b = slots.get(slot);
    while (b.epoch < epoch) {
      Bucket fresh = fresh(epoch);
      // The loser of a race to install re-reads the slot and uses the winner's bucket.
      if (slots.compareAndSet(slot, b, fresh)) {
        retiredA.addAndGet(b.a.sum());
        b = fresh;
      } else {
        b = slots.get(slot);
      }
    }
    while (true) { // head only moves forwards
      Bucket h = head;
      if (b.epoch <= h.epoch || HEAD.compareAndSet(this, h, b)) {
        return b;
      }
    }
  }

  /** A new bucket carrying the totals of the buckets before it in its window. */
  private Bucket fresh(long epoch) {
    long a = 0;
    long c = 0;
    for (int i = 0; i < BUCKETS; i++) {
      Bucket x = slots.get(i);
      if (x.epoch < epoch && x.epoch > epoch - BUCKETS) {
        a += x.a.sum();
        c += x.b.sum();
      }
    }
    return new Bucket(epoch, end(epoch), a, c);
  }

  private void roll(Scheduler timer) {
    long now = ticker.read();
    Bucket b = at(now);
    schedule(timer, b.end - now);
  }

  private void schedule(Scheduler timer, long delay) {
    try {
      timer.schedule(new Roll(this, timer), Math.max(0, delay));
    } catch (RuntimeException e) {
      coarse = false; // a closed scheduler: every call reads the clock again
    }
  }

  /** The timer's task; holds the window weakly, so that a collected owner stops rolling. */
  private static final class Roll implements Runnable {
    private final WeakReference<Window> window;
    private final Scheduler timer;

    Roll(Window window, Scheduler timer) {
      this.window = new WeakReference<>(window);
      this.timer = timer;
    }

    @Override
    public void run() {
      Window w = window.get();
      if (w != null) {
        w.roll(timer);
      }
    }
  }

  /**
   * One bucket's counts: {@code a} and {@code b} (the owner says what they count), two bounded
   * per-bucket allowances {@code x} and {@code y}, and the totals of the nine buckets before it.
   */
  static final class Bucket {
    final long epoch;
    final long end;
    final long closedA;
    final long closedB;
    final LongAdder a = new LongAdder();
    final LongAdder b = new LongAdder();
    final AtomicInteger x = new AtomicInteger();
    final AtomicInteger y = new AtomicInteger();

    Bucket(long epoch, long end, long closedA, long closedB) {
      this.epoch = epoch;
      this.end = end;
      this.closedA = closedA;
      this.closedB = closedB;
    }

    /** {@code a} over the window ending here. */
    long windowA() {
      return closedA + a.sum();
    }

    /** {@code b} over the window ending here. */
    long windowB() {
      return closedB + b.sum();
    }

    /** Takes one of {@code max} allowances of {@code x}; no write once they are gone. */
    boolean takeX(int max) {
      return x.get() < max && x.getAndIncrement() < max;
    }

    /** Takes one of {@code max} allowances of {@code y}; no write once they are gone. */
    boolean takeY(int max) {
      return y.get() < max && y.getAndIncrement() < max;
    }
  }
}
