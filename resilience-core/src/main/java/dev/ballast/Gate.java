package dev.ballast;

import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.internal.Invoker;
import dev.ballast.internal.Stages;
import dev.ballast.internal.ThrottledLog;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * A policy that decides before a call and records after it (circuit breaker, bulkhead, rate
 * limiter, load shedder), exposing that decision as an allocation-free permit protocol for library
 * authors who cannot pass a lambda.
 *
 * <p>The protocol: {@link #acquire()} returns a permit or throws {@link RejectedException} ({@link
 * #tryAcquire()} returns {@link #REFUSED} instead of throwing); the holder then passes the permit
 * to exactly one of {@link #onResult}, {@link #onError} or {@link #release} on every exit path,
 * {@link Error}s and cancellation included:
 *
 * <pre>{@code
 * long permit = gate.acquire();
 * Response r;
 * try {
 *   r = client.send(request);
 * } catch (Throwable t) {
 *   gate.onError(permit, t);
 *   throw t;
 * }
 * gate.onResult(permit, r);
 * }</pre>
 *
 * <p><b>Completing a permit twice.</b> A permit is completed once. A gate never lets a second
 * completion of the same permit corrupt its state: where a gate holds something per permit (a
 * circuit breaker's half-open probes) the second completion is recognised and changes nothing.
 * Where a gate keeps no per-call record (a closed circuit breaker only counts outcomes, so that the
 * success path allocates nothing), a second completion cannot be told from the outcome of another
 * call and is counted as one; each gate's documentation says which. Completing {@link #REFUSED}
 * does nothing.
 *
 * <p>A permit is an opaque value meaningful only to the gate that issued it, and never equal to
 * {@link #REFUSED}. Implementations are thread-safe, and a {@link Pipeline} runs a run of adjacent
 * gates without allocating.
 */
public interface Gate extends Policy {

  /**
   * The value {@link #tryAcquire()} returns when the call must not be made: {@link Long#MIN_VALUE}.
   * No gate ever issues it as a permit.
   */
  long REFUSED = Long.MIN_VALUE;

  /**
   * Asks to make one call.
   *
   * @return the permit, to be completed by {@link #onResult}, {@link #onError} or {@link #release};
   *     never {@link #REFUSED}
   * @throws RejectedException when the call must not be made
   */
  long acquire();

  /**
   * Asks to make one call without throwing when refused, for library authors who would otherwise
   * catch a rejection to ask "may I call?". A refusal is counted and reported exactly as one from
   * {@link #acquire()}; only the exception is missing.
   *
   * <pre>{@code
   * long permit = gate.tryAcquire();
   * if (permit == Gate.REFUSED) {
   *   // refused: nothing to call, and no permit to complete
   * }
   * }</pre>
   *
   * <p>The default implementation calls {@link #acquire()} and catches its rejection, which
   * allocates the rejection; gates of Ballast override it and allocate nothing when refusing.
   *
   * @return a permit, to be completed as one from {@link #acquire()}, or {@link #REFUSED}
   */
  default long tryAcquire() {
    try {
      return acquire();
    } catch (RejectedException e) {
      return REFUSED;
    }
  }

  /**
   * Completes a permit with the value the call returned; the gate classifies it.
   *
   * @param permit a permit from {@link #acquire()} or {@link #tryAcquire()}
   * @param result what the call returned
   */
  void onResult(long permit, @Nullable Object result);

  /**
   * Completes a permit with what the call threw; the gate classifies it.
   *
   * @param permit a permit from {@link #acquire()} or {@link #tryAcquire()}
   * @param error what the call threw
   */
  void onError(long permit, Throwable error);

  /**
   * Returns a permit whose call was not made or whose outcome is not to be counted (cancelled).
   *
   * @param permit a permit from {@link #acquire()} or {@link #tryAcquire()}
   */
  void release(long permit);

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException when {@code callable} is null, before a permit is asked for
   */
  @Override
  default <T extends @Nullable Object, X extends Throwable> T call(CheckedCallable<T, X> callable)
      throws X {
    return permitted(CheckedCallable::call, notNull("callable", callable));
  }

  /**
   * Runs the supplier through the permit protocol directly: no adapter is allocated per call.
   *
   * @throws NullPointerException when {@code supplier} is null, before a permit is asked for
   */
  @Override
  default <T extends @Nullable Object> T get(Supplier<T> supplier) {
    return permitted(Supplier::get, notNull("supplier", supplier));
  }

  /**
   * Runs the runnable through the permit protocol directly: no adapter is allocated per call.
   *
   * @throws NullPointerException when {@code runnable} is null, before a permit is asked for
   */
  @Override
  default void run(Runnable runnable) {
    permitted(Invoker.RUNNABLE, notNull("runnable", runnable));
  }

  /** The permit protocol around one call, for every shape of call (see {@link Policy}). */
  private <F, T extends @Nullable Object, X extends Throwable> T permitted(
      Invoker<F, T, X> how, F fn) throws X {
    long permit = acquire();
    T result;
    try {
      result = how.invoke(fn);
    } catch (Throwable t) {
      onError(permit, t);
      throw t;
    }
    onResult(permit, result);
    return result;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A gate's own callback that throws while the call's stage completes (a listener, a
   * classifier's predicate) never leaves the returned stage incomplete: a {@link
   * VirtualMachineError} becomes its exceptional completion, after the gate has recorded the
   * outcome; anything else is logged and the call's outcome is delivered unchanged.
   *
   * @throws NullPointerException when {@code supplier} is null, before a permit is asked for
   */
  @Override
  default <T extends @Nullable Object> CompletionStage<T> callAsync(
      Supplier<? extends CompletionStage<T>> supplier) {
    return Gates.callAsync(this, supplier);
  }
}

/** The asynchronous side of the permit protocol, shared by every gate. */
final class Gates {
  /** For a gate (not Ballast's own: they catch their callbacks) whose completion throws. */
  private static final ThrottledLog THREW =
      new ThrottledLog(LoggerFactory.getLogger(Gate.class), "gate", Ticker.system());

  private Gates() {}

  static <T extends @Nullable Object> CompletionStage<T> callAsync(
      Gate gate, Supplier<? extends CompletionStage<T>> supplier) {
    notNull("supplier", supplier);
    long permit;
    try {
      permit = gate.acquire();
    } catch (Throwable t) { // a rejection, or an Error from the gate's listener: never thrown
      return CompletableFuture.failedFuture(t);
    }
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (Throwable t) {
      Throwable vme = settle(gate, permit, null, t);
      return CompletableFuture.failedFuture(vme != null ? vme : t);
    }
    if (stage == null) {
      NullPointerException npe = new NullPointerException("supplier returned a null stage");
      Throwable vme = settle(gate, permit, null, npe);
      return CompletableFuture.failedFuture(vme != null ? vme : npe);
    }
    AtomicBoolean settled = new AtomicBoolean();
    CompletableFuture<T> out = new CompletableFuture<>();
    stage.whenComplete(
        (result, error) -> {
          Throwable cause = error == null ? null : Stages.unwrap(error);
          Throwable vme = null;
          if (settled.compareAndSet(false, true)) {
            vme = settle(gate, permit, result, cause);
          }
          // Always completes: with the gate's VirtualMachineError, else the call's own outcome.
          if (vme != null) {
            out.completeExceptionally(vme);
          } else if (cause == null) {
            out.complete(result);
          } else {
            out.completeExceptionally(cause);
          }
        });
    CompletableFuture<T> unused =
        out.whenComplete(
            (result, error) -> {
              if (out.isCancelled()) {
                if (settled.compareAndSet(false, true)) {
                  try {
                    gate.release(permit);
                  } catch (
                      Throwable t) { // the stage is already complete: nobody to tell but the log
                    THREW.warn(gate + " threw from release(permit) after a cancellation", t);
                  }
                }
                Stages.cancelAfterSettled(stage, THREW);
              }
            });
    return out;
  }

  /**
   * Completes the permit with the call's outcome. Returns a {@link VirtualMachineError} the gate
   * threw, for the caller to complete its stage with; logs anything else the gate threw.
   */
  private static @Nullable Throwable settle(
      Gate gate, long permit, @Nullable Object result, @Nullable Throwable error) {
    try {
      if (error == null) {
        gate.onResult(permit, result);
      } else {
        gate.onError(permit, error);
      }
      return null;
    } catch (Throwable t) {
      return THREW.callbackThrewDeferred(
          t, gate + " threw while recording an outcome; the call's outcome is kept");
    }
  }
}
