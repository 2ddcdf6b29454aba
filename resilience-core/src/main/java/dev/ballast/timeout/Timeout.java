package dev.ballast.timeout;

import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.Cancellable;
import dev.ballast.CheckedCallable;
import dev.ballast.Policy;
import dev.ballast.Scheduler;
import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.Stages;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
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
   * INTERRUPT mode: a per-call state machine. Each call allocates one InterruptCall, which is also the
   * Runnable handed to the scheduler, so that a timer can only ever act on the call it was
   * scheduled for. Its `state` moves by compare-and-set:
   *
   *   RUNNING --caller returns--> DONE                          (the caller won: normal outcome)
   *   RUNNING --timer fires--> INTERRUPTING --> INTERRUPTED     (the timer interrupted the thread)
   *                                         --> ALREADY_INTERRUPTED (the flag was set already)
   *
   * Exactly one of the caller and the timer wins the CAS out of RUNNING. The caller that wins
   * cancels the timer; if the cancel comes too late, the timer runs, fails its CAS and does
   * nothing, so a late timer never interrupts a later call on the same thread. The timer that
   * wins reads the thread's interrupt flag, interrupts the thread only if the flag was clear, and
   * publishes INTERRUPTED or ALREADY_INTERRUPTED with a release store. The caller that lost sees
   * INTERRUPTING or later; it spins (acquire loads) until the timer's store, because only then is
   * the interrupt delivered, and clears the flag (Thread.interrupted()) iff the state is
   * INTERRUPTED.
   *
   * The interrupt-flag rule that follows: the timeout clears exactly the interrupt it set. An
   * interrupt from elsewhere, set before the timer fired (before the call, or during it), is left
   * set: the timer saw it and did not interrupt. An interrupt from elsewhere arriving after the
   * timer fired, during the same call, lands on a flag the timer set and is cleared with it (the
   * flag is one bit); the caller still learns that the call was cut short. The same window
   * exists between the timer's read of the flag and its interrupt().
   *
   * A call that returns normally after the timer won is a timeout (its result is dropped), like a
   * call that threw: the outcome is decided by which side wins the CAS, not by a second read of
   * the clock, so a call is timed out exactly when its timer fired before it returned.
   *
   * Deadlines. A per-thread Context (one per thread, mutated in place, so a call allocates nothing
   * for it) holds the innermost deadline in force on the thread: the timeout that owns it, the
   * deadline, that timeout's duration (for the exception) and whether a timer will interrupt this
   * thread at it. A call saves the four fields in locals, installs its own (the earlier of its
   * deadline and the outer one), and restores them on every exit path. When the outer deadline is
   * not later than its own and the outer timer interrupts this thread, a sync call in INTERRUPT
   * mode schedules nothing: the outer timer will cut it short and the outer timeout will report
   * it; the inner one passes the call's outcome through. Otherwise the inner call's own timer is
   * set at the earlier deadline and, when it fires at the outer's, names the outer timeout. In
   * ABANDON mode the Context is carried to the executor thread (interrupts = false there). An
   * outer deadline read on another ticker cannot be compared with ours: it is not enforced on the
   * inner call, and sameTicker() has TimeoutEvents log that once per timeout.
   *
   * ABANDON mode. An Abandonable is the executor's task. Its `state` goes RUNNING -> DONE (the
   * worker ended first) or RUNNING -> ABANDONED, by the timer at the deadline (which then unparks
   * the caller) or by the caller itself when it finds its interrupt flag set. As in INTERRUPT mode,
   * the CAS decides: a call is timed out exactly when its timer fired before it ended. The caller
   * parks until the state leaves RUNNING or it is interrupted. The result and error are plain
   * fields written before the worker's CAS and read after the caller's acquire load of DONE.
   * Whoever abandons increments `abandonedRunning` before its CAS (and undoes it if the CAS fails),
   * and the worker that finds ABANDONED decrements it, so the count never goes negative; a
   * snapshot may briefly count one call that was not abandoned after all. An executor that
   * refuses the task (RejectedExecutionException) refuses the call: the timer is cancelled and the
   * caller gets a TimeoutRejectedException, counted as rejected. A timeout whose own executor was
   * closed refuses with IllegalStateException before counting anything, also when the close races
   * with the call and the executor's refusal arrives first.
   *
   * Async: see AsyncCall, the timer task, the call's completion callback and the returned stage,
   * where one CAS decides between the timer, the call and the caller.
   *
   * Counts and listeners: see TimeoutEvents. Each outcome is counted before listeners hear of it,
   * and a listener's VirtualMachineError reaches the caller only after the call's state is settled
   * (the Context restored, the timer cancelled, the interrupt the timer set cleared).
   */

  private static final Logger LOG = LoggerFactory.getLogger(Timeout.class);

  static final int RUNNING = 0;
  static final int DONE = 1;
  static final int INTERRUPTING = 2;
  static final int INTERRUPTED = 3;
  static final int ALREADY_INTERRUPTED = 4;
  static final int ABANDONED = 5;

  /** What a sync call's {@code fn} is. */
  private static final int CALLABLE = 0;

  private static final int SUPPLIER = 1;
  private static final int RUNNABLE = 2;

  private static final VarHandle DURATION;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      DURATION = lookup.findVarHandle(Timeout.class, "durationNanos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final TimeoutConfig config;
  private final Scheduler scheduler;
  private final Ticker ticker;
  private final Mode mode;
  private final @Nullable Executor executor;
  private final @Nullable ExecutorService ownedExecutor;
  private final boolean stackTraces;
  final TimeoutEvents events;

  private volatile long durationNanos;
  private volatile boolean closed;

  private Timeout(String name, TimeoutConfig config) {
    this.name = name;
    this.config = config;
    this.scheduler = config.scheduler();
    this.ticker = scheduler.ticker();
    this.events = new TimeoutEvents(LOG, name, ticker);
    this.mode = config.mode();
    this.stackTraces = config.stackTraces();
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
   * The settings the timeout was created with; {@link #duration()} is the duration in force, which
   * {@link #changeDuration} may have changed since.
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
   * A snapshot of the timeout's figures.
   *
   * @return the stats
   */
  public TimeoutStats stats() {
    return events.stats(duration());
  }

  /**
   * Adds a listener. At most 64 listeners per timeout.
   *
   * @param listener the listener
   * @return the subscription; closing it removes the listener
   * @throws IllegalStateException when 64 listeners are already registered
   */
  public Subscription addListener(TimeoutListener listener) {
    return events.add(listener);
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
    return callSync(callable, CALLABLE, durationNanos);
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
    return callSync(callable, CALLABLE, nanos);
  }

  /** Runs the supplier without wrapping it in a callable: nothing is allocated for it. */
  @Override
  public <T extends @Nullable Object> T get(Supplier<T> supplier) {
    notNull("supplier", supplier);
    return this.<T, RuntimeException>callSync(supplier, SUPPLIER, durationNanos);
  }

  /** Runs the runnable without wrapping it in a callable: nothing is allocated for it. */
  @Override
  public void run(Runnable runnable) {
    notNull("runnable", runnable);
    this.<@Nullable Object, RuntimeException>callSync(runnable, RUNNABLE, durationNanos);
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
    return async(supplier, durationNanos);
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
    return async(supplier, nanos);
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

  // ---------------------------------------------------------------- interrupt mode

  // fn is an Object (a callable, supplier or runnable, as kind says) so that get() and run() need
  // no adapter: T is unchecked.
  @SuppressWarnings("TypeParameterUnusedInFormals")
  private <T extends @Nullable Object, X extends Throwable> T callSync(
      Object fn, int kind, long nanos) throws X {
    if (mode == Mode.ABANDON) {
      return callAbandoning(fn, kind, nanos);
    }
    Context ctx = Context.CURRENT.get();
    long start = ticker.read();
    long effective = start + nanos;
    Timeout firing = this;
    long firingNanos = nanos;
    Timeout outer = ctx.owner;
    long outerDeadline = ctx.deadline;
    long outerNanos = ctx.nanos;
    boolean outerInterrupts = ctx.interrupts;
    if (outer != null && sameTicker(outer) && outerDeadline - effective <= 0) {
      if (outerInterrupts) {
        // The outer timer interrupts this thread no later than our deadline would; it reports.
        return passThrough(fn, kind, start);
      }
      firing = outer;
      firingNanos = outerNanos;
      effective = outerDeadline;
    }
    InterruptCall call = new InterruptCall(ctx.thread);
    Cancellable timer = scheduler.schedule(call, Math.max(0L, effective - start));
    ctx.set(firing, effective, firingNanos, true);
    T result;
    try {
      result = invoke(fn, kind);
    } catch (Throwable t) {
      ctx.set(outer, outerDeadline, outerNanos, outerInterrupts);
      if (!call.casState(RUNNING, DONE)) {
        throw timedOut(call, t, start, firing, firingNanos);
      }
      boolean unused = timer.cancel();
      events.failed(start, t);
      throw t;
    }
    ctx.set(outer, outerDeadline, outerNanos, outerInterrupts);
    if (!call.casState(RUNNING, DONE)) {
      throw timedOut(call, null, start, firing, firingNanos);
    }
    boolean unused = timer.cancel();
    events.succeeded(start);
    return result;
  }

  /** Whether {@code outer}'s deadline can be compared with ours; logs once when it cannot. */
  private boolean sameTicker(Timeout outer) {
    if (outer.ticker == ticker) {
      return true;
    }
    events.outerOnAnotherTicker(outer.name);
    return false;
  }

  @SuppressWarnings("TypeParameterUnusedInFormals") // see callSync
  private <T extends @Nullable Object, X extends Throwable> T passThrough(
      Object fn, int kind, long start) throws X {
    T result;
    try {
      result = invoke(fn, kind);
    } catch (Throwable t) {
      events.failed(start, t);
      throw t;
    }
    events.succeeded(start);
    return result;
  }

  /** The timer won: waits for its interrupt to land, clears it if it was ours, and reports. */
  @SuppressWarnings("ThreadPriorityCheck") // yield only if the timer thread was descheduled
  private TimeoutExceededException timedOut(
      InterruptCall call, @Nullable Throwable cause, long start, Timeout firing, long firingNanos) {
    int s;
    int spins = 0;
    while ((s = call.stateAcquire()) == INTERRUPTING) {
      if (++spins < 64) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
    if (s == INTERRUPTED) {
      boolean unused = Thread.interrupted(); // the interrupt this timeout set, and only it
    }
    if (cause instanceof VirtualMachineError vme) {
      throw vme;
    }
    events.timedOut(start);
    return new TimeoutExceededException(firing.name, firingNanos, cause, stackTraces);
  }

  // fn is a Supplier<T>, a Runnable or a CheckedCallable<T, X>, as kind says.
  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals", "NullAway"})
  static <T extends @Nullable Object, X extends Throwable> T invoke(Object fn, int kind) throws X {
    return switch (kind) {
      case SUPPLIER -> ((Supplier<T>) fn).get();
      case RUNNABLE -> {
        ((Runnable) fn).run();
        yield (T) null; // run() returns nothing; its caller ignores the result
      }
      default -> ((CheckedCallable<T, X>) fn).call();
    };
  }

  // ---------------------------------------------------------------- abandon mode

  @SuppressWarnings("TypeParameterUnusedInFormals") // see callSync
  private <T extends @Nullable Object, X extends Throwable> T callAbandoning(
      Object fn, int kind, long nanos) throws X {
    Executor ex = executor;
    if (ex == null || closedOwnExecutor()) {
      throw closedException();
    }
    Context ctx = Context.CURRENT.get();
    long start = ticker.read();
    if (ctx.thread.isInterrupted()) {
      CancellationException e = interruptedWhileWaiting();
      events.failed(start, e);
      throw e;
    }
    long effective = start + nanos;
    Timeout firing = this;
    long firingNanos = nanos;
    boolean wake = true;
    Timeout outer = ctx.owner;
    if (outer != null && sameTicker(outer) && ctx.deadline - effective <= 0) {
      firing = outer;
      firingNanos = ctx.nanos;
      effective = ctx.deadline;
      wake = !ctx.interrupts; // an outer timer that interrupts this thread ends the wait itself
    }
    Abandonable work =
        new Abandonable(this, fn, kind, ctx.thread, start, firing, effective, firingNanos);
    Cancellable timer =
        wake ? scheduler.schedule(work::abandon, Math.max(0L, effective - start)) : null;
    try {
      ex.execute(work);
    } catch (RuntimeException | Error e) {
      if (timer != null) {
        boolean unused = timer.cancel();
      }
      if (!work.casState(RUNNING, DONE)) {
        events.abandonedRunning.decrement(); // the timer fired first and counted work never run
      }
      if (closedOwnExecutor()) {
        throw closedException(); // the close raced with this call: not counted
      }
      Throwable outcome =
          e instanceof RejectedExecutionException
              ? new TimeoutRejectedException(name, e, stackTraces) // back pressure, not a failure
              : e;
      events.failed(start, outcome);
      throw Timeout.<X>sneaky(outcome);
    }
    while (true) {
      int s = work.stateAcquire();
      if (s == DONE) {
        break;
      }
      if (s == ABANDONED) { // the timer won: the deadline passed before the work ended
        events.timedOut(start);
        throw new TimeoutExceededException(firing.name, firingNanos, null, stackTraces);
      }
      if (ctx.thread.isInterrupted()) { // read, not cleared: the flag stays set
        events.abandonedRunning.increment();
        if (work.casState(RUNNING, ABANDONED)) {
          if (timer != null) {
            boolean unused = timer.cancel();
          }
          CancellationException e = interruptedWhileWaiting();
          events.failed(start, e);
          throw e;
        }
        events.abandonedRunning.decrement(); // the work ended first after all
        continue;
      }
      LockSupport.park(this);
    }
    if (timer != null) {
      boolean unused = timer.cancel();
    }
    Throwable error = work.error;
    if (error != null) {
      events.failed(start, error);
      throw Timeout.<X>sneaky(error);
    }
    events.succeeded(start);
    return Timeout.<T>resultOf(work);
  }

  private boolean closedOwnExecutor() {
    return closed && ownedExecutor != null;
  }

  private IllegalStateException closedException() {
    return new IllegalStateException("timeout '" + name + "' is closed");
  }

  // The worker stored what invoke() returned for T, null included when T admits it.
  @SuppressWarnings({"unchecked", "NullAway", "TypeParameterUnusedInFormals"})
  private static <T extends @Nullable Object> T resultOf(Abandonable work) {
    return (T) work.result;
  }

  private CancellationException interruptedWhileWaiting() {
    return new CancellationException(
        "timeout '" + name + "': the caller was interrupted while waiting; the call is abandoned");
  }

  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // X is what invoke() threw
  private static <X extends Throwable> X sneaky(Throwable error) throws X {
    throw (X) error;
  }

  // ---------------------------------------------------------------- async

  private <T extends @Nullable Object> CompletionStage<T> async(
      Supplier<? extends CompletionStage<T>> supplier, long nanos) {
    Context ctx = Context.CURRENT.get();
    long start = ticker.read();
    long effective = start + nanos;
    Timeout firing = this;
    long firingNanos = nanos;
    Timeout outer = ctx.owner;
    long outerDeadline = ctx.deadline;
    long outerNanos = ctx.nanos;
    boolean outerInterrupts = ctx.interrupts;
    if (outer != null && sameTicker(outer) && outerDeadline - effective <= 0) {
      firing = outer;
      firingNanos = outerNanos;
      effective = outerDeadline;
    }
    AsyncCall<T> a = new AsyncCall<>(events, start, firing.name, firingNanos, stackTraces);
    a.armed(scheduler.schedule(a, Math.max(0L, effective - start)));
    CompletionStage<T> stage;
    ctx.set(firing, effective, firingNanos, false);
    try {
      stage = supplier.get();
    } catch (Throwable t) {
      ctx.set(outer, outerDeadline, outerNanos, outerInterrupts);
      if (a.claim()) {
        a.fail(t);
      }
      return a.out;
    }
    ctx.set(outer, outerDeadline, outerNanos, outerInterrupts);
    if (stage == null) {
      if (a.claim()) {
        a.fail(new NullPointerException("supplier returned a null stage"));
      }
      return a.out;
    }
    a.stage = stage;
    if (a.decided()) {
      // Decided while starting (the deadline passed, or the caller acted): the claimant settles the
      // caller's stage, so what this cancel throws can only be logged.
      Stages.cancelAfterSettled(stage, events.stageLog);
    } else {
      stage.whenComplete(a);
    }
    return a.out;
  }
}
