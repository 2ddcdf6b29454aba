package dev.ballast;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A policy that decides before a call and records after it (circuit breaker, bulkhead, rate
 * limiter, load shedder), exposing that decision as an allocation-free permit protocol for library
 * authors who cannot pass a lambda.
 *
 * <p>The protocol: {@link #acquire()} returns a permit or throws {@link RejectedException}; the
 * holder then passes the permit to exactly one of {@link #onResult}, {@link #onError} or {@link
 * #release} on every exit path, {@link Error}s and cancellation included:
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
 * <p>A permit is an opaque value meaningful only to the gate that issued it. Implementations are
 * thread-safe, and a {@link Pipeline} runs a run of adjacent gates without allocating.
 */
public interface Gate extends Policy {

  /**
   * Asks to make one call.
   *
   * @return the permit, to be completed by {@link #onResult}, {@link #onError} or {@link #release}
   * @throws RejectedException when the call must not be made
   */
  long acquire();

  /**
   * Completes a permit with the value the call returned; the gate classifies it.
   *
   * @param permit a permit from {@link #acquire()}
   * @param result what the call returned
   */
  void onResult(long permit, @Nullable Object result);

  /**
   * Completes a permit with what the call threw; the gate classifies it.
   *
   * @param permit a permit from {@link #acquire()}
   * @param error what the call threw
   */
  void onError(long permit, Throwable error);

  /**
   * Returns a permit whose call was not made or whose outcome is not to be counted (cancelled).
   *
   * @param permit a permit from {@link #acquire()}
   */
  void release(long permit);

  @Override
  default <T extends @Nullable Object, X extends Throwable> T call(CheckedCallable<T, X> callable)
      throws X {
    long permit = acquire();
    T result;
    try {
      result = callable.call();
    } catch (Throwable t) {
      onError(permit, t);
      throw t;
    }
    onResult(permit, result);
    return result;
  }

  /** Runs the supplier through the permit protocol directly: no lambda is allocated per call. */
  @Override
  default <T extends @Nullable Object> T get(Supplier<T> supplier) {
    long permit = acquire();
    T result;
    try {
      result = supplier.get();
    } catch (Throwable t) {
      onError(permit, t);
      throw t;
    }
    onResult(permit, result);
    return result;
  }

  @Override
  default <T extends @Nullable Object> CompletionStage<T> callAsync(
      Supplier<? extends CompletionStage<T>> supplier) {
    return Gates.callAsync(this, supplier);
  }
}

/** The asynchronous side of the permit protocol, shared by every gate. */
final class Gates {
  private Gates() {}

  static <T extends @Nullable Object> CompletionStage<T> callAsync(
      Gate gate, Supplier<? extends CompletionStage<T>> supplier) {
    long permit;
    try {
      permit = gate.acquire();
    } catch (RejectedException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (Throwable t) {
      gate.onError(permit, t);
      return CompletableFuture.failedFuture(t);
    }
    if (stage == null) {
      NullPointerException npe = new NullPointerException("supplier returned a null stage");
      gate.onError(permit, npe);
      return CompletableFuture.failedFuture(npe);
    }
    AtomicBoolean settled = new AtomicBoolean();
    CompletableFuture<T> out = new CompletableFuture<>();
    stage.whenComplete(
        (result, error) -> {
          if (settled.compareAndSet(false, true)) {
            if (error == null) {
              gate.onResult(permit, result);
            } else {
              gate.onError(permit, unwrap(error));
            }
          }
          if (error == null) {
            out.complete(result);
          } else {
            out.completeExceptionally(unwrap(error));
          }
        });
    CompletableFuture<T> unused =
        out.whenComplete(
            (result, error) -> {
              if (out.isCancelled()) {
                if (settled.compareAndSet(false, true)) {
                  gate.release(permit);
                }
                try {
                  boolean unusedResult = stage.toCompletableFuture().cancel(true);
                } catch (UnsupportedOperationException e) {
                  // A stage that cannot be seen as a future cannot be cancelled; the permit is
                  // back.
                }
              }
            });
    return out;
  }

  static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }
}
