package dev.ballast.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The one way a pattern turns exception types into a predicate, combines predicates, and asks a
 * user's predicate: {@link #test} applies the one rule for a callback that throws ({@link
 * ThrottledLog#callbackThrew}). Static helpers; not API.
 *
 * <p>Thread-safe: every predicate made here is immutable.
 */
public final class Predicates {
  private Predicates() {}

  /**
   * Checks a list of exception types given to a builder and copies it.
   *
   * @param name the parameter's name, for messages ({@code types}, {@code types[2]})
   * @param types the types
   * @return an immutable copy
   * @throws NullPointerException when {@code types} or one of them is null, naming it
   * @throws IllegalArgumentException when {@code types} is empty
   */
  public static List<Class<? extends Throwable>> types(
      String name, Class<? extends Throwable>[] types) {
    Preconditions.notNull(name, types);
    if (types.length == 0) {
      throw new IllegalArgumentException(name + " must name at least one type, was empty");
    }
    List<Class<? extends Throwable>> list = new ArrayList<>(types.length);
    for (int i = 0; i < types.length; i++) {
      list.add(Preconditions.notNull(name + "[" + i + "]", types[i]));
    }
    return List.copyOf(list);
  }

  /**
   * Whether {@code t} is an instance of any of {@code types}; one loop, no allocation.
   *
   * @param types the types
   * @param t the exception
   * @return {@code true} when one of the types is {@code t}'s class or a superclass of it
   */
  public static boolean isAny(List<Class<? extends Throwable>> types, Throwable t) {
    for (int i = 0, n = types.size(); i < n; i++) {
      if (types.get(i).isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A predicate true for an instance of any of {@code types}.
   *
   * @param types an immutable list, such as {@link #types} returns
   * @return the predicate
   */
  public static Predicate<Throwable> instanceOfAny(List<Class<? extends Throwable>> types) {
    return t -> isAny(types, t);
  }

  /**
   * Either predicate: {@code next} alone when there is no {@code prior}.
   *
   * @param prior the predicate so far, or {@code null}
   * @param next the predicate to add
   * @param <T> what the predicates test
   * @return {@code prior || next}, asking {@code prior} first
   */
  @SuppressWarnings("unchecked") // a Predicate<? super T> is a Predicate<T>: it only consumes
  public static <T extends @Nullable Object> Predicate<T> or(
      @Nullable Predicate<? super T> prior, Predicate<? super T> next) {
    return prior == null ? (Predicate<T>) next : t -> prior.test(t) || next.test(t);
  }

  /**
   * Any of {@code predicates}, in order; {@code null} when there are none, the one itself when
   * there is one.
   *
   * @param predicates the predicates, an immutable list
   * @param <T> what the predicates test
   * @return the combined predicate, or {@code null}
   */
  @SuppressWarnings("unchecked") // a Predicate<? super T> is a Predicate<T>: it only consumes
  public static <T extends @Nullable Object> @Nullable Predicate<T> anyOf(
      List<? extends Predicate<? super T>> predicates) {
    if (predicates.size() <= 1) {
      return predicates.isEmpty() ? null : (Predicate<T>) predicates.get(0);
    }
    return t -> {
      for (int i = 0, n = predicates.size(); i < n; i++) {
        if (predicates.get(i).test(t)) {
          return true;
        }
      }
      return false;
    };
  }

  /**
   * Asks a user's predicate about an exception, under the one rule for a callback that throws: a
   * {@link VirtualMachineError} propagates (the caller keeps its state consistent around this
   * call); anything else is logged through {@code log}, rate-limited, as {@code "<what> threw on
   * <exception class>; <instead>"}, and {@code onThrow} is returned. The message is built only when
   * the predicate throws.
   *
   * @param predicate the user's predicate
   * @param error the exception it is asked about
   * @param onThrow the answer when the predicate throws
   * @param log the component's line for this predicate
   * @param what names the predicate, such as {@code "retryOn predicate"}
   * @param instead what happens when it throws, such as {@code "not retrying"}
   * @param <E> the exception type
   * @return the predicate's answer, or {@code onThrow}
   * @throws VirtualMachineError what the predicate threw, when it is one
   */
  public static <E extends Throwable> boolean testError(
      Predicate<? super E> predicate,
      E error,
      boolean onThrow,
      ThrottledLog log,
      String what,
      String instead) {
    try {
      return predicate.test(error);
    } catch (Throwable e) {
      log.callbackThrew(e, what + " threw on " + error.getClass().getName() + "; " + instead);
      return onThrow;
    }
  }

  /**
   * Asks a user's predicate about a value, under the same rule as {@link #testError}; what it
   * throws (but a {@link VirtualMachineError}) is logged as {@code message}.
   *
   * @param predicate the user's predicate
   * @param value the value it is asked about
   * @param onThrow the answer when the predicate throws
   * @param log the component's line for this predicate
   * @param message the line, such as {@code "result predicate threw; no fallback"}
   * @param <T> the value's type
   * @return the predicate's answer, or {@code onThrow}
   * @throws VirtualMachineError what the predicate threw, when it is one
   */
  public static <T extends @Nullable Object> boolean test(
      Predicate<? super T> predicate, T value, boolean onThrow, ThrottledLog log, String message) {
    try {
      return predicate.test(value);
    } catch (Throwable e) {
      log.callbackThrew(e, message);
      return onThrow;
    }
  }
}
