package dev.ballast;

import dev.ballast.internal.Predicates;
import dev.ballast.timeout.TimeoutExceededException;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether the outcome of a call counts as a success, a failure of the dependency, or is
 * ignored: what a failure of one dependency is, said once for a whole pipeline. The circuit breaker
 * counts its {@code FAILURE}s, a retry given it ({@code RetryConfig.Builder.classifier}) retries
 * them, a fallback given it ({@code FallbackConfig.Builder.classifier}) substitutes for them.
 *
 * <p>By default every {@link Throwable} the call throws, {@link Error}s included, is a failure, and
 * every returned value a success. {@link Builder#failureOn} narrows which exceptions are failures
 * (the others count as successes: the dependency answered), {@link Builder#ignore} sets exceptions
 * aside (not counted, the permit returned), and {@link Builder#failureOnResult} adds failures among
 * returned values without changing how exceptions are classified. A {@link RejectedException} from
 * an inner policy is always ignored: it is never a failure of the dependency.
 *
 * <p>A Ballast {@link TimeoutExceededException} is a failure of the dependency for every classifier
 * unless an {@link Builder#ignore} rule matches it: listing failure types with {@link
 * Builder#failureOn} never turns a Ballast timeout into a success.
 *
 * <p>A predicate that throws propagates out of {@link #classifyError} and {@link #classifyResult};
 * each component that uses a classifier applies Ballast's one rule for a callback that throws: a
 * {@link VirtualMachineError} reaches the caller once the component has recorded the call; anything
 * else is logged under the component's name (rate-limited) and the component takes its safe
 * default: the breaker counts an exception as a failure and a result as a success, a retry does not
 * retry, a fallback does not substitute. The caller's outcome is never changed otherwise. Instances
 * are immutable and thread-safe.
 */
public final class OutcomeClassifier {
  private static final OutcomeClassifier DEFAULTS = new Builder().build();

  /** How one call ended, as far as a pattern's counting is concerned. */
  public enum Outcome {
    /** The dependency did its job. */
    SUCCESS,
    /** The dependency failed; counts toward tripping. */
    FAILURE,
    /** Not counted at all. */
    IGNORED
  }

  private final @Nullable Predicate<? super Throwable> failurePredicate;
  private final @Nullable Predicate<? super Throwable> ignorePredicate;
  private final @Nullable Predicate<@Nullable Object> resultPredicate;

  private OutcomeClassifier(Builder b) {
    this.failurePredicate = b.failurePredicate;
    this.ignorePredicate = b.ignorePredicate;
    this.resultPredicate = b.resultPredicate;
  }

  /**
   * The default classification: every exception a failure, every result a success.
   *
   * @return the shared default classifier
   */
  public static OutcomeClassifier defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a classifier.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether this classifier inspects returned values; when it does not, a returned value is always
   * a success.
   *
   * @return {@code true} when a result predicate is set
   */
  public boolean inspectsResults() {
    return resultPredicate != null;
  }

  /**
   * Classifies what a call threw. A {@link RejectedException} is always {@code IGNORED}; a Ballast
   * {@link TimeoutExceededException} is always a {@code FAILURE} unless an {@link Builder#ignore}
   * rule matches it, whatever {@link Builder#failureOn} lists (a dependency that does not answer in
   * time has failed).
   *
   * <p>A predicate that throws is not caught here: what it threw propagates, so that the component
   * calling this can log it under its own name and take the default (an exception is a failure).
   *
   * @param error what the call threw
   * @return the outcome
   */
  public Outcome classifyError(Throwable error) {
    if (error instanceof RejectedException) {
      return Outcome.IGNORED;
    }
    Predicate<? super Throwable> ignore = ignorePredicate;
    if (ignore != null && ignore.test(error)) {
      return Outcome.IGNORED;
    }
    Predicate<? super Throwable> failure = failurePredicate;
    if (failure == null || error instanceof TimeoutExceededException) {
      return Outcome.FAILURE;
    }
    return failure.test(error) ? Outcome.FAILURE : Outcome.SUCCESS;
  }

  /**
   * Classifies what a call returned. A predicate that throws is not caught here: what it threw
   * propagates, so that the calling component can log it and take the default (a success).
   *
   * @param result what the call returned
   * @return the outcome
   */
  public Outcome classifyResult(@Nullable Object result) {
    Predicate<@Nullable Object> predicate = resultPredicate;
    if (predicate == null) {
      return Outcome.SUCCESS;
    }
    return predicate.test(result) ? Outcome.FAILURE : Outcome.SUCCESS;
  }

  /** Builds an {@link OutcomeClassifier}. Not thread-safe; the result is immutable. */
  public static final class Builder {
    private @Nullable Predicate<? super Throwable> failurePredicate;
    private @Nullable Predicate<? super Throwable> ignorePredicate;
    private @Nullable Predicate<@Nullable Object> resultPredicate;

    private Builder() {}

    /**
     * Counts as failures only the exceptions of these types (or subtypes); any other exception
     * counts as a success. Adds to earlier {@code failureOn} calls.
     *
     * @param types exception types that are failures
     * @return this builder
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never exposed
    public final Builder failureOn(Class<? extends Throwable>... types) {
      return failureWhen(Predicates.instanceOfAny(Predicates.types("types", types)));
    }

    /**
     * Counts as failures only the exceptions matching {@code predicate}; adds to earlier calls.
     *
     * @param predicate true for a failure
     * @return this builder
     */
    public Builder failureWhen(Predicate<? super Throwable> predicate) {
      failurePredicate =
          Predicates.or(failurePredicate, Objects.requireNonNull(predicate, "predicate"));
      return this;
    }

    /**
     * Ignores exceptions of these types: not counted, the permit returned. Checked before {@link
     * #failureOn}.
     *
     * @param types exception types to ignore
     * @return this builder
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never exposed
    public final Builder ignore(Class<? extends Throwable>... types) {
      return ignoreWhen(Predicates.instanceOfAny(Predicates.types("types", types)));
    }

    /**
     * Ignores exceptions matching {@code predicate}; adds to earlier calls.
     *
     * @param predicate true to ignore
     * @return this builder
     */
    public Builder ignoreWhen(Predicate<? super Throwable> predicate) {
      ignorePredicate =
          Predicates.or(ignorePredicate, Objects.requireNonNull(predicate, "predicate"));
      return this;
    }

    /**
     * Counts a returned value as a failure when {@code predicate} holds (an error page, an empty
     * answer); adds to earlier calls.
     *
     * @param predicate true for a failed result
     * @return this builder
     */
    public Builder failureOnResult(Predicate<@Nullable Object> predicate) {
      resultPredicate =
          Predicates.or(resultPredicate, Objects.requireNonNull(predicate, "predicate"));
      return this;
    }

    /**
     * Builds the classifier.
     *
     * @return an immutable classifier
     */
    public OutcomeClassifier build() {
      return new OutcomeClassifier(this);
    }
  }
}
