package dev.ballast.timeout;

import org.jspecify.annotations.Nullable;

/**
 * Calls a sync call's function: {@code CheckedCallable::call}, {@code Supplier::get}, or a static
 * method that runs a {@code Runnable}. A method reference that captures nothing is one shared
 * instance, so {@link Timeout#get} and {@link Timeout#run} pass their function through without an
 * adapter allocated per call. Stateless and thread-safe.
 *
 * @param <F> the function's type
 * @param <T> what it returns
 * @param <X> the checked exception it throws
 */
@FunctionalInterface
interface Invoker<F, T extends @Nullable Object, X extends Throwable> {

  /**
   * Calls {@code fn} once.
   *
   * @param fn the function
   * @return what it returned
   * @throws X what it threw
   */
  T invoke(F fn) throws X;
}
