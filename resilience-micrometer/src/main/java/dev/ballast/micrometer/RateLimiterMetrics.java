package dev.ballast.micrometer;

import static dev.ballast.micrometer.Preconditions.notNull;

import dev.ballast.ratelimiter.RateLimiter;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * Publishes a {@link RateLimiter}'s admitted and refused calls, the permits granted, the calls that
 * waited and are waiting, the permits free now and its limit as Micrometer meters, under Ballast's
 * names ({@code ballast.ratelimiter.*}, the default) or under Resilience4j's ({@code
 * resilience4j.ratelimiter.*}, see {@link Builder#resilience4jNames()}). Every meter, with its
 * type, unit and tags, is listed in {@code docs/metrics.md}.
 *
 * <pre>{@code
 * RateLimiterMetrics metrics = RateLimiterMetrics.of(limiter);
 * metrics.bindTo(registry);
 * ...
 * metrics.close(); // removes the meters
 * }</pre>
 *
 * <p>Every meter reads {@link RateLimiter#stats()} when the registry is scraped and holds the
 * limiter weakly; the binder adds no listener, so binding it costs the limiter nothing per call.
 * {@code ballast.ratelimiter.calls} counts by {@code outcome} ({@code admitted}, {@code rejected})
 * since the limiter was created; {@code ballast.ratelimiter.available.permits}, {@code
 * ballast.ratelimiter.waiting} and {@code ballast.ratelimiter.limit} are gauges of the moment, the
 * last following every change of the limit at run time ({@link RateLimiter#changeLimit(int)}).
 *
 * <p>One binder may be bound to several registries; binding it twice to the same registry does
 * nothing the second time.
 *
 * <p>Extra tags may not use the keys the binder sets itself: {@code name}, {@code outcome}.
 *
 * <p>Thread-safe. {@link #bindTo} and {@link #close()} may be called from any thread (they take a
 * lock; they are not meant for hot paths).
 */
public final class RateLimiterMetrics extends Binder {
  private static final List<String> RESERVED_KEYS = List.of("name", "outcome");

  private final RateLimiter limiter;
  private final boolean resilience4jNames;
  private final Tags tags;

  private RateLimiterMetrics(Builder builder) {
    this.limiter = builder.limiter;
    this.resilience4jNames = builder.resilience4jNames;
    this.tags = builder.tagsWithName(builder.limiter.name());
  }

  /**
   * A binder for the rate limiter under Ballast's meter names, with no tags besides {@code name}.
   *
   * @param limiter the rate limiter to publish
   * @return a new, unbound binder
   */
  public static RateLimiterMetrics of(RateLimiter limiter) {
    return builder(limiter).build();
  }

  /**
   * Starts a binder with extra tags or Resilience4j's meter names.
   *
   * @param limiter the rate limiter to publish
   * @return a new builder
   */
  public static Builder builder(RateLimiter limiter) {
    return new Builder(notNull("limiter", limiter));
  }

  @Override
  MeterSet newSet(MeterList meters) {
    return resilience4jNames
        ? new RateLimiterResilience4jMeters(limiter, meters, tags)
        : new RateLimiterBallastMeters(limiter, meters, tags);
  }

  @Override
  public String toString() {
    return "RateLimiterMetrics["
        + limiter.name()
        + (resilience4jNames ? ", resilience4jNames" : "")
        + "]";
  }

  /**
   * Settings of a {@link RateLimiterMetrics}: extra tags and the naming style. The keys the binder
   * sets itself ({@code name}, {@code outcome}) are refused as extra tags. Not thread-safe; confine
   * a builder to one thread.
   */
  public static final class Builder extends StyledBuilder<Builder> {
    private final RateLimiter limiter;

    private Builder(RateLimiter limiter) {
      super("RateLimiterMetrics", RESERVED_KEYS);
      this.limiter = limiter;
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the binder; it registers nothing until {@link RateLimiterMetrics#bindTo}.
     *
     * @return a new, unbound binder
     */
    @Override
    public RateLimiterMetrics build() {
      return new RateLimiterMetrics(this);
    }
  }
}
