package dev.ballast;

import static dev.ballast.internal.Preconditions.notNull;

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
 * <p>A null call ({@code call(null)}, {@code decorate(null)}, ...) throws a {@link
 * NullPointerException} naming the parameter before the policy does anything: it is the caller's
 * mistake, never counted, retried or substituted as a failure of the dependency.
 *
 * <p><b>On a hot path, decorate once.</b> {@link #decorate} builds everything the call needs once
 * (a {@link Pipeline} composes its whole chain then), so the returned supplier's {@code get()}
 * allocates nothing beyond what the policies themselves need per call (a timeout's timer, say);
 * keep it in a field and call it. {@link #call}, {@link #get} and {@link #run} take a function per
 * call: a lambda that captures anything is an object the caller allocates on every call (unless the
 * JIT happens to remove it), and a pipeline's {@code call} adds one per wrapper (retry, timeout,
 * fallback) it holds.
 *
 * <p><b>Implementing a policy.</b> Implement {@link #call} and {@link #callAsync}; {@link #get},
 * {@link #run} and {@link #decorate} have defaults that adapt their argument to a {@link
 * CheckedCallable}: {@code decorate} once, {@code get} and {@code run} on every call. A policy
 * whose {@code get} and {@code run} must allocate nothing (all of Ballast's) writes its synchronous
 * path once, as one private method taking the function and a non-capturing adapter that invokes it
 * ({@code CheckedCallable::call}, {@code Supplier::get}, one that runs a {@code Runnable} and
 * returns null: the JVM makes each of these one object for the whole process), and lets {@code
 * call}, {@code get} and {@code run} each check their argument and pass it with its adapter: one
 * body, not one per shape of call, and no function passed as an {@code Object} with a flag saying
 * what it is. It keeps the default {@code decorate}.
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
   * @throws NullPointerException when {@code callable} is null ("callable must not be null")
   */
  <T extends @Nullable Object, X extends Throwable> T call(CheckedCallable<T, X> callable) throws X;

  /**
   * Runs {@code supplier} under this policy.
   *
   * @param supplier the call
   * @param <T> the result type
   * @return the result
   * @throws NullPointerException when {@code supplier} is null ("supplier must not be null")
   */
  default <T extends @Nullable Object> T get(Supplier<T> supplier) {
    notNull("supplier", supplier);
    return call(supplier::get);
  }

  /**
   * Runs {@code runnable} under this policy.
   *
   * @param runnable the call
   * @throws NullPointerException when {@code runnable} is null ("runnable must not be null")
   */
  default void run(Runnable runnable) {
    notNull("runnable", runnable);
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
   * @throws NullPointerException when {@code supplier} is null ("supplier must not be null"), at
   *     once rather than on the first {@code get()}
   */
  default <T extends @Nullable Object> Supplier<T> decorate(Supplier<T> supplier) {
    notNull("supplier", supplier);
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
   * @return a stage that completes with the call's outcome, as the policy shapes it; it always
   *     completes, whatever a user callback of the policy throws
   * @throws NullPointerException when {@code supplier} is null ("supplier must not be null"),
   *     thrown rather than returned as a failed stage, before the policy does anything
   */
  <T extends @Nullable Object> CompletionStage<T> callAsync(
      Supplier<? extends CompletionStage<T>> supplier);
}
