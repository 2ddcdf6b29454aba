package dev.ballast.timeout;

import org.jspecify.annotations.Nullable;

/**
 * The deadline in force on one thread; mutated in place by the calls on that thread only (see
 * "Deadlines" in {@link Timeout}'s implementation notes). Confined to its thread.
 */
final class Context {
  /** Each thread's context, made on first use and mutated in place: no allocation per call. */
  static final ThreadLocal<Context> CURRENT = ThreadLocal.withInitial(Context::new);

  final Thread thread = Thread.currentThread();
  @Nullable Timeout owner;
  long deadline;
  long nanos;
  boolean interrupts;

  void set(@Nullable Timeout owner, long deadline, long nanos, boolean interrupts) {
    this.owner = owner;
    this.deadline = deadline;
    this.nanos = nanos;
    this.interrupts = interrupts;
  }
}
