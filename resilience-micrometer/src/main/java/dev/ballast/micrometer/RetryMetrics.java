package dev.ballast.micrometer;

import static dev.ballast.micrometer.Preconditions.notNull;

import dev.ballast.retry.Retry;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * Publishes a {@link Retry}'s calls by outcome, its retries and the calls its budget refused as
 * Micrometer meters, under Ballast's names ({@code ballast.retry.*}, the default) or under
 * Resilience4j's ({@code resilience4j.retry.calls}, see {@link Builder#resilience4jNames()}). Every
 * meter, with its type, unit and tags, is listed in {@code docs/metrics.md}.
 *
 * <pre>{@code
 * RetryMetrics metrics = RetryMetrics.of(retry);
 * metrics.bindTo(registry);
 * ...
 * metrics.close(); // removes the meters
 * }</pre>
 *
 * <p>Every meter is a function counter that reads {@link Retry#stats()} when the registry is
 * scraped, counts since the retry was created, and holds the retry weakly; the binder adds no
 * listener, so binding it costs the retry nothing per call. An ended call is counted once: in
 * {@code ballast.retry.calls} by {@code outcome}, or, when the budget refused its retry, in {@code
 * ballast.retry.budget.exhausted}. Calls whose first attempt succeeded are counted only when the
 * retry counts calls ({@link dev.ballast.retry.RetryConfig.Builder#countCalls} or a budget); the
 * {@code success_without_retry} counter is registered only then.
 *
 * <p>One binder may be bound to several registries; binding it twice to the same registry does
 * nothing the second time.
 *
 * <p>Extra tags may not use the keys the binder sets itself: {@code name}, {@code outcome}, {@code
 * kind}.
 *
 * <p>Thread-safe. {@link #bindTo} and {@link #close()} may be called from any thread (they take a
 * lock; they are not meant for hot paths).
 */
public final class RetryMetrics extends Binder {
  private static final List<String> RESERVED_KEYS = List.of("name", "outcome", "kind");

  private final Retry retry;
  private final boolean resilience4jNames;
  private final Tags tags;

  private RetryMetrics(Builder builder) {
    this.retry = builder.retry;
    this.resilience4jNames = builder.resilience4jNames;
    this.tags = builder.tagsWithName(builder.retry.name());
  }

  /**
   * A binder for the retry under Ballast's meter names, with no tags besides {@code name}.
   *
   * @param retry the retry to publish
   * @return a new, unbound binder
   */
  public static RetryMetrics of(Retry retry) {
    return builder(retry).build();
  }

  /**
   * Starts a binder with extra tags or Resilience4j's meter names.
   *
   * @param retry the retry to publish
   * @return a new builder
   */
  public static Builder builder(Retry retry) {
    return new Builder(notNull("retry", retry));
  }

  @Override
  MeterSet newSet(MeterList meters) {
    return resilience4jNames
        ? new RetryResilience4jMeters(retry, meters, tags)
        : new RetryBallastMeters(retry, meters, tags);
  }

  @Override
  public String toString() {
    return "RetryMetrics[" + retry.name() + (resilience4jNames ? ", resilience4jNames" : "") + "]";
  }

  /**
   * Settings of a {@link RetryMetrics}: extra tags and the naming style. The keys the binder sets
   * itself ({@code name}, {@code outcome}, {@code kind}) are refused as extra tags. Not
   * thread-safe; confine a builder to one thread.
   */
  public static final class Builder extends StyledBuilder<Builder> {
    private final Retry retry;

    private Builder(Retry retry) {
      super("RetryMetrics", RESERVED_KEYS);
      this.retry = retry;
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the binder; it registers nothing until {@link RetryMetrics#bindTo}.
     *
     * @return a new, unbound binder
     */
    @Override
    public RetryMetrics build() {
      return new RetryMetrics(this);
    }
  }
}
