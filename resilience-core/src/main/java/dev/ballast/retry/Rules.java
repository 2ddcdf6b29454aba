package dev.ballast.retry;

import dev.ballast.OutcomeClassifier;
import dev.ballast.RejectedException;
import dev.ballast.internal.Predicates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The rules a {@link RetryConfig} derives from its settings: which exceptions are retried, which
 * abort the retry, which results are retried; and the check, at build time, that the settings can
 * retry at all. Static helpers, not API.
 */
final class Rules {
  private static final OutcomeClassifier.Outcome FAILURE = OutcomeClassifier.Outcome.FAILURE;

  private Rules() {}

  /** The default retry rule: every Exception but a rejection (interrupts are never asked). */
  static final Predicate<Throwable> DEFAULT_RETRY_ON = Rules::retriedByDefault;

  /** The default abort rule: nothing aborts. */
  static final Predicate<Throwable> NEVER = Rules::abortedByDefault;

  private static boolean retriedByDefault(Throwable t) {
    return t instanceof Exception && !(t instanceof RejectedException);
  }

  private static boolean abortedByDefault(Throwable t) {
    return false;
  }

  /**
   * The retry rule: the default when no type or predicate is given; otherwise any type or predicate
   * matches, except that an {@link Error} matches only a named type that is {@code Error} or a
   * subclass of it (predicates are never asked about one).
   */
  static Predicate<Throwable> retryOn(
      List<Class<? extends Throwable>> types, List<Predicate<? super Throwable>> predicates) {
    if (types.isEmpty() && predicates.isEmpty()) {
      return DEFAULT_RETRY_ON;
    }
    List<Class<? extends Throwable>> errorTypes = new ArrayList<>();
    for (Class<? extends Throwable> type : types) {
      if (Error.class.isAssignableFrom(type)) {
        errorTypes.add(type);
      }
    }
    List<Class<? extends Throwable>> errors = List.copyOf(errorTypes);
    Predicate<Throwable> any = Predicates.anyOf(predicates);
    return t -> {
      if (t instanceof Error) {
        return Predicates.isAny(errors, t);
      }
      return Predicates.isAny(types, t) || (any != null && any.test(t));
    };
  }

  /** The retry rule of a classifier: its failures, never an {@link Error}. */
  static Predicate<Throwable> retryOn(OutcomeClassifier classifier) {
    return t -> !(t instanceof Error) && classifier.classifyError(t) == FAILURE;
  }

  /** The result rule of a classifier that inspects results: its failures. */
  static Predicate<@Nullable Object> onResult(OutcomeClassifier classifier) {
    return r -> classifier.classifyResult(r) == FAILURE;
  }

  /** The abort rule: any type or predicate matches; {@link #NEVER} when none is given. */
  static Predicate<Throwable> abortOn(
      List<Class<? extends Throwable>> types, List<Predicate<? super Throwable>> predicates) {
    if (types.isEmpty() && predicates.isEmpty()) {
      return NEVER;
    }
    Predicate<Throwable> any = Predicates.anyOf(predicates);
    return t -> Predicates.isAny(types, t) || (any != null && any.test(t));
  }

  /** The result rule: any predicate matches; null when none is given, the one when one is. */
  static @Nullable Predicate<@Nullable Object> onResult(
      List<Predicate<@Nullable Object>> predicates) {
    return Predicates.anyOf(predicates);
  }

  /**
   * Refuses settings that together could never retry: a retried type that an abort type covers (the
   * abort rule is asked first), and a time bound shorter than the backoff's shortest first delay
   * (no wait could end within it) unless a delay function may ask for a shorter one.
   *
   * @throws IllegalArgumentException naming both settings and their values
   */
  static void checkCanRetry(
      List<Class<? extends Throwable>> retryTypes,
      List<Class<? extends Throwable>> abortTypes,
      @Nullable Duration maxDuration,
      Backoff backoff,
      boolean delayFunction) {
    for (Class<? extends Throwable> retried : retryTypes) {
      for (Class<? extends Throwable> aborted : abortTypes) {
        if (aborted.isAssignableFrom(retried)) {
          throw new IllegalArgumentException(
              "retryOn("
                  + retried.getName()
                  + ") can never retry: abortOn("
                  + aborted.getName()
                  + ") ends the retry on it first");
        }
      }
    }
    if (maxDuration != null && !delayFunction) {
      Duration shortest = Duration.ofNanos(backoff.shortestFirstDelayNanos());
      if (shortest.compareTo(maxDuration) > 0) {
        throw new IllegalArgumentException(
            "backoff "
                + backoff
                + " waits at least "
                + shortest
                + " before the first retry, longer than maxDuration "
                + maxDuration
                + ": no retry could ever start");
      }
    }
  }
}
