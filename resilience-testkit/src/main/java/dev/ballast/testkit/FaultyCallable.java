package dev.ballast.testkit;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A fake dependency made by {@link Faults}: a {@link Callable} that injects a fault into some of
 * its calls (throws, or takes time on a {@link ManualTicker}) and otherwise calls the real thing,
 * counting both.
 *
 * <p>Calls are numbered from 1 in the order they enter {@link #call()}; which numbers get a fault
 * is fixed when the fake is made (every N-th, a seeded random choice, every call), so a run is
 * reproducible even when several threads call at once. A fault is counted before it is thrown, so a
 * caller that catches it already sees it in {@link #faults()}.
 *
 * <p>Thread-safe: the counters are atomic. While threads are calling, {@link #calls()} and {@link
 * #faults()} are each exact but need not be read at the same instant; after the threads are joined
 * they add up.
 *
 * @param <T> the result type of the real call
 */
public final class FaultyCallable<T extends @Nullable Object> implements Callable<T> {

  /** Decides which calls get a fault. Implementations are thread-safe and deterministic. */
  @FunctionalInterface
  interface Schedule {
    boolean faultOn(long callNumber);
  }

  /** What a fault does: throws, or takes time and returns so that the real call follows. */
  @FunctionalInterface
  interface Injection {
    void inject() throws Exception;
  }

  private final String description;
  private final Schedule schedule;
  private final Injection injection;
  private final Callable<T> delegate;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong faults = new AtomicLong();

  FaultyCallable(String description, Schedule schedule, Injection injection, Callable<T> delegate) {
    this.description = description;
    this.schedule = schedule;
    this.injection = injection;
    this.delegate = delegate;
  }

  /**
   * Makes one call: injects the fault when this call's number is scheduled for one, then, unless
   * the fault threw, returns what the real call returns.
   *
   * @return the real call's result
   * @throws Exception the injected fault, or what the real call throws
   */
  @Override
  public T call() throws Exception {
    long number = calls.incrementAndGet();
    if (schedule.faultOn(number)) {
      faults.incrementAndGet();
      injection.inject();
    }
    return delegate.call();
  }

  /**
   * Calls made so far, faulty or not.
   *
   * @return the number of calls that entered {@link #call()}
   */
  public long calls() {
    return calls.get();
  }

  /**
   * Faults injected so far.
   *
   * @return the number of calls that got a fault
   */
  public long faults() {
    return faults.get();
  }

  @Override
  public String toString() {
    return "FaultyCallable[" + description + ", calls=" + calls() + ", faults=" + faults() + "]";
  }
}
