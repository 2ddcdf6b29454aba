package dev.ballast;

import org.jspecify.annotations.Nullable;

/**
 * A call to an integration point that returns a value and may throw the checked exception {@code
 * X}, which every policy rethrows unchanged.
 *
 * <p>Implementations are supplied by the user; Ballast calls them on the caller's thread.
 *
 * @param <T> the result type
 * @param <X> the checked exception the call throws ({@link RuntimeException} when none)
 */
@FunctionalInterface
public interface CheckedCallable<T extends @Nullable Object, X extends Throwable> {
  /**
   * Makes the call.
   *
   * @return the result
   * @throws X what the call throws
   */
  T call() throws X;
}
