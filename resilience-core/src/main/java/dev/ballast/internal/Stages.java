package dev.ballast.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * What every asynchronous path does with a {@link CompletionStage} it did not create: unwrap the
 * outcome it reports, and cancel it quietly. Not API.
 *
 * <p>Stateless and thread-safe.
 */
public final class Stages {
  private Stages() {}

  /**
   * The exception a stage's callback really reports: the cause of a {@link CompletionException},
   * else the exception itself.
   *
   * @param error what a {@code whenComplete} callback received
   * @return the call's own exception
   */
  public static Throwable unwrap(Throwable error) {
    Throwable cause = error.getCause();
    return error instanceof CompletionException && cause != null ? cause : error;
  }

  /**
   * Cancels the future behind {@code stage} ({@code toCompletableFuture().cancel(true)}). A stage
   * that cannot be seen as a future is left alone. Its {@code cancel} is the stage owner's code:
   * what it throws follows the one rule for user callbacks ({@link ThrottledLog#callbackThrew}):
   * logged through {@code log} and ignored, a {@link VirtualMachineError} returned for the caller
   * to deliver once its own stage is settled.
   *
   * @param stage the call's stage
   * @param log the component's throttled line for this kind of failure
   * @return a {@link VirtualMachineError} the cancellation threw, or {@code null}
   */
  public static @Nullable VirtualMachineError cancelQuietly(
      CompletionStage<?> stage, ThrottledLog log) {
    try {
      boolean unused = stage.toCompletableFuture().cancel(true);
    } catch (UnsupportedOperationException e) {
      // A stage that cannot be seen as a future cannot be cancelled; its outcome is ignored.
    } catch (Throwable t) {
      return log.callbackThrewDeferred(t, "the call's stage threw when cancelled; ignored");
    }
    return null;
  }

  /**
   * Cancels the future behind {@code stage} as {@link #cancelQuietly} does, when the caller's own
   * stage is already settled (cancelled by the caller, or decided): there is nothing left to
   * deliver a {@link VirtualMachineError} to, so whatever the cancellation throws is only logged.
   *
   * @param stage the call's stage
   * @param log the component's throttled line for this kind of failure
   */
  public static void cancelAfterSettled(CompletionStage<?> stage, ThrottledLog log) {
    VirtualMachineError lost = cancelQuietly(stage, log);
    if (lost != null) {
      log.warn("the call's stage threw when cancelled, after the caller's stage was settled", lost);
    }
  }
}
