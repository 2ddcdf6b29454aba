package dev.ballast.bulkhead;

import dev.ballast.OutcomeClassifier;
import dev.ballast.RejectedException;
import dev.ballast.Ticker;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Feeds a bulkhead's completed calls to its {@link LimitAlgorithm} and applies the limit it
 * decides.
 *
 * <p>Implementation notes.
 *
 * <p><b>Timing a call.</b> A permit's high 32 bits are its slot index, unique among the permits
 * held at once (the bulkhead's contract). The controller keeps one cache line per slot (a stride of
 * 8 longs, as {@code Slots} does) holding the start time of the slot's current call and a countdown
 * of untimed admissions: one admission in {@code sampling} per slot is timed, because two clock
 * reads cost more than the rest of the success path. Only the thread holding the slot writes its
 * line, between the claim and the free that the bulkhead's slot CASes order, so opaque accesses
 * suffice; a duplicate completion may read a line another holder is writing, and its value is
 * discarded because its free fails. The bulkhead reads the start <em>before</em> freeing the slot
 * (after the free the next holder may overwrite it) and reports the completion after. A slot index
 * beyond the table (a limit raised by hand past {@code maxLimit}) is never timed.
 *
 * <p><b>Windows.</b> A timed completion adds its round-trip time to {@code rttSum} and one to
 * {@code samples} (both striped, so that threads completing at once do not contend on one line); a
 * drop adds one to {@code drops} whether timed or not; a refusal by the bulkhead adds one to {@code
 * refusals}. None of this takes a lock, and no admission reads the slots: whether the window used
 * its limit is judged from the sums by Little's law (the timed calls' time in flight, times {@code
 * sampling}, over the window's length, is the mean number in flight), or from a refusal, which a
 * burst between idle spells can cause while the mean stays low. (A peak taken at each timed
 * admission, by counting the held slots, cost the timed calls a scan of the slot table and a
 * contended CAS: 32.6 ns a call at 1 thread and 131 ns at 2 on a quiet machine, against the fixed
 * bulkhead's 9.6 and 10.8.) A timed completion that finds the window over (its length passed and at
 * least {@link AdaptiveLimit#MIN_WINDOW_SAMPLES} timed completions or drops in it) competes for the
 * {@code evaluating} flag with a CAS; the winner alone swaps the counters to zero, runs the
 * algorithm (whose state only the flag's holder touches: the CAS and the flag's volatile release
 * order one evaluation after the next) and, when the limit changed, calls {@link
 * Bulkhead#changeMaxConcurrentCalls(int)}, which takes the bulkhead's resize lock and tells its
 * listeners: once per window, never per call. A completion racing the swap may land its sum in one
 * window and its count in the next: a benign error of one sample.
 */
final class AdaptiveController {
  /** What a completion was: a latency sample, a drop, or neither (a released permit). */
  static final int SAMPLE = 0;

  static final int DROPPED = 1;
  static final int IGNORED = 2;

  /** What {@link #started} returns for a call that was not timed. */
  static final long NOT_TIMED = Long.MIN_VALUE;

  private static final int STRIDE = 8;
  private static final int START = 0;
  private static final int COUNTDOWN = 1;

  /**
   * FAILURE exactly for a Ballast timeout: the classifier counts one as a failure whatever its
   * failure rule says, and this rule matches nothing else. (A pattern may not import another.)
   */
  private static final OutcomeClassifier TIMEOUTS =
      OutcomeClassifier.builder().failureWhen(e -> false).build();

  private final Bulkhead bulkhead;
  private final Ticker ticker;
  private final LimitAlgorithm algorithm;
  private final AtomicLongArray lines;
  private final int capacity;
  private final int sampling;
  private final long windowNanos;
  private final LongAdder rttSum = new LongAdder(); // striped: two threads never share a line
  private final LongAdder samples = new LongAdder();
  private final LongAdder refusals = new LongAdder();
  private final AtomicInteger drops = new AtomicInteger();
  private final AtomicBoolean evaluating = new AtomicBoolean();
  private volatile long windowStart;

  AdaptiveController(AdaptiveLimit config, Ticker ticker, Bulkhead bulkhead) {
    this.bulkhead = bulkhead;
    this.ticker = ticker;
    this.algorithm = LimitAlgorithm.of(config);
    this.sampling = config.sampling();
    this.windowNanos = config.window().toNanos();
    // Slots hands out indices below twice the highest limit; the table covers that for maxLimit.
    this.capacity = (int) Math.min(BulkheadConfig.MAX_CONCURRENT_CALLS, 2L * config.maxLimit());
    this.lines = new AtomicLongArray(capacity * STRIDE);
    this.windowStart = ticker.read();
  }

  /** Whether a call that threw {@code error} was dropped: refused further in, or timed out. */
  static boolean dropped(Throwable error) {
    return error instanceof RejectedException
        || TIMEOUTS.classifyError(error) == OutcomeClassifier.Outcome.FAILURE;
  }

  /** The bulkhead admitted {@code permit}: times one admission in {@code sampling} per slot. */
  void admitted(long permit) {
    int i = (int) (permit >>> 32);
    if (i >= capacity) {
      return;
    }
    int line = i * STRIDE;
    long countdown = lines.getOpaque(line + COUNTDOWN); // the slot's holder alone writes its line
    if (countdown > 0) {
      lines.setOpaque(line + COUNTDOWN, countdown - 1);
      return;
    }
    lines.setOpaque(line + COUNTDOWN, sampling - 1);
    lines.setOpaque(line + START, ticker.read());
  }

  /** The bulkhead refused a call: the window used its limit. */
  void refused() {
    refusals.increment();
  }

  /**
   * The start time of {@code permit}'s call, or {@link #NOT_TIMED}; read before the slot is freed.
   */
  long started(long permit) {
    int i = (int) (permit >>> 32);
    if (permit < 0 || i >= capacity) {
      return NOT_TIMED;
    }
    int line = i * STRIDE;
    // Timed admissions leave the countdown at sampling - 1; untimed ones leave it lower.
    return lines.getOpaque(line + COUNTDOWN) == sampling - 1
        ? lines.getOpaque(line + START)
        : NOT_TIMED;
  }

  /**
   * A permit's slot was freed: records the call and evaluates the window when it is over.
   *
   * @param started what {@link #started} returned before the free
   * @param outcome {@link #SAMPLE}, {@link #DROPPED} or {@link #IGNORED}
   */
  void completed(long started, int outcome) {
    if (outcome == IGNORED) {
      return;
    }
    if (outcome == DROPPED) {
      drops.incrementAndGet();
    }
    if (started == NOT_TIMED) {
      return;
    }
    long now = ticker.read();
    if (outcome == SAMPLE) {
      samples.increment();
      rttSum.add(Math.max(0, now - started));
    }
    long start = windowStart;
    if (now - start >= windowNanos
        && samples.sum() + drops.get() >= AdaptiveLimit.MIN_WINDOW_SAMPLES
        && evaluating.compareAndSet(false, true)) {
      try {
        if (windowStart == start) { // nobody evaluated this window while we competed
          evaluate(now);
        }
      } finally {
        evaluating.set(false);
      }
    }
  }

  /** Runs the algorithm on the window that ends now; the caller holds the flag. */
  private void evaluate(long now) {
    long elapsed = Math.max(1, now - windowStart);
    windowStart = now;
    long n = samples.sumThenReset();
    long sum = rttSum.sumThenReset();
    int d = drops.getAndSet(0);
    // Little's law: the calls' time in flight over the window's length is the mean number in
    // flight (each timed call stands for `sampling` calls of its slot).
    // A refusal says the limit was used whatever the mean: a burst can fill it between idle spells.
    int used =
        refusals.sumThenReset() > 0
            ? Integer.MAX_VALUE
            : (int) Math.min(Integer.MAX_VALUE, Math.ceil((double) sum * sampling / elapsed));
    int before = algorithm.current();
    int after = algorithm.update(n, sum, d, used);
    if (after != before) {
      bulkhead.changeMaxConcurrentCalls(after);
    }
  }
}
