package dev.ballast.timeout;

import dev.ballast.Cancellable;
import dev.ballast.internal.Stages;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One async call under a {@link Timeout}: the timer task, the call's completion callback, and the
 * stage returned to the caller. Package-private.
 *
 * <p>Thread-safe: the timer's thread, the thread completing the call and the caller race, and one
 * compare-and-set decides.
 */
final class AsyncCall<T extends @Nullable Object>
    implements Runnable, BiConsumer<T, @Nullable Throwable> {

  /*
   * Implementation notes.
   *
   * Whoever claims the call first (a CAS on `decided`) decides its outcome; the others do nothing.
   * The claimants: the timer (a timeout), the call's stage completing (its outcome), the supplier
   * throwing or returning null (a failure), and the caller acting on the returned stage `out`
   * (cancel, complete, completeExceptionally, which Stage overrides to claim first). A caller who
   * wins is never counted and no listener hears of the call; a caller who loses finds its cancel
   * refused (cancel returns false, complete returns false) and gets the decided outcome, possibly
   * an instant after its refused call returned: the winner tells the listeners, and the timer
   * cancels the call's future, before `out` completes, so isDone() may still read false right after
   * a refused cancel (Future's contract wants it true; the order is what lets a listener's
   * VirtualMachineError complete the stage). So every
   * call the caller sees end other than by its own hand is counted exactly once, and the counts
   * equal what callers saw.
   *
   * The winner counts the outcome and tells the listeners (Timeout's counters and listeners) before it completes
   * `out`, so that a listener's VirtualMachineError can become the stage's exceptional completion
   * (DESIGN, "Operators"); anything else a listener throws is logged there and the outcome is
   * delivered unchanged. Either way `out` completes: the returned stage always completes. A
   * listener therefore hears of an outcome just before the caller sees it.
   *
   * The timer that wins cancels the call's future before it fails `out`, so a caller that sees the
   * timeout finds the call cancelled, and the cancelled call's own completion loses the claim.
   * Every other winner cancels the timer. `timer` is written once, right after scheduling and
   * before the call is started, so every winner but the timer itself finds it set. The stage may
   * arrive after the timer fired (a slow supplier): `stage` is written before `decided` is read,
   * and the timer claims before it reads `stage`, so one of the two cancels it.
   *
   * Not guarded: obtrudeValue/obtrudeException and completeAsync complete `out` without claiming
   * (they bypass the overridden methods); the late winner then finds `out` done and counts
   * nothing.
   */

  private static final VarHandle DECIDED;

  static {
    try {
      DECIDED = MethodHandles.lookup().findVarHandle(AsyncCall.class, "decided", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Stage<T> out = new Stage<>(this);
  private final Timeout timeout;
  private final long start;
  private final Timeout firing;
  private final long firingNanos;
  private volatile @Nullable CompletionStage<T> stage;
  private volatile @Nullable Cancellable timer;

  @SuppressWarnings("UnusedVariable") // read and written through DECIDED
  private volatile boolean decided;

  private AsyncCall(Timeout timeout, long start, Timeout firing, long firingNanos) {
    this.timeout = timeout;
    this.start = start;
    this.firing = firing;
    this.firingNanos = firingNanos;
  }

  /**
   * Starts an async call under {@code timeout}, for {@code nanos} at most, and returns the stage
   * the caller gets.
   */
  static <T extends @Nullable Object> CompletionStage<T> start(
      Timeout timeout, Supplier<? extends CompletionStage<T>> supplier, long nanos) {
    Context ctx = Context.CURRENT.get();
    long start = timeout.ticker.read();
    long effective = start + nanos;
    Timeout firing = timeout;
    long firingNanos = nanos;
    Timeout outer = ctx.owner;
    long outerDeadline = ctx.deadline;
    long outerNanos = ctx.nanos;
    boolean outerInterrupts = ctx.interrupts;
    if (outer != null && ctx.outerFiresFirst(timeout, effective)) {
      firing = outer;
      firingNanos = outerNanos;
      effective = outerDeadline;
    }
    AsyncCall<T> a = new AsyncCall<>(timeout, start, firing, firingNanos);
    a.timer = timeout.schedule(a, start, effective);
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
      Stages.cancelAfterSettled(stage, timeout.stageLog);
    } else {
      stage.whenComplete(a);
    }
    return a.out;
  }

  /** Claims the outcome: true for the one caller that decides it. */
  boolean claim() {
    return DECIDED.compareAndSet(this, false, true);
  }

  boolean decided() {
    return (boolean) DECIDED.getVolatile(this);
  }

  /** The timer: the deadline passed. The call is cancelled before the stage fails. */
  @Override
  public void run() {
    if (!claim() || out.isDone()) {
      return;
    }
    VirtualMachineError fatal = cancelUnderlying();
    Throwable outcome = timeout.exceeded(firing, firingNanos, null);
    try {
      timeout.timedOut(start);
    } catch (VirtualMachineError e) {
      outcome = e;
    }
    out.deliverFailure(fatal != null ? fatal : outcome);
  }

  /** The call's stage completed. */
  @Override
  public void accept(T result, @Nullable Throwable error) {
    if (!claim()) {
      return;
    }
    if (error != null) {
      fail(Stages.unwrap(error));
      return;
    }
    cancelTimer();
    if (out.isDone()) {
      return;
    }
    try {
      timeout.succeeded(start);
    } catch (VirtualMachineError e) {
      out.deliverFailure(e);
      return;
    }
    out.deliver(result);
  }

  /** Fails the call with {@code error}; only after a successful {@link #claim()}. */
  void fail(Throwable error) {
    cancelTimer();
    if (out.isDone()) {
      return;
    }
    Throwable outcome = error;
    try {
      timeout.failed(start, error);
    } catch (VirtualMachineError e) {
      outcome = e;
    }
    out.deliverFailure(outcome);
  }

  private void cancelTimer() {
    Cancellable t = timer;
    if (t != null) {
      boolean unused = t.cancel();
    }
  }

  /**
   * Cancels the call's future. What its cancel throws is logged; a VirtualMachineError is returned,
   * for the claimant to deliver or rethrow once the outcome is settled.
   */
  @Nullable VirtualMachineError cancelUnderlying() {
    CompletionStage<T> s = stage;
    return s == null ? null : Stages.cancelQuietly(s, timeout.stageLog);
  }

  /**
   * The stage returned to the caller: the caller's cancel and completions claim the call first, so
   * that an outcome already decided is delivered rather than half-counted.
   */
  static final class Stage<T extends @Nullable Object> extends CompletableFuture<T> {
    private final AsyncCall<T> call;

    Stage(AsyncCall<T> call) {
      this.call = call;
    }

    /**
     * Cancels the timer and the call's future, unless the outcome was decided first: then it is
     * delivered, and this returns {@code false} (or {@code true} if already cancelled). The decided
     * outcome may land an instant after this returns {@code false}: wait on the stage rather than
     * read {@link #isDone()} at once.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      if (!call.claim()) {
        return isCancelled();
      }
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      call.cancelTimer();
      VirtualMachineError fatal = call.cancelUnderlying();
      if (fatal != null) {
        throw fatal; // to the caller of cancel, after this stage is cancelled
      }
      return cancelled;
    }

    /** Completes the stage for the caller, unless the outcome was decided first; not counted. */
    @Override
    public boolean complete(T value) {
      if (!call.claim()) {
        return false;
      }
      call.cancelTimer();
      return super.complete(value);
    }

    /** Fails the stage for the caller, unless the outcome was decided first; not counted. */
    @Override
    public boolean completeExceptionally(Throwable ex) {
      Objects.requireNonNull(ex, "ex must not be null");
      if (!call.claim()) {
        return false;
      }
      call.cancelTimer();
      return super.completeExceptionally(ex);
    }

    void deliver(T value) {
      boolean unused = super.complete(value);
    }

    void deliverFailure(Throwable error) {
      boolean unused = super.completeExceptionally(error);
    }
  }
}
