package dev.ballast.timeout;

import org.jspecify.annotations.Nullable;

/**
 * The deadline in force on one thread, and the one check of whether it fires before a new call's
 * own. Mutated in place by the calls on its thread only: confined to that thread.
 */
final class Context {

  /*
   * Implementation notes.
   *
   * One Context per thread, made on first use and mutated in place, so a call allocates nothing
   * for it. It holds the innermost deadline in force on the thread: the timeout that owns it
   * (`owner`, null when none), the deadline on that timeout's ticker, that timeout's duration for
   * the call (for the exception), and whether a timer will interrupt this thread at it. A call
   * saves the four fields in locals, installs its own (the earlier of its deadline and the outer
   * one, as outerFiresFirst decides), and restores them on every exit path.
   *
   * What each kind of call does when the outer deadline fires first:
   * - a sync call in INTERRUPT mode, when the outer timer interrupts this thread, schedules
   *   nothing: the outer timer cuts it short and the outer timeout reports it; the inner one
   *   passes the call's outcome through. Otherwise (the outer is an abandoning or async call's
   *   deadline, whose timer does not interrupt) its own timer is set at the outer deadline and,
   *   when it fires, names the outer timeout;
   * - an ABANDON-mode call waits until the outer deadline and names the outer timeout; it sets no
   *   timer of its own when the outer timer interrupts this thread, since that interrupt ends the
   *   wait. The Context is carried to the executor thread (interrupts = false there);
   * - an async call's timer fires at the outer deadline and names the outer timeout; the supplier
   *   runs under that deadline (interrupts = false: no timer interrupts the starting thread).
   *
   * An outer deadline read on another ticker cannot be compared with ours: it is not enforced on
   * the inner call, and Timeout.sameTicker logs that once per inner timeout.
   */

  /** Each thread's context. */
  static final ThreadLocal<Context> CURRENT = ThreadLocal.withInitial(Context::new);

  final Thread thread = Thread.currentThread();
  @Nullable Timeout owner;
  long deadline;
  long nanos;
  boolean interrupts;

  /**
   * The one check: whether the deadline in force on this thread fires no later than {@code
   * deadline}, a deadline of {@code inner} on its ticker. False when no deadline is in force, or
   * when the outer one is on another ticker (logged once per inner timeout).
   */
  boolean outerFiresFirst(Timeout inner, long deadline) {
    Timeout outer = owner;
    return outer != null && inner.sameTicker(outer) && this.deadline - deadline <= 0;
  }

  void set(@Nullable Timeout owner, long deadline, long nanos, boolean interrupts) {
    this.owner = owner;
    this.deadline = deadline;
    this.nanos = nanos;
    this.interrupts = interrupts;
  }
}
