package dev.ballast.ratelimiter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The arithmetic of a rate limiter's one value of state, apart from the limiter's API.
 *
 * <p>Without a warm-up the state is one {@code long}: the theoretical arrival time of the generic
 * cell rate algorithm (GCRA), the ticker reading at which the bucket is empty again. Taking {@code
 * n} permits moves it to {@code max(tat, now) + n * interval}; the call may go when that lies no
 * further ahead of now than the tolerance ({@code burst * interval} in bursty mode, {@code n *
 * interval} paced, so that a paced call goes only once the previous booking has passed). A call
 * that may go after a wait books its permits by the same CAS and then waits. The value is a pure
 * function of the ticker readings, so a later module can keep it in a shared store.
 *
 * <p>With a warm-up (paced only) the state is an immutable {@link Warm}: the next free moment and
 * the permits stored while idle. Stored permits are cold: taking one at level {@code s} (of {@code
 * max = warmUp / (2 * interval)}) costs {@code interval * (1 + 2s / max)}, three intervals when the
 * bucket is full, one when empty, so that draining a full bucket takes the warm-up. Idle time
 * refills it at one permit per two intervals. A grant allocates one {@code Warm}.
 */
final class Bucket {

  /** A rate: the permit interval and the burst, swapped whole when the limit changes. */
  static final class Rate {
    final int limit;
    final int burst;
    final long interval;
    final long burstNanos;
    final double maxStored;
    final boolean smooth; // the mode, read with the rate: see RateLimiter.reconfigure
    final long maxWaitNanos;

    Rate(
        int limit,
        int burst,
        long periodNanos,
        long warmUpNanos,
        boolean smooth,
        long maxWaitNanos) {
      this.smooth = smooth;
      this.maxWaitNanos = maxWaitNanos;
      this.limit = limit;
      this.burst = burst;
      this.interval = Math.max(1, periodNanos / limit);
      this.burstNanos = Math.multiplyExact((long) burst, interval);
      this.maxStored = warmUpNanos / (2.0 * interval);
    }
  }

  /** The warm-up state: when the next call may go, and the cold permits stored. Immutable. */
  static final class Warm {
    final long next;
    final double stored;

    Warm(long next, double stored) {
      this.next = next;
      this.stored = stored;
    }
  }

  /** The one value of warm-up state, replaced whole by CAS. */
  static final class WarmState {
    private static final VarHandle VALUE;

    static {
      try {
        VALUE = MethodHandles.lookup().findVarHandle(WarmState.class, "value", Warm.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private volatile Warm value;

    WarmState(Warm initial) {
      this.value = initial;
    }

    Warm get() {
      return value;
    }

    boolean compareAndSet(Warm expected, Warm next) {
      return VALUE.compareAndSet(this, expected, next);
    }
  }

  private Bucket() {}

  /**
   * Books {@code n} permits in the warm-up state if they are free within {@code maxWait}: returns
   * the wait ({@code >= 0}), or {@code ~wait} ({@code < 0}) without booking.
   */
  static long reserveWarm(WarmState state, Rate r, int n, long now, long maxWait) {
    for (; ; ) {
      Warm w = state.get();
      long next = w.next;
      double s = Math.min(r.maxStored, w.stored); // the limit may have lowered the ceiling
      if (now > next) {
        s = Math.min(r.maxStored, s + (now - next) / (2.0 * r.interval));
        next = now;
      }
      long wait = next - now;
      if (wait > maxWait) {
        return ~wait;
      }
      double k = Math.min(n, s);
      double rest = s - k;
      long cost = n * r.interval + (long) (r.interval * (s * s - rest * rest) / r.maxStored);
      if (state.compareAndSet(w, new Warm(next + cost, rest))) {
        return wait;
      }
    }
  }

  /** The permits a call could take now without waiting, from the GCRA state. */
  static long available(Rate r, boolean smooth, long tat, long now) {
    long ahead = Math.max(0, tat - now);
    if (smooth) {
      return ahead == 0 ? r.burst : 0;
    }
    return Math.max(0, (r.burstNanos - ahead) / r.interval);
  }
}
