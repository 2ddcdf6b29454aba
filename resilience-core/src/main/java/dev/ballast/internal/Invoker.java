package dev.ballast.internal;

import org.jspecify.annotations.Nullable;

/**
 * The adapter half of the (adapter, function) pair through which a policy writes its synchronous
 * call path once for every shape of call: {@code CheckedCallable::call}, {@code Supplier::get} and
 * {@link #RUNNABLE} capture nothing, so the JVM makes each one object once, and {@code call},
 * {@code get} and {@code run} each pass theirs with the user's function to one private method
 * without allocating an adapter per call. This is the rule {@code dev.ballast.Policy}'s
 * documentation states for implementations.
 *
 * <pre>{@code
 * public <T> T get(Supplier<T> supplier) {
 *   return guarded(Supplier::get, notNull("supplier", supplier));
 * }
 *
 * private <F, T, X extends Throwable> T guarded(Invoker<F, T, X> how, F fn) throws X {
 *   ... how.invoke(fn) ...
 * }
 * }</pre>
 *
 * <p>Implementations must capture nothing. Thread-safe: they hold no state.
 *
 * @param <F> the function's type
 * @param <T> its result type
 * @param <X> the checked exception it throws ({@link RuntimeException} when none)
 */
@FunctionalInterface
public interface Invoker<F, T extends @Nullable Object, X extends Throwable> {

  /**
   * Calls {@code fn}.
   *
   * @param fn the function
   * @return what it returned ({@code null} for a runnable)
   * @throws X what it threw
   */
  T invoke(F fn) throws X;

  /** The adapter for a {@link Runnable}: runs it and returns {@code null}. */
  Invoker<Runnable, @Nullable Object, RuntimeException> RUNNABLE =
      r -> {
        r.run();
        return null;
      };
}
