package dev.ballast.testkit;

import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An in-process fault injector: decorates a {@link Callable}, a {@link Supplier} or a {@code
 * Supplier} of a {@link CompletionStage} so that, while it is enabled, chosen calls are slow,
 * throw, return a wrong result or hang.
 *
 * <pre>{@code
 * FaultInjector<String> slowAndBroken =
 *     FaultInjector.<String>builder()
 *         .period(3)                                        // calls 3, 6, 9, ...
 *         .latency(Duration.ofSeconds(2), scheduler)        // virtual time
 *         .exception(() -> new IOException("connection reset"))
 *         .build();
 * Callable<String> inventory = slowAndBroken.decorateCallable(realInventory);
 * try (var scope = slowAndBroken.enable()) {
 *   // calls 3, 6, 9, ... take two virtual seconds, then throw
 * }
 * // faults are off again, even when the block threw
 * }</pre>
 *
 * <p><b>Which calls.</b> Every call through any of the injector's decorators gets the next number,
 * from 1, whether or not the injector is enabled. While it is enabled, call {@code k} is faulted
 * when {@code k} is a multiple of the {@linkplain Builder#period period}, or, with a {@linkplain
 * Builder#probability probability}, when a generator seeded from the {@linkplain Builder#seed seed}
 * and {@code k} says so: the same seed faults the same numbers every run. {@link Faults} makes the
 * common injectors in one call.
 *
 * <p><b>What a fault does</b>, in this order: waits for the latency (on the real clock with {@code
 * Thread.sleep}, or in virtual time on a {@link ManualTicker} or {@link ManualScheduler}); then
 * hangs, throws, or calls the real thing and returns a wrong result made from its result. A hang
 * blocks until the thread is interrupted, counts the interrupt and throws {@link
 * InterruptedException}; asynchronously it returns a stage that never completes, and counts it when
 * the caller cancels it. A {@link Supplier} cannot throw checked exceptions: its interrupted wait
 * throws {@link CancellationException} with the interrupt flag set again, and a checked exception
 * from the exception factory arrives wrapped in {@link UndeclaredThrowableException}. An
 * asynchronous fault never throws from {@code get()}: the stage completes exceptionally.
 *
 * <p><b>On and off.</b> The injector starts disabled unless the builder says {@link
 * Builder#enabled(boolean) enabled(true)}. {@link #enable()} and {@link #disable()} switch it at
 * once and return a {@link Scope} whose {@code close()} puts back the state it found, so a
 * try-with-resources block reverts even when it throws.
 *
 * <p>Thread-safe: the decorators may be called from any number of threads, and enabled, disabled
 * and read from any other. The counters are atomic: each is exact, and after the calling threads
 * are joined (and asynchronous stages completed) they add up. A call already faulted finishes its
 * fault when the injector is disabled meanwhile.
 *
 * @param <T> the result type of the decorated calls
 */
public final class FaultInjector<T extends @Nullable Object> {

  /** A kind of injected fault, as counted by {@link #faults(Kind)}. Thread-safe (immutable). */
  public enum Kind {
    /** The call waited before going on. */
    LATENCY,
    /** The call threw (or its stage failed with) an exception from the factory. */
    EXCEPTION,
    /** The call returned a wrong result made from the real one. */
    WRONG_RESULT,
    /** The call hung until interrupted, or its stage never completed. */
    HANG
  }

  private final String description;
  private final FaultSchedule schedule;
  private final @Nullable InjectedLatency delay;
  private final @Nullable Supplier<? extends Throwable> exception;
  private final @Nullable Function<? super T, ? extends T> wrongResult;
  private final boolean hang;
  private final AtomicBoolean enabled;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong faults = new AtomicLong();
  private final Map<Kind, AtomicLong> byKind = new EnumMap<>(Kind.class);
  private final AtomicLong interrupts = new AtomicLong();
  private final AtomicLong cancellations = new AtomicLong();

  private FaultInjector(Builder<T> builder, String description) {
    this.description = description;
    this.schedule = builder.schedule;
    this.delay = builder.delay;
    this.exception = builder.exception;
    this.wrongResult = builder.wrongResult;
    this.hang = builder.hang;
    this.enabled = new AtomicBoolean(builder.enabled);
    for (Kind kind : Kind.values()) {
      byKind.put(kind, new AtomicLong()); // filled once here, read-only after: safe to share
    }
  }

  /**
   * A builder of an injector; at least one of latency, exception, wrong result or hang must be set.
   *
   * @param <T> the result type of the decorated calls
   * @return a new builder
   */
  public static <T extends @Nullable Object> Builder<T> builder() {
    return new Builder<>();
  }

  /**
   * Decorates a callable: the faults of an enabled injector, then the real call.
   *
   * @param delegate the real call
   * @return the decorated call
   */
  public Callable<T> decorateCallable(Callable<T> delegate) {
    notNull("delegate", delegate);
    return () -> call(delegate);
  }

  /**
   * Decorates a supplier: the faults of an enabled injector, then the real call. An interrupted
   * wait throws {@link CancellationException} with the interrupt flag set; a checked exception from
   * the exception factory is wrapped in {@link UndeclaredThrowableException}.
   *
   * @param delegate the real call
   * @return the decorated call
   */
  public Supplier<T> decorateSupplier(Supplier<T> delegate) {
    notNull("delegate", delegate);
    return () -> {
      try {
        return call(delegate::get);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        CancellationException cancelled = new CancellationException("injected wait interrupted");
        cancelled.initCause(e);
        throw cancelled;
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new UndeclaredThrowableException(e);
      }
    };
  }

  /**
   * Decorates an asynchronous call. A faulted call gets a new stage: it completes after the latency
   * (a timer on the {@link ManualScheduler}, or a JDK delayed executor on the real clock) with the
   * exception, or with the real stage's outcome (its result made wrong), or never, for a hang. A
   * faulted stage that the caller cancels is counted in {@link #cancellations()}.
   *
   * @param delegate the real call, returning its stage
   * @return the decorated call
   */
  public Supplier<CompletionStage<T>> decorateAsync(
      Supplier<? extends CompletionStage<T>> delegate) {
    notNull("delegate", delegate);
    return () -> callAsync(delegate);
  }

  /**
   * Enables the faults until the returned scope is closed.
   *
   * @return a scope whose {@code close()} puts back the state found here
   */
  public Scope enable() {
    return new Scope(enabled, enabled.getAndSet(true));
  }

  /**
   * Disables the faults until the returned scope is closed.
   *
   * @return a scope whose {@code close()} puts back the state found here
   */
  public Scope disable() {
    return new Scope(enabled, enabled.getAndSet(false));
  }

  /**
   * Whether calls are faulted now.
   *
   * @return true while enabled
   */
  public boolean enabled() {
    return enabled.get();
  }

  /**
   * Calls made through the decorators so far, faulted or not, enabled or not.
   *
   * @return the number of calls
   */
  public long calls() {
    return calls.get();
  }

  /**
   * Calls faulted so far: each counts once, whatever kinds it got.
   *
   * @return the number of faulted calls
   */
  public long faults() {
    return faults.get();
  }

  /**
   * Faults of one kind injected so far. A call with latency then an exception counts in both.
   *
   * @param kind the kind
   * @return how many faults of that kind were injected
   */
  public long faults(Kind kind) {
    notNull("kind", kind);
    return counter(kind).get();
  }

  /**
   * Injected waits (latency or hang) that ended because the waiting thread was interrupted.
   *
   * @return the number of interrupts observed
   */
  public long interrupts() {
    return interrupts.get();
  }

  /**
   * Faulted asynchronous stages that the caller cancelled before they completed.
   *
   * @return the number of cancellations observed
   */
  public long cancellations() {
    return cancellations.get();
  }

  @Override
  public String toString() {
    return "FaultInjector["
        + description
        + ", enabled="
        + enabled()
        + ", calls="
        + calls()
        + ", faults="
        + faults()
        + "]";
  }

  private AtomicLong counter(Kind kind) {
    AtomicLong counter = byKind.get(kind);
    if (counter == null) {
      throw new AssertionError("no counter for " + kind);
    }
    return counter;
  }

  /** Numbers the call; true when it gets a fault (and counts that). */
  private boolean faultThisCall() {
    long number = calls.incrementAndGet();
    if (!enabled.get() || !schedule.faultOn(number)) {
      return false;
    }
    faults.incrementAndGet();
    return true;
  }

  private T call(Callable<T> delegate) throws Exception {
    if (!faultThisCall()) {
      return delegate.call();
    }
    InjectedLatency d = delay;
    if (d != null) {
      counter(Kind.LATENCY).incrementAndGet();
      try {
        d.await();
      } catch (InterruptedException e) {
        interrupts.incrementAndGet();
        throw e;
      }
    }
    if (hang) {
      counter(Kind.HANG).incrementAndGet();
      hangUntilInterrupted();
    }
    Supplier<? extends Throwable> fault = exception;
    if (fault != null) {
      counter(Kind.EXCEPTION).incrementAndGet();
      throwFault(fault);
    }
    T result = delegate.call();
    Function<? super T, ? extends T> wrong = wrongResult;
    if (wrong == null) {
      return result;
    }
    counter(Kind.WRONG_RESULT).incrementAndGet();
    return wrong.apply(result);
  }

  private void hangUntilInterrupted() throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    try {
      never.await();
    } catch (InterruptedException e) {
      interrupts.incrementAndGet();
      throw e;
    }
    throw new AssertionError("a latch nobody counts down opened");
  }

  private CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> delegate) {
    if (!faultThisCall()) {
      return delegate.get();
    }
    CompletableFuture<T> result = countedOnCancel(new CompletableFuture<>());
    if (hang) {
      counter(Kind.HANG).incrementAndGet();
      return result; // completes only when the caller cancels or completes it
    }
    InjectedLatency d = delay;
    CompletableFuture<?> gate;
    if (d == null) {
      gate = CompletableFuture.completedFuture(Boolean.TRUE);
    } else {
      counter(Kind.LATENCY).incrementAndGet();
      gate = d.later();
      stopWhenDone(result, gate); // a caller that gives up during the latency stops the timer
    }
    var unused =
        gate.whenComplete(
            (ignored, gateFailure) -> {
              if (gateFailure != null) {
                result.completeExceptionally(gateFailure);
              } else {
                finishAsync(delegate, result);
              }
            });
    return result;
  }

  private CompletableFuture<T> countedOnCancel(CompletableFuture<T> result) {
    var unused =
        result.whenComplete(
            (value, failure) -> {
              if (result.isCancelled()) {
                cancellations.incrementAndGet();
              }
            });
    return result;
  }

  private static void stopWhenDone(CompletableFuture<?> result, CompletableFuture<?> gate) {
    var unused = result.whenComplete((value, failure) -> gate.cancel(false));
  }

  private void finishAsync(
      Supplier<? extends CompletionStage<T>> delegate, CompletableFuture<T> result) {
    if (result.isDone()) {
      return; // cancelled during the latency: the real call is not made
    }
    Supplier<? extends Throwable> fault = exception;
    if (fault != null) {
      counter(Kind.EXCEPTION).incrementAndGet();
      result.completeExceptionally(supplied(fault));
      return;
    }
    CompletionStage<T> real;
    try {
      real = delegate.get();
    } catch (RuntimeException | Error e) {
      result.completeExceptionally(e);
      return;
    }
    real.whenComplete(
        (value, failure) -> {
          Function<? super T, ? extends T> wrong = wrongResult;
          if (failure != null) {
            result.completeExceptionally(failure);
          } else if (wrong == null) {
            result.complete(value);
          } else {
            counter(Kind.WRONG_RESULT).incrementAndGet();
            try {
              result.complete(wrong.apply(value));
            } catch (RuntimeException | Error e) {
              result.completeExceptionally(e);
            }
          }
        });
  }

  private static Throwable supplied(Supplier<? extends Throwable> fault) {
    try {
      throwFault(fault);
    } catch (Exception | Error e) {
      return e;
    }
    return new AssertionError("throwFault returned");
  }

  // Argument checks and the throwing of a fault, shared with Faults.

  /** {@code duration} in nanoseconds; refuses null, negative and too long. */
  static long nanos(String parameter, Duration duration) {
    notNull(parameter, duration);
    if (duration.isNegative()) {
      throw new IllegalArgumentException(parameter + " must not be negative, was " + duration);
    }
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          parameter + " is too long to count in nanoseconds, was " + duration, e);
    }
  }

  /** Throws what {@code fault} supplies, or IllegalStateException when it is not throwable. */
  static void throwFault(Supplier<? extends Throwable> fault) throws Exception {
    Throwable t = fault.get();
    if (t instanceof Exception e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(
        "fault must supply an Exception or an Error, supplied "
            + (t == null ? "null" : t.getClass().getName()),
        t);
  }

  static void notNull(String parameter, @Nullable Object value) {
    Objects.requireNonNull(value, () -> parameter + " must not be null, was null");
  }

  /**
   * A stretch of time during which an injector is enabled (or disabled); closing it puts back the
   * state found when it was opened. Thread-safe: closing is idempotent, from any thread. Scopes on
   * one injector are meant to nest; closed out of order, the last one closed decides.
   */
  public static final class Scope implements AutoCloseable {
    private final AtomicBoolean enabled;
    private final boolean previous;
    private final AtomicBoolean closed = new AtomicBoolean();

    Scope(AtomicBoolean enabled, boolean previous) {
      this.enabled = enabled;
      this.previous = previous;
    }

    /** Puts back the state found when the scope was opened; later calls do nothing. */
    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        enabled.set(previous);
      }
    }
  }

  /**
   * A builder of a {@link FaultInjector}. Not thread-safe: build on one thread; the injector it
   * builds is.
   *
   * @param <T> the result type of the decorated calls
   */
  public static final class Builder<T extends @Nullable Object> {
    private FaultSchedule schedule = FaultSchedule.EVERY_CALL;
    private @Nullable String period;
    private @Nullable String probability;
    private long seed;
    private double probabilityValue = Double.NaN;
    private @Nullable InjectedLatency delay;
    private @Nullable String latency;
    private @Nullable Supplier<? extends Throwable> exception;
    private @Nullable Function<? super T, ? extends T> wrongResult;
    private boolean hang;
    private boolean enabled;

    private Builder() {}

    /**
     * Faults calls {@code n}, {@code 2n}, {@code 3n}, ... Default: every call.
     *
     * @param n the period, at least 1
     * @return this builder
     */
    public Builder<T> period(int n) {
      schedule = FaultSchedule.everyNth("period", n);
      period = "every " + n + " calls";
      return this;
    }

    /**
     * Faults each call with this probability, chosen from the {@link #seed(long) seed} and the
     * call's number. Excludes {@link #period(int)}.
     *
     * @param probability the chance that a call is faulted, in {@code [0, 1]}
     * @return this builder
     */
    public Builder<T> probability(double probability) {
      FaultSchedule.checkProbability("probability", probability);
      probabilityValue = probability;
      this.probability = "probability " + probability;
      return this;
    }

    /**
     * Chooses which calls a {@link #probability(double) probability} faults. Default 0.
     *
     * @param seed any value; the same seed faults the same call numbers
     * @return this builder
     */
    public Builder<T> seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Makes a faulted call wait {@code delay} on the real clock ({@code Thread.sleep}) before going
     * on; an asynchronous call completes after it on a JDK delayed executor.
     *
     * @param delay zero or positive
     * @return this builder
     */
    public Builder<T> latency(Duration delay) {
      delay(InjectedLatency.real(nanos("latency", delay)), "latency " + delay);
      return this;
    }

    /**
     * Makes a faulted call advance {@code ticker} by {@code delay} before going on: a slow call in
     * virtual time that costs no real time. Asynchronous calls advance it too, before returning.
     *
     * @param delay zero or positive
     * @param ticker the virtual clock to advance
     * @return this builder
     */
    public Builder<T> latency(Duration delay, ManualTicker ticker) {
      long nanos = nanos("latency", delay);
      notNull("ticker", ticker);
      delay(InjectedLatency.on(ticker, nanos), "latency " + delay + " on " + ticker);
      return this;
    }

    /**
     * Makes a faulted call wait {@code delay} on {@code scheduler}: a synchronous call {@linkplain
     * ManualScheduler#sleep sleeps} on it (advancing its ticker, interruptibly), an asynchronous
     * call completes when a test advances the ticker past the delay.
     *
     * @param delay zero or positive
     * @param scheduler the virtual scheduler
     * @return this builder
     */
    public Builder<T> latency(Duration delay, ManualScheduler scheduler) {
      long nanos = nanos("latency", delay);
      notNull("scheduler", scheduler);
      delay(InjectedLatency.on(scheduler, nanos), "latency " + delay + " on " + scheduler);
      return this;
    }

    private void delay(InjectedLatency d, String text) {
      delay = d;
      latency = text;
    }

    /**
     * Makes a faulted call throw (or its stage fail with) what {@code fault} supplies, a fresh one
     * each time; synchronous calls accept an {@link Exception} or an {@link Error}.
     *
     * @param fault the exception factory
     * @return this builder
     */
    public Builder<T> exception(Supplier<? extends Throwable> fault) {
      notNull("exception", fault);
      exception = fault;
      return this;
    }

    /**
     * Makes a faulted call make the real call and return {@code wrong} applied to its result.
     *
     * @param wrong makes the wrong result from the real one
     * @return this builder
     */
    public Builder<T> wrongResult(Function<? super T, ? extends T> wrong) {
      notNull("wrongResult", wrong);
      wrongResult = wrong;
      return this;
    }

    /**
     * Makes a faulted call hang: block until interrupted, or return a stage that completes only
     * when cancelled. Excludes latency, exception and wrong result.
     *
     * @return this builder
     */
    public Builder<T> hang() {
      hang = true;
      return this;
    }

    /**
     * Whether the injector starts enabled. Default false: it faults nothing until {@link
     * FaultInjector#enable()}.
     *
     * @param enabled true to start enabled
     * @return this builder
     */
    public Builder<T> enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /**
     * Builds the injector.
     *
     * @return a new injector, with its own counters
     * @throws IllegalStateException when no fault is set, when more than one of exception, wrong
     *     result and hang is set, when hang is set with latency, or when both period and
     *     probability are set
     */
    public FaultInjector<T> build() {
      List<String> outcomes = new ArrayList<>();
      if (exception != null) {
        outcomes.add("exception");
      }
      if (wrongResult != null) {
        outcomes.add("wrongResult");
      }
      if (hang) {
        outcomes.add("hang");
      }
      if (outcomes.isEmpty() && latency == null) {
        throw new IllegalStateException(
            "set at least one fault: latency, exception, wrongResult or hang");
      }
      if (outcomes.size() > 1) {
        throw new IllegalStateException(
            "exception, wrongResult and hang exclude one another, set were " + outcomes);
      }
      if (hang && latency != null) {
        throw new IllegalStateException("hang excludes latency, set was " + latency);
      }
      if (period != null && probability != null) {
        throw new IllegalStateException(
            "period and probability exclude one another, set were "
                + period
                + " and "
                + probability);
      }
      if (probability != null) {
        schedule = FaultSchedule.withProbability("probability", probabilityValue, seed);
      }
      List<String> parts = new ArrayList<>();
      parts.add(
          period != null
              ? period
              : probability != null ? probability + ", seed " + seed : "every call");
      if (latency != null) {
        parts.add(latency);
      }
      parts.addAll(outcomes);
      return new FaultInjector<>(this, String.join(", ", parts));
    }
  }
}
