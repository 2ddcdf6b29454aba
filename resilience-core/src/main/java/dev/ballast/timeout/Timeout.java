package dev.ballast.timeout;

import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.Cancellable;
import dev.ballast.CheckedCallable;
import dev.ballast.Policy;
import dev.ballast.RejectedException;
import dev.ballast.Scheduler;
import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.DeadlineScheduler;
import dev.ballast.internal.Invoker;
import dev.ballast.internal.Listeners;
import dev.ballast.internal.Reconfigurer;
import dev.ballast.internal.ThrottledLog;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A timeout (<em>Release It!</em>, Timeouts): it bounds how long a caller waits for an integration
 * point, so that a slow or hung dependency comes back as a {@link TimeoutExceededException} instead
 * of a blocked thread.
 *
 * <pre>{@code
 * Timeout timeout = Timeout.of("inventory", Duration.ofSeconds(2));
 * Item item = timeout.call(() -> client.get(id));   // throws what get() throws, or
 *                                                   // TimeoutExceededException after 2 s
 * }</pre>
 *
 * <p>A timeout is a wrapper, not a gate: it surrounds the call. In {@link Mode#INTERRUPT} mode (the
 * default) the call runs on the caller's thread and, at the deadline, the scheduler's timer
 * interrupts that thread; the caller gets a {@link TimeoutExceededException} (what the call threw
 * in response is its cause) and its interrupt flag is cleared if the timeout set it, left alone if
 * it came from elsewhere. A call that ignores the interrupt and returns after the timer fired still
 * ends in a {@link TimeoutExceededException}: its result is dropped. A timer firing late, after the
 * call returned, never touches the thread. In {@link Mode#ABANDON} mode, for code that ignores
 * interrupts, the call runs on an executor and the caller stops waiting at the deadline; the
 * abandoned work runs on, counted in {@link TimeoutStats#abandonedRunning()} until it really ends,
 * and keeps whatever it holds (an inner bulkhead's permit) until then. An executor that refuses the
 * work makes the timeout refuse the call with a {@link TimeoutRejectedException} (reason {@code
 * OVERLOAD}: local back pressure, never a failure of the dependency). {@link #callAsync} completes
 * the returned stage exceptionally at the deadline and cancels the call's future.
 *
 * <p>Deadlines propagate: a timeout running inside another (in a {@link dev.ballast.Pipeline}, or
 * in code called under it, on the same thread or on the executor thread of an abandoning one) never
 * waits past the outer deadline. When the outer deadline comes first, the exception names the outer
 * timeout. Deadlines are compared only between timeouts whose schedulers share one {@link Ticker}:
 * an outer deadline on another ticker is not enforced, and the inner timeout logs that once, at
 * WARN, naming both timeouts.
 *
 * <p>The duration can be {@linkplain #call(Duration, CheckedCallable) overridden per call} and
 * {@linkplain #changeDuration changed at run time}. Nothing is logged per call; a change of
 * duration is logged at INFO. Calls are reported to {@linkplain #addListener listeners}, after they
 * are counted. A listener that throws never changes the counts: a {@link VirtualMachineError}
 * reaches the caller (thrown by a sync call, once the call's state is settled; as the exceptional
 * completion of the stage {@link #callAsync} returned, which always completes), anything else is
 * logged at WARN (the first, then at most one line a minute with a count of those suppressed) and
 * the caller's outcome is delivered unchanged. A null call is refused with a {@link
 * NullPointerException} naming the parameter, before anything is counted, scheduled or heard.
 *
 * <p>Thread-safe and lock-free: one instance serves every thread of the process. A sync call in
 * interrupt mode allocates one small object (the timer task) besides the scheduler's own entry.
 */
public final class Timeout implements Policy, AutoCloseable {

  /** What happens when a call's deadline passes. */
  public enum Mode {
    /**
     * The call runs on the caller's thread, which the timer interrupts at the deadline. For calls
     * that respond to interrupts: blocking I/O on interruptible channels, {@code Thread.sleep},
     * waits on locks, queues and futures.
     */
    INTERRUPT,
    /**
     * The call runs on an executor; at the deadline the caller stops waiting and the work is
     * abandoned, still running. For calls that ignore interrupts (classic socket I/O, some JDBC
     * drivers). Each abandoned call keeps a thread until it ends.
     */
    ABANDON
  }

  /*
   * Implementation notes.
   *
   * This class is the timeout's API, settings, counters and listeners. The three ways a call runs
   * live apart, each with the notes on its protocol: InterruptCall (INTERRUPT mode, on the
   * caller's thread), Abandonable (ABANDON mode, on the executor) and AsyncCall (callAsync). The
   * deadline in force on a thread, and the one check of whether an outer deadline fires first, is
   * Context's. A sync call takes its function and a non-capturing internal.Invoker for it (a
   * method reference such as Supplier::get), so that get() and run() allocate no adapter per call.
   *
   * Counts. Counters are LongAdders, each incremented before the listeners hear of the outcome,
   * so a listener that throws never leaves a count out and stats() stays consistent whatever a
   * listener does. `abandonedRunning` is the one counter that goes down (see Abandonable).
   *
   * Listeners: internal.Listeners, the one listener path. A listener's exception goes through its
   * one rule: anything but a VirtualMachineError is logged (one line per interval on the
   * timeout's ticker, naming the timeout) and the report carries on; the first
   * VirtualMachineError is rethrown to the reporter once every listener heard. Reporters: the
   * sync caller's thread, where it propagates to the caller once the call's state is settled (the
   * Context restored, the timer cancelled, the interrupt the timer set cleared); AsyncCall, which
   * catches it and completes the returned stage with it; an abandoned worker's thread, where it
   * reaches the executor (no caller is waiting any more). The clock is read for a listener's
   * duration only when someone listens.
   *
   * The warning about an outer timeout on another ticker is logged once per (inner) timeout: the
   * first thread to flip `outerTickerLogged` logs it. The misconfiguration does not come and go,
   * and one line names both timeouts.
   */

  private static final Logger LOG = LoggerFactory.getLogger(Timeout.class);

  private static final Listeners.Event<TimeoutListener> ON_SUCCESS =
      (l, unused, nanos, unused2) -> l.onSuccess(nanos);
  private static final Listeners.Event1<TimeoutListener, Throwable> ON_FAILURE =
      (l, error, unused, nanos, unused2) -> l.onFailure(nanos, error);
  private static final Listeners.Event1<TimeoutListener, RejectedException> ON_REJECTED =
      (l, rejection, unused, nanos, unused2) -> l.onRejected(nanos, rejection);
  private static final Listeners.Event<TimeoutListener> ON_TIMEOUT =
      (l, unused, nanos, unused2) -> l.onTimeout(nanos);
  private static final Listeners.Event<TimeoutListener> ON_ABANDONED_FINISHED =
      (l, unused, nanos, unused2) -> l.onAbandonedFinished(nanos);

  private static final VarHandle DURATION;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      DURATION = lookup.findVarHandle(Timeout.class, "durationNanos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final String name;
  private volatile TimeoutConfig config;
  private final Reconfigurer reconfigurer;
  private final Scheduler scheduler;

  /** The scheduler, when it takes deadlines: then a call's timer costs no second clock read. */
  private final @Nullable DeadlineScheduler deadlines;

  final Ticker ticker;
  private final Mode mode;
  private final @Nullable Executor executor;
  private final @Nullable ExecutorService ownedExecutor;
  volatile boolean stackTraces; // read when a call times out or is refused

  private final LongAdder successes = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder rejections = new LongAdder();
  private final LongAdder timeouts = new LongAdder();

  /** Abandoned calls whose work still runs; see Abandonable. */
  final LongAdder abandonedRunning = new LongAdder();

  private final Listeners<TimeoutListener> listeners;

  /** What a call's own stage throws when the timeout cancels it. */
  final ThrottledLog stageLog;

  private final AtomicBoolean outerTickerLogged = new AtomicBoolean();

  private volatile long durationNanos;
  private volatile boolean closed;

  private Timeout(String name, TimeoutConfig config) {
    this.name = name;
    this.config = config;
    this.scheduler = config.scheduler();
    this.deadlines = scheduler instanceof DeadlineScheduler d ? d : null;
    this.ticker = scheduler.ticker();
    this.listeners = new Listeners<>("timeout '" + name + "'", new ThrottledLog(LOG, name, ticker));
    this.stageLog = new ThrottledLog(LOG, name, ticker);
    this.mode = config.mode();
    this.stackTraces = config.stackTraces();
    this.reconfigurer = new Reconfigurer("timeout", name, LOG, "scheduler", "mode", "executor");
    this.durationNanos = config.duration().toNanos();
    Executor given = config.executor();
    if (mode == Mode.ABANDON && given == null) {
      this.ownedExecutor = AbandonExecutors.create(name);
      this.executor = ownedExecutor;
    } else {
      this.ownedExecutor = null;
      this.executor = given;
    }
  }

  /**
   * Creates a timeout with the default settings and this duration.
   *
   * @param name the timeout's name, used in logs, metrics and exceptions; not blank
   * @param duration how long a call may take: &gt; 0 and at most 365 days
   * @return the timeout
   */
  public static Timeout of(String name, Duration duration) {
    notBlank("name", name);
    return new Timeout(name, TimeoutConfig.of(duration));
  }

  /**
   * Creates a timeout.
   *
   * @param name the timeout's name, used in logs, metrics and exceptions; not blank
   * @param config its settings
   * @return the timeout
   */
  public static Timeout of(String name, TimeoutConfig config) {
    notBlank("name", name);
    return new Timeout(name, notNull("config", config));
  }

  /**
   * Creates a timeout with {@linkplain TimeoutConfig#defaults() the default settings}: a duration
   * of 1 s, interrupt mode, the shared scheduler.
   *
   * @param name the timeout's name, used in logs, metrics and exceptions; not blank
   * @return the timeout
   */
  public static Timeout ofDefaults(String name) {
    return of(name, TimeoutConfig.defaults());
  }

  /**
   * @return the timeout's name
   */
  public String name() {
    return name;
  }

  /**
   * The settings the timeout was created or last {@linkplain #reconfigure reconfigured} with;
   * {@link #duration()} is the duration in force, which {@link #changeDuration} may have changed
   * since.
   *
   * @return the settings
   */
  public TimeoutConfig config() {
    return config;
  }

  /**
   * The duration calls get unless they override it.
   *
   * @return the current duration
   */
  public Duration duration() {
    return Duration.ofNanos(durationNanos);
  }

  /**
   * Changes the duration for calls that start from now on (a run-time command); calls already
   * running keep their deadline. Logged at INFO.
   *
   * @param duration the new duration: &gt; 0 and at most 365 days
   */
  public void changeDuration(Duration duration) {
    long nanos = TimeoutConfig.checkDuration("duration", duration).toNanos();
    long previous = (long) DURATION.getAndSet(this, nanos);
    LOG.info(
        "name={} duration={} previous={} cause=\"operator command\"",
        name,
        duration,
        Duration.ofNanos(previous));
  }

  /**
   * Applies a new config. The name stays; {@link #config()} returns {@code config} afterwards
   * (docs/reconfiguration.md has the table).
   *
   * <ul>
   *   <li>{@code duration} changes as {@link #changeDuration} does: calls from now on get the new
   *       one; a call already running keeps the deadline it started with.
   *   <li>{@code stackTraces} applies to the next exception built.
   *   <li>The scheduler, the mode and the executor cannot change: a config with another one is
   *       refused with an {@link IllegalArgumentException} naming it and both values, and nothing
   *       changes.
   * </ul>
   *
   * <p>Logged once at INFO with the changed settings, old and new. Reconfigurations of one timeout
   * run one at a time.
   *
   * @param config the new settings
   * @throws IllegalArgumentException when {@code config} changes the scheduler, the mode or the
   *     executor
   */
  public void reconfigure(TimeoutConfig config) {
    reconfigurer.apply(this::inForce, config, this::apply);
  }

  /** The config with the duration in force, which {@link #changeDuration} may have changed. */
  private TimeoutConfig inForce() {
    TimeoutConfig c = config;
    long nanos = durationNanos;
    return c.duration().toNanos() == nanos
        ? c
        : c.toBuilder().duration(Duration.ofNanos(nanos)).build();
  }

  private void apply(TimeoutConfig next) {
    durationNanos = next.duration().toNanos();
    stackTraces = next.stackTraces();
    config = next;
  }

  /**
   * A snapshot of the timeout's figures.
   *
   * @return the stats
   */
  public TimeoutStats stats() {
    return new TimeoutStats(
        successes.sum(),
        failures.sum(),
        rejections.sum(),
        timeouts.sum(),
        Math.max(0L, abandonedRunning.sum()),
        duration());
  }

  /**
   * Adds a listener. At most 64 listeners per timeout.
   *
   * @param listener the listener
   * @return the subscription; closing it removes the listener
   * @throws IllegalStateException when 64 listeners are already registered
   */
  public Subscription addListener(TimeoutListener listener) {
    return listeners.add(listener);
  }

  // ---------------------------------------------------------------- calls

  /**
   * Runs {@code callable} with the current {@linkplain #duration() duration}.
   *
   * @throws TimeoutExceededException when the deadline passed before the call returned
   * @throws java.util.concurrent.CancellationException in {@link Mode#ABANDON} mode, when the
   *     caller was interrupted while waiting (the work is abandoned; the flag stays set)
   * @throws TimeoutRejectedException in {@link Mode#ABANDON} mode, when the executor refused the
   *     work
   * @throws IllegalStateException in {@link Mode#ABANDON} mode, when the timeout was {@linkplain
   *     #close() closed} and owns its executor
   * @throws NullPointerException when {@code callable} is null; nothing is counted
   */
  @Override
  public <T extends @Nullable Object, X extends Throwable> T call(CheckedCallable<T, X> callable)
      throws X {
    notNull("callable", callable);
    return callSync(callable, CheckedCallable::call, durationNanos);
  }

  /**
   * Runs {@code callable} with its own duration instead of the timeout's.
   *
   * @param duration how long this call may take: &gt; 0 and at most 365 days
   * @param callable the call
   * @param <T> the result type
   * @param <X> the checked exception the call throws
   * @return the call's result
   * @throws X what the call threw, unchanged
   * @throws TimeoutExceededException when the deadline passed before the call returned
   */
  public <T extends @Nullable Object, X extends Throwable> T call(
      Duration duration, CheckedCallable<T, X> callable) throws X {
    long nanos = TimeoutConfig.checkDuration("duration", duration).toNanos();
    notNull("callable", callable);
    return callSync(callable, CheckedCallable::call, nanos);
  }

  /**
   * Runs the supplier with the current duration. Overridden so that nothing is allocated per call:
   * the supplier is passed as it is, with an adapter that captures nothing (see {@link Policy}).
   */
  @Override
  public <T extends @Nullable Object> T get(Supplier<T> supplier) {
    notNull("supplier", supplier);
    return callSync(supplier, Supplier::get, durationNanos);
  }

  /**
   * Runs the runnable with the current duration. Overridden so that nothing is allocated per call,
   * as {@link #get}.
   */
  @Override
  public void run(Runnable runnable) {
    notNull("runnable", runnable);
    callSync(runnable, Invoker.RUNNABLE, durationNanos);
  }

  /**
   * Runs an asynchronous call with the current duration: the returned stage completes with the
   * call's outcome, or exceptionally with a {@link TimeoutExceededException} at the deadline, and
   * then the call's future is cancelled ({@code toCompletableFuture().cancel(true)}, where the
   * stage allows it). Cancelling the returned stage cancels the timer and the call's future.
   */
  @Override
  public <T extends @Nullable Object> CompletionStage<T> callAsync(
      Supplier<? extends CompletionStage<T>> supplier) {
    notNull("supplier", supplier);
    return AsyncCall.start(this, supplier, durationNanos);
  }

  /**
   * Runs an asynchronous call with its own duration instead of the timeout's; see {@link
   * #callAsync(Supplier)}.
   *
   * @param duration how long this call may take: &gt; 0 and at most 365 days
   * @param supplier starts the call and returns its stage
   * @param <T> the result type
   * @return a stage that completes with the call's outcome or the timeout
   */
  public <T extends @Nullable Object> CompletionStage<T> callAsync(
      Duration duration, Supplier<? extends CompletionStage<T>> supplier) {
    long nanos = TimeoutConfig.checkDuration("duration", duration).toNanos();
    notNull("supplier", supplier);
    return AsyncCall.start(this, supplier, nanos);
  }

  /**
   * Stops the threads of the executor this timeout created for {@link Mode#ABANDON} mode, if any:
   * abandoned work still running is left to finish, and later calls in that mode are refused with
   * {@link IllegalStateException} (calling a closed component is a bug of the program, not back
   * pressure, so it is not a {@link dev.ballast.RejectedException}; the timeout counts nothing for
   * it). A given executor is not shut down; {@link Mode#INTERRUPT} mode is not affected.
   * Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    ExecutorService owned = ownedExecutor;
    if (owned != null) {
      owned.shutdown();
    }
  }

  /**
   * @return {@code timeout[name]}
   */
  @Override
  public String toString() {
    return "timeout[" + name + "]";
  }

  // ---------------------------------------------------------------- for the calls

  private <F, T extends @Nullable Object, X extends Throwable> T callSync(
      F fn, Invoker<F, T, X> invoker, long nanos) throws X {
    if (mode == Mode.ABANDON) {
      Executor ex = executor;
      if (ex == null || closedOwnExecutor()) {
        throw closedException();
      }
      return Abandonable.call(this, ex, fn, invoker, nanos);
    }
    return InterruptCall.call(this, fn, invoker, nanos);
  }

  /**
   * Schedules a call's timer at {@code deadline} on the ticker, read as {@code now} just before:
   * through {@link DeadlineScheduler} when the scheduler is one, which reads no clock again.
   */
  Cancellable schedule(Runnable timer, long now, long deadline) {
    DeadlineScheduler d = deadlines;
    return d != null
        ? d.scheduleAt(timer, deadline)
        : scheduler.schedule(timer, Math.max(0L, deadline - now));
  }

  /** Whether this timeout created its executor and was closed since. */
  boolean closedOwnExecutor() {
    return closed && ownedExecutor != null;
  }

  /** What a call of a closed timeout that owns its executor throws; nothing is counted. */
  IllegalStateException closedException() {
    return new IllegalStateException("timeout '" + name + "' is closed");
  }

  /**
   * The exception for a call of this timeout whose deadline passed: {@code firing} names the
   * timeout whose deadline it was (this one, or an outer one), {@code nanos} its duration.
   */
  TimeoutExceededException exceeded(Timeout firing, long nanos, @Nullable Throwable cause) {
    return new TimeoutExceededException(firing.name, nanos, cause, stackTraces);
  }

  /**
   * Whether {@code outer}'s deadline can be compared with this timeout's; logs once when it cannot.
   */
  boolean sameTicker(Timeout outer) {
    if (outer.ticker == ticker) {
      return true;
    }
    if (!outerTickerLogged.get() && outerTickerLogged.compareAndSet(false, true)) {
      LOG.warn(
          "name={} runs inside timeout '{}', whose scheduler has another ticker: the outer deadline"
              + " is not enforced on this timeout's calls (give both timeouts schedulers on one"
              + " ticker)",
          name,
          outer.name);
    }
    return false;
  }

  /** A call returned in time. A listener's VirtualMachineError propagates once counted. */
  void succeeded(long start) {
    successes.increment();
    if (!listeners.isEmpty()) {
      listeners.emit(ON_SUCCESS, null, ticker.read() - start, 0L);
    }
  }

  /** A call threw in time, or was refused (a rejection is counted apart, never a failure). */
  void failed(long start, Throwable error) {
    if (error instanceof RejectedException rejection) {
      rejections.increment();
      if (!listeners.isEmpty()) {
        listeners.emit(ON_REJECTED, rejection, null, ticker.read() - start, 0L);
      }
    } else {
      failures.increment();
      if (!listeners.isEmpty()) {
        listeners.emit(ON_FAILURE, error, null, ticker.read() - start, 0L);
      }
    }
  }

  /** A call's deadline passed. */
  void timedOut(long start) {
    timeouts.increment();
    if (!listeners.isEmpty()) {
      listeners.emit(ON_TIMEOUT, null, ticker.read() - start, 0L);
    }
  }

  /** The work of an abandoned call really ended; reported on the worker's thread. */
  void abandonedFinished(long start) {
    abandonedRunning.decrement();
    if (!listeners.isEmpty()) {
      listeners.emit(ON_ABANDONED_FINISHED, null, ticker.read() - start, 0L);
    }
  }
}
