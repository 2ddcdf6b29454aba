package dev.ballast;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A stability pattern that runs a call to an integration point and may refuse, delay, repeat, cut
 * short or substitute it. Every Ballast pattern is a {@code Policy}, and so is a {@link Pipeline}
 * of them.
 *
 * <p>Checked exceptions of the call pass through unchanged, never wrapped: {@code policy.call(() ->
 * Files.readString(path))} throws {@code IOException} and nothing else checked. A refusal is a
 * {@link RejectedException}.
 *
 * <p>Implementations are thread-safe: one instance guards one integration point for every thread of
 * the process.
 */
public interface Policy {

  /**
   * Runs {@code callable} under this policy on the caller's thread.
   *
   * @param callable the call to the integration point
   * @param <T> the result type
   * @param <X> the checked exception the call throws
   * @return the call's result, or a substitute where the policy provides one
   * @throws X what the call threw, unchanged
   * @throws RejectedException when the policy refused to make the call
   */
  <T extends @Nullable Object, X extends Throwable> T call(CheckedCallable<T, X> callable) throws X;

  /**
   * Runs {@code supplier} under this policy.
   *
   * @param supplier the call
   * @param <T> the result type
   * @return the result
   */
  default <T extends @Nullable Object> T get(Supplier<T> supplier) {
    return call(supplier::get);
  }

  /**
   * Runs {@code runnable} under this policy.
   *
   * @param runnable the call
   */
  default void run(Runnable runnable) {
    this.<@Nullable Object, RuntimeException>call(
        () -> {
          runnable.run();
          return null;
        });
  }

  /**
   * Wraps {@code supplier} so that every {@code get()} runs under this policy.
   *
   * @param supplier the call to guard
   * @param <T> the result type
   * @return a supplier that applies this policy on each call
   */
  default <T extends @Nullable Object> Supplier<T> decorate(Supplier<T> supplier) {
    CheckedCallable<T, RuntimeException> callable = supplier::get; // built once, not per call
    return () -> call(callable);
  }

  /**
   * Runs an asynchronous call under this policy. A refusal completes the returned stage
   * exceptionally with a {@link RejectedException}; nothing is thrown. Cancelling the returned
   * stage's future releases whatever the policy holds for the call and cancels the call's future.
   *
   * @param supplier starts the call and returns its stage
   * @param <T> the result type
   * @return a stage that completes with the call's outcome, as the policy shapes it
   */
  <T extends @Nullable Object> CompletionStage<T> callAsync(
      Supplier<? extends CompletionStage<T>> supplier);
}
