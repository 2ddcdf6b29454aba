package dev.ballast.circuitbreaker;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import dev.ballast.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Failure and slow rates over the last {@code windowNanos} of ticker time, in ten buckets.
 *
 * <p>Thread-safe and lock-free; allocates one bucket when a bucket's time comes round again. With a
 * scheduler, an untimed success reads no clock: a timer rolls the buckets ("Rolling by timer").
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
   * access. `head` is written after a bucket is installed, only forwards (CAS in advanceHead); a
   * stale head only sends a call down the full path, and a call whose time lies before the head's
   * start (its thread read the ticker a little earlier) is counted in the newer bucket, a shift of
   * at most one bucket. Successes and faults share the full path (bucket()).
   *
   * Rolling by timer. Reading the clock is most of what a success costs (System.nanoTime, some
   * 20 ns, against a few for the increment). When the breaker has a scheduler (the shared one
   * for the system ticker, or the one given to the config), start() schedules a roll at the head
   * bucket's end; each roll installs the bucket of the time it runs at (which advances `head`) and
   * schedules the next at that bucket's end. `coarse` is then true, and a success whose time the
   * breaker did not read (NO_TIME: no listener, no slow rule) is counted in `head` without reading
   * the clock: one volatile read of `coarse` and `head` each, the increment, the `warm` read.
   * Faults, timed calls and stats still read the clock and take the exact path, which installs
   * and advances `head` too, so the two paths meet. The trade-off: an untimed success that
   * completes between a bucket's end and the roll (the timer's lag: one tick of its wheel, 1 ms
   * for the shared scheduler, longer if its thread is starved) is counted in the bucket before, so
   * it leaves the window that much early; every fault is placed exactly. The roll holds the window
   * weakly and stops when the window is stopped (the breaker left the closed period) or collected
   * (the breaker was), so a forgotten breaker leaves no timer behind. Without a scheduler (a
   * custom ticker without a scheduler, as in most tests) every success reads the clock, exactly. A
   * scheduler that refuses to schedule (closed) turns `coarse` off: back to exact.
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
  private final long windowNanos;
  private final boolean slowRule;
  private static final VarHandle HEAD;

  static {
    try {
      HEAD = MethodHandles.lookup().findVarHandle(TimeWindow.class, "head", Bucket.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Ticker ticker;
  private final AtomicReferenceArray<Bucket> slots = new AtomicReferenceArray<>(BUCKETS);
  private volatile Bucket head;
  private volatile boolean coarse; // a timer rolls the buckets: see "Rolling by timer"
  private volatile boolean stopped;
  private volatile @Nullable Cancellable roll;

  TimeWindow(long windowNanos, long origin, Ticker ticker, boolean slowRule) {
    this.windowNanos = windowNanos;
    this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
    this.origin = origin;
    this.ticker = ticker;
    this.slowRule = slowRule;
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
  void start(@Nullable Scheduler timer) {
    if (timer != null) {
      coarse = true;
      schedule(timer, head.end - ticker.read());
    }
  }

  @Override
  void stop() {
    stopped = true;
    coarse = false;
    Cancellable r = roll;
    if (r != null) {
      r.cancel();
    }
  }

  /** The timer's task: installs the bucket of now, then schedules the next roll. */
  private void roll(Scheduler timer) {
    if (stopped) {
      return;
    }
    long now = ticker.read();
    Bucket b = bucket(epoch(now));
    schedule(timer, b.end - now);
  }

  private void schedule(Scheduler timer, long delay) {
    try {
      roll = timer.schedule(new Roll(this, timer), Math.max(0, delay));
    } catch (RuntimeException e) {
      coarse = false; // a closed scheduler: every success reads the clock again
    }
  }

  @Override
  boolean onSuccess(long now, BreakerSettings s) {
    if (now == NO_TIME) {
      if (coarse) {
        Bucket h = head; // rolled by the timer: see "Rolling by timer"
        h.calls.increment();
        return !h.warm && trips(h, s);
      }
      now = ticker.read();
    }
    Bucket h = head;
    if (now - h.end < 0) {
      h.calls.increment();
      return !h.warm && trips(h, s);
    }
    return onSuccessRolling(now, s);
  }

  private boolean onSuccessRolling(long now, BreakerSettings s) {
    Bucket b = bucket(epoch(now));
    b.calls.increment();
    // A bucket this call just installed is cold: a success that rolls a bucket evaluates the window
    // as soon as it holds the minimum (see "Evaluation").
    return !b.warm && trips(b, s);
  }

  @Override
  boolean onFault(long now, boolean failure, boolean slow, BreakerSettings s) {
    Bucket b = bucket(epoch(now == NO_TIME ? ticker.read() : now));
    b.calls.increment();
    if (failure) {
      b.failures.incrementAndGet();
    }
    if (slow && slowRule) {
      b.slowCalls.incrementAndGet();
    }
    return trips(b, s);
  }

  @Override
  Figures figures(long now) {
    return figuresAt(epoch(now));
  }

  @Override
  boolean fits(BreakerSettings s) {
    return s.config.tripRule() == CircuitBreakerConfig.TripRule.FAILURE_RATE_OVER_TIME
        && s.config.windowDuration().toNanos() == windowNanos
        && s.slowRule == slowRule;
  }

  @Override
  void retune() {
    for (int i = 0; i < BUCKETS; i++) {
      slots.get(i).warm = false; // as in CountWindow: the next success re-evaluates
    }
  }

  /** Evaluates the rule over the window ending at {@code b}; allocates nothing. */
  private boolean trips(Bucket b, BreakerSettings s) {
    long minimumCalls = s.minimumCalls;
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
    return rateTrips(calls, failed, slow, minimumCalls, s);
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
    // Only forwards, so that a success counted in `head` without a clock is never sent back.
    while (true) {
      Bucket h = head;
      if (installed.epoch <= h.epoch || HEAD.compareAndSet(this, h, installed)) {
        return;
      }
    }
  }

  /** The timer's task; holds the window weakly, so that a collected breaker stops rolling. */
  private static final class Roll implements Runnable {
    private final WeakReference<TimeWindow> window;
    private final Scheduler timer;

    Roll(TimeWindow window, Scheduler timer) {
      this.window = new WeakReference<>(window);
      this.timer = timer;
    }

    @Override
    public void run() {
      TimeWindow w = window.get();
      if (w != null) {
        w.roll(timer);
      }
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
