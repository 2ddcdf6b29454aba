package dev.ballast.fallback;

import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.OutcomeClassifier;
import dev.ballast.RejectedException;
import dev.ballast.Scheduler;
import dev.ballast.internal.Predicates;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link Fallback}: for each of its three triggers (exception, rejection,
 * result), which outcomes it matches and the function that serves the substitute; and the scheduler
 * whose ticker times its WARN lines. The functions are part of the config, as in Failsafe's {@code
 * Fallback.builder(fn)}: a fallback is its substitute, and a config states the whole of it. One
 * config may serve many fallbacks of the same type.
 *
 * <pre>{@code
 * FallbackConfig<Price> config = FallbackConfig.<Price>builder()
 *     .rejectionFallback(e -> cache.get(sku))
 *     .onException(IOException.class)
 *     .exceptionFallback(e -> Price.unknown(sku))
 *     .build();
 * Fallback<Price> fallback = Fallback.of("pricing", config);
 * }</pre>
 *
 * <p>There is no {@code defaults()}: a fallback without a function would substitute nothing, so
 * {@link Builder#build()} requires at least one.
 *
 * <p><b>Classifier.</b> {@link Builder#classifier} lets the exception and result triggers follow an
 * {@link OutcomeClassifier} shared with the rest of a pipeline: the exception trigger matches what
 * the classifier calls a {@code FAILURE} (never an {@link Error}, which it is not asked about, nor
 * a {@link RejectedException}, which only the rejection trigger sees); when the classifier inspects
 * results, the result trigger matches the results it calls a {@code FAILURE}. A classifier and
 * {@link Builder#onException}/{@link Builder#onExceptionWhen} both choose the exceptions that
 * trigger the fallback, so setting both is refused; so is {@link Builder#onResult} with a
 * classifier that inspects results. The rejection trigger is unchanged by a classifier.
 *
 * <p>Immutable and thread-safe. {@link #equals} compares every setting, predicates and functions by
 * identity, so {@code config.toBuilder().build()} equals {@code config}.
 *
 * @param <R> the type of the substitute answer
 */
public final class FallbackConfig<R extends @Nullable Object> {

  private final @Nullable Predicate<? super Throwable> exceptionWhen;
  private final @Nullable Function<? super Throwable, ? extends R> exceptionFallback;
  private final @Nullable Predicate<? super RejectedException> rejectionWhen;
  private final @Nullable Function<? super RejectedException, ? extends R> rejectionFallback;
  private final @Nullable Predicate<? super R> resultWhen;
  private final @Nullable Function<? super R, ? extends R> resultFallback;
  private final @Nullable OutcomeClassifier classifier;
  private final @Nullable Scheduler scheduler;

  private FallbackConfig(Builder<R> b) {
    this.exceptionWhen = b.exceptionWhen;
    this.exceptionFallback = b.exceptionFallback;
    this.rejectionWhen = b.rejectionWhen;
    this.rejectionFallback = b.rejectionFallback;
    this.resultWhen = b.resultWhen;
    this.resultFallback = b.resultFallback;
    this.classifier = b.classifier;
    this.scheduler = b.scheduler;
  }

  /**
   * Starts a config. Give the type of the substitute explicitly: {@code
   * FallbackConfig.<Price>builder()}.
   *
   * @param <R> the type of the substitute answer
   * @return a new builder
   */
  public static <R extends @Nullable Object> Builder<R> builder() {
    return new Builder<>();
  }

  /**
   * Starts a builder holding this config's settings; trigger setters add to the copied triggers as
   * on any builder, function setters replace the copied functions.
   *
   * @return a new builder
   */
  public Builder<R> toBuilder() {
    Builder<R> b = new Builder<>();
    b.exceptionWhen = exceptionWhen;
    b.exceptionFallback = exceptionFallback;
    b.rejectionWhen = rejectionWhen;
    b.rejectionFallback = rejectionFallback;
    b.resultWhen = resultWhen;
    b.resultFallback = resultFallback;
    b.classifier = classifier;
    b.scheduler = scheduler;
    return b;
  }

  /**
   * @return the classifier the exception and result triggers follow, or {@code null}
   */
  public @Nullable OutcomeClassifier classifier() {
    return classifier;
  }

  /**
   * @return the scheduler whose ticker times the WARN lines, or {@code null} for the system ticker
   */
  public @Nullable Scheduler scheduler() {
    return scheduler;
  }

  /** The exception trigger: set, from the classifier, or null for the default (any Exception). */
  @Nullable Predicate<? super Throwable> exceptionWhen() {
    OutcomeClassifier c = classifier;
    return c == null ? exceptionWhen : t -> !(t instanceof Error) && failure(c.classifyError(t));
  }

  @Nullable Function<? super Throwable, ? extends R> exceptionFallback() {
    return exceptionFallback;
  }

  @Nullable Predicate<? super RejectedException> rejectionWhen() {
    return rejectionWhen;
  }

  @Nullable Function<? super RejectedException, ? extends R> rejectionFallback() {
    return rejectionFallback;
  }

  /** The result trigger: set, from a classifier that inspects results, or null for none. */
  @Nullable Predicate<? super R> resultWhen() {
    OutcomeClassifier c = classifier;
    if (c != null && c.inspectsResults()) {
      return r -> failure(c.classifyResult(r));
    }
    return resultWhen;
  }

  @Nullable Function<? super R, ? extends R> resultFallback() {
    return resultFallback;
  }

  private static boolean failure(OutcomeClassifier.Outcome o) {
    return o == OutcomeClassifier.Outcome.FAILURE;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FallbackConfig<?> c)) {
      return false;
    }
    return exceptionWhen == c.exceptionWhen
        && exceptionFallback == c.exceptionFallback
        && rejectionWhen == c.rejectionWhen
        && rejectionFallback == c.rejectionFallback
        && resultWhen == c.resultWhen
        && resultFallback == c.resultFallback
        && classifier == c.classifier
        && scheduler == c.scheduler;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        System.identityHashCode(exceptionWhen),
        System.identityHashCode(exceptionFallback),
        System.identityHashCode(rejectionWhen),
        System.identityHashCode(rejectionFallback),
        System.identityHashCode(resultWhen),
        System.identityHashCode(resultFallback),
        System.identityHashCode(classifier),
        System.identityHashCode(scheduler));
  }

  /**
   * Builds a {@link FallbackConfig}: for each trigger, which outcomes it matches and the function
   * that serves the substitute. Set at least one fallback function. Trigger setters add to earlier
   * calls of the same trigger; a function setter, {@link #classifier} and {@link #scheduler}
   * replace an earlier value. Two settings that would both choose the same trigger's matches (a
   * classifier and {@code onException}) are refused with an {@link IllegalStateException} naming
   * both. Not thread-safe; the config it builds is immutable.
   *
   * @param <R> the type of the substitute answer
   */
  public static final class Builder<R extends @Nullable Object> {
    private @Nullable Predicate<? super Throwable> exceptionWhen;
    private @Nullable Function<? super Throwable, ? extends R> exceptionFallback;
    private @Nullable Predicate<? super RejectedException> rejectionWhen;
    private @Nullable Function<? super RejectedException, ? extends R> rejectionFallback;
    private @Nullable Predicate<? super R> resultWhen;
    private @Nullable Function<? super R, ? extends R> resultFallback;
    private @Nullable OutcomeClassifier classifier;
    private @Nullable Scheduler scheduler;

    private Builder() {}

    /**
     * The time source, the one every Ballast pattern takes: a fallback schedules nothing and reads
     * only the scheduler's ticker, which times the rate limit of its WARN lines (a throwing
     * predicate or listener). Give the scheduler the rest of the pipeline runs on; in tests, a
     * manual one.
     *
     * @param scheduler default: the system ticker
     * @return this builder
     */
    public Builder<R> scheduler(Scheduler scheduler) {
      this.scheduler = notNull("scheduler", scheduler);
      return this;
    }

    /**
     * Lets the exception trigger, and the result trigger when {@code classifier} inspects results,
     * match what {@code classifier} calls a {@code FAILURE}: the classification a pipeline's
     * breaker and retry may share. It is not asked about an {@link Error} or a {@link
     * RejectedException}. A predicate of the classifier that throws is logged and counts as no
     * match, as every trigger predicate does. Replaces an earlier classifier.
     *
     * @param classifier the classification
     * @return this builder
     * @throws IllegalStateException when {@code onException} or {@code onExceptionWhen} was set, or
     *     {@code onResult} was and {@code classifier} inspects results
     */
    public Builder<R> classifier(OutcomeClassifier classifier) {
      notNull("classifier", classifier);
      if (exceptionWhen != null) {
        throw new IllegalStateException(
            "classifier conflicts with onException, already set: both choose the exceptions that"
                + " trigger the exception fallback");
      }
      if (resultWhen != null && classifier.inspectsResults()) {
        throw new IllegalStateException(
            "classifier conflicts with onResult, already set: both choose the results that"
                + " trigger the result fallback");
      }
      this.classifier = classifier;
      return this;
    }

    /**
     * Triggers the exception fallback on exceptions of these types (or subtypes). Adds to earlier
     * {@code onException} and {@code onExceptionWhen} calls; without any (and without a {@link
     * #classifier}), the exception fallback handles every {@link Exception} (not {@link Error}s).
     *
     * @param types exception types to substitute for; none may be a {@link RejectedException},
     *     which {@link #onRejected} handles
     * @return this builder
     * @throws IllegalArgumentException when {@code types} is empty or names a rejection type
     * @throws IllegalStateException when a {@link #classifier} is set
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never exposed
    public final Builder<R> onException(Class<? extends Throwable>... types) {
      List<Class<? extends Throwable>> list = Predicates.types("types", types);
      for (int i = 0; i < list.size(); i++) {
        if (RejectedException.class.isAssignableFrom(list.get(i))) {
          throw new IllegalArgumentException(
              "types["
                  + i
                  + "] must not be a RejectedException (rejections go to onRejected), was "
                  + list.get(i).getName());
        }
      }
      return addExceptionWhen("onException", Predicates.instanceOfAny(list));
    }

    /**
     * Triggers the exception fallback on exceptions matching {@code predicate}. Adds to earlier
     * calls. The predicate never sees a {@link RejectedException}: rejections go to {@link
     * #onRejected} alone.
     *
     * @param predicate true to substitute for the exception
     * @return this builder
     * @throws IllegalStateException when a {@link #classifier} is set
     */
    public Builder<R> onExceptionWhen(Predicate<? super Throwable> predicate) {
      return addExceptionWhen("onExceptionWhen", notNull("predicate", predicate));
    }

    private Builder<R> addExceptionWhen(String setter, Predicate<? super Throwable> next) {
      if (classifier != null) {
        throw new IllegalStateException(
            setter
                + " conflicts with classifier, already set: both choose the exceptions that"
                + " trigger the exception fallback");
      }
      exceptionWhen = Predicates.or(exceptionWhen, next);
      return this;
    }

    /**
     * Sets the function that serves the substitute when the exception trigger matches; it sees the
     * exception the call threw. It may throw only unchecked exceptions; what it throws reaches the
     * caller with the call's exception added as suppressed.
     *
     * @param fallback from the call's exception to the substitute
     * @return this builder
     */
    public Builder<R> exceptionFallback(Function<? super Throwable, ? extends R> fallback) {
      exceptionFallback = notNull("exceptionFallback", fallback);
      return this;
    }

    /**
     * Serves {@code value} when the exception trigger matches.
     *
     * @param value the substitute, which may be {@code null} when {@code R} allows it
     * @return this builder
     */
    public Builder<R> exceptionFallbackValue(R value) {
      exceptionFallback = e -> value;
      return this;
    }

    /**
     * Triggers the rejection fallback only on rejections with one of these reasons. Adds to earlier
     * {@code onRejected} and {@code onRejectedWhen} calls; without any, the rejection fallback
     * handles every {@link RejectedException}.
     *
     * @param reasons the reasons to substitute for; at least one
     * @return this builder
     */
    public Builder<R> onRejected(RejectedException.Reason... reasons) {
      notNull("reasons", reasons);
      if (reasons.length == 0) {
        throw new IllegalArgumentException("reasons must name at least one reason, was empty");
      }
      Set<RejectedException.Reason> set = EnumSet.noneOf(RejectedException.Reason.class);
      for (int i = 0; i < reasons.length; i++) {
        set.add(notNull("reasons[" + i + "]", reasons[i]));
      }
      return onRejectedWhen(r -> set.contains(r.reason()));
    }

    /**
     * Triggers the rejection fallback only on rejections matching {@code predicate}. Adds to
     * earlier calls.
     *
     * @param predicate true to substitute for the rejection
     * @return this builder
     */
    public Builder<R> onRejectedWhen(Predicate<? super RejectedException> predicate) {
      rejectionWhen = Predicates.or(rejectionWhen, notNull("predicate", predicate));
      return this;
    }

    /**
     * Sets the function that serves the substitute when a policy refused the call (a breaker open,
     * a bulkhead full); it sees the rejection, with its {@code reason()} and {@code retryAfter()}.
     * It may throw only unchecked exceptions; rethrowing the rejection lets it reach the caller
     * unchanged.
     *
     * @param fallback from the rejection to the substitute
     * @return this builder
     */
    public Builder<R> rejectionFallback(Function<? super RejectedException, ? extends R> fallback) {
      rejectionFallback = notNull("rejectionFallback", fallback);
      return this;
    }

    /**
     * Serves {@code value} when the rejection trigger matches.
     *
     * @param value the substitute, which may be {@code null} when {@code R} allows it
     * @return this builder
     */
    public Builder<R> rejectionFallbackValue(R value) {
      rejectionFallback = e -> value;
      return this;
    }

    /**
     * Triggers the result fallback on returned values matching {@code predicate} (an empty answer,
     * an error page). Adds to earlier calls. {@link #resultFallback} needs this, or a {@link
     * #classifier} that inspects results.
     *
     * @param predicate true to substitute for the value
     * @return this builder
     * @throws IllegalStateException when a classifier that inspects results is set
     */
    public Builder<R> onResult(Predicate<? super R> predicate) {
      notNull("predicate", predicate);
      OutcomeClassifier c = classifier;
      if (c != null && c.inspectsResults()) {
        throw new IllegalStateException(
            "onResult conflicts with classifier, already set: both choose the results that"
                + " trigger the result fallback");
      }
      resultWhen = Predicates.or(resultWhen, predicate);
      return this;
    }

    /**
     * Sets the function that serves the substitute when the result trigger matches; it sees the
     * value the call returned. It may throw only unchecked exceptions, which reach the caller.
     *
     * @param fallback from the call's result to the substitute
     * @return this builder
     */
    public Builder<R> resultFallback(Function<? super R, ? extends R> fallback) {
      resultFallback = notNull("resultFallback", fallback);
      return this;
    }

    /**
     * Serves {@code value} when the result trigger matches.
     *
     * @param value the substitute, which may be {@code null} when {@code R} allows it
     * @return this builder
     */
    public Builder<R> resultFallbackValue(R value) {
      resultFallback = r -> value;
      return this;
    }

    /**
     * Builds the config.
     *
     * @return an immutable config
     * @throws IllegalArgumentException when no fallback function is set, or a trigger is set
     *     without its function (or the result function without a result trigger)
     */
    public FallbackConfig<R> build() {
      if (exceptionFallback == null && rejectionFallback == null && resultFallback == null) {
        throw new IllegalArgumentException(
            "a fallback needs exceptionFallback, rejectionFallback or resultFallback; none was set");
      }
      requireBoth("onException", exceptionWhen != null, "exceptionFallback", exceptionFallback);
      requireBoth("onRejected", rejectionWhen != null, "rejectionFallback", rejectionFallback);
      requireBoth("onResult", resultWhen != null, "resultFallback", resultFallback);
      OutcomeClassifier c = classifier;
      if (resultFallback != null && resultWhen == null && (c == null || !c.inspectsResults())) {
        throw new IllegalArgumentException(
            "resultFallback is set but onResult is not (nor a classifier that inspects results)");
      }
      return new FallbackConfig<>(this);
    }

    private static void requireBoth(
        String trigger, boolean triggerSet, String function, @Nullable Object fn) {
      if (triggerSet && fn == null) {
        throw new IllegalArgumentException(trigger + " is set but " + function + " is not");
      }
    }
  }
}
