package dev.ballast.micrometer;

import static dev.ballast.micrometer.Preconditions.notNull;

import dev.ballast.Subscription;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerListener;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.micrometer.BreakerMeters.CallEvent;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Publishes a {@link CircuitBreaker}'s state, calls, rejections, transitions and rates as
 * Micrometer meters, under Ballast's names ({@code ballast.circuitbreaker.*}, the default) or under
 * Resilience4j's ({@code resilience4j.circuitbreaker.*}, see {@link Builder#resilience4jNames()}).
 * Every meter, with its type, unit and tags, is listed in {@code docs/metrics.md}.
 *
 * <pre>{@code
 * CircuitBreakerMetrics metrics = CircuitBreakerMetrics.of(breaker);
 * metrics.bindTo(registry);
 * ...
 * metrics.close(); // removes the meters and stops listening
 * }</pre>
 *
 * <p>Gauges and function counters read {@link CircuitBreaker#stats()} and {@link
 * CircuitBreaker#state()} when the registry is scraped and hold the breaker weakly. Timers and
 * counters of events are fed by one {@link CircuitBreakerListener}, added on the first {@link
 * #bindTo} and removed by {@link #close()}; while it is present the breaker times every call. A
 * call the breaker did not time (one already running when the listener was added) is recorded with
 * a duration of zero, so that call counts stay exact.
 *
 * <p>One binder may be bound to several registries; binding it twice to the same registry does
 * nothing the second time. Bind one binder per breaker and registry: two binders of the same
 * breaker in one registry would share, and double-count, the same timers.
 *
 * <p>Extra tags may not use the keys the binder sets itself: {@code name}, {@code state}, {@code
 * outcome}, {@code kind}, {@code from}, {@code to}.
 *
 * <p>Thread-safe. {@link #bindTo} and {@link #close()} may be called from any thread (they take a
 * lock; they are not meant for hot paths). Meters are updated on the breaker's callers without
 * locking; a meter that throws does not stop the others from being updated, and its exception
 * reaches the breaker, which logs it and leaves its state and the caller's outcome untouched.
 */
public final class CircuitBreakerMetrics extends Binder {
  private static final List<String> RESERVED_KEYS =
      List.of("name", "state", "outcome", "kind", "from", "to");

  private final CircuitBreaker breaker;
  private final boolean resilience4jNames;
  private final Tags tags;

  private CircuitBreakerMetrics(Builder builder) {
    this.breaker = builder.breaker;
    this.resilience4jNames = builder.resilience4jNames;
    this.tags = builder.tagsWithName(builder.breaker.name());
  }

  /**
   * A binder for the breaker under Ballast's meter names, with no tags besides {@code name}.
   *
   * @param breaker the breaker to publish
   * @return a new, unbound binder
   */
  public static CircuitBreakerMetrics of(CircuitBreaker breaker) {
    return builder(breaker).build();
  }

  /**
   * Starts a binder with extra tags or Resilience4j's meter names.
   *
   * @param breaker the breaker to publish
   * @return a new builder
   */
  public static Builder builder(CircuitBreaker breaker) {
    return new Builder(notNull("breaker", breaker));
  }

  @Override
  BreakerMeters newSet(MeterList meters) {
    return resilience4jNames
        ? new BreakerResilience4jMeters(breaker, meters, tags)
        : new BreakerBallastMeters(breaker, meters, tags);
  }

  @Override
  Subscription subscribe() {
    return breaker.addListener(new Feed(this));
  }

  @Override
  public String toString() {
    return "CircuitBreakerMetrics["
        + breaker.name()
        + (resilience4jNames ? ", resilience4jNames" : "")
        + "]";
  }

  /** Feeds every bound set; one instance per binder, added to the breaker on the first bind. */
  private static final class Feed implements CircuitBreakerListener {
    private final CircuitBreakerMetrics binder;

    Feed(CircuitBreakerMetrics binder) {
      this.binder = binder;
    }

    @Override
    public void onSuccess(long durationNanos) {
      binder.deliver(BreakerMeters::onCall, CallEvent.SUCCESS, durationNanos);
    }

    @Override
    public void onFailure(long durationNanos, @Nullable Throwable error) {
      binder.deliver(BreakerMeters::onCall, CallEvent.FAILURE, durationNanos);
    }

    @Override
    public void onIgnored(long durationNanos, @Nullable Throwable error) {
      binder.deliver(BreakerMeters::onCall, CallEvent.IGNORED, durationNanos);
    }

    @Override
    public void onSlowCall(long durationNanos) {
      binder.deliver(BreakerMeters::onCall, CallEvent.SLOW, durationNanos);
    }

    @Override
    public void onThresholdCrossed(double failureRate, double slowCallRate, long calls) {
      binder.deliver(
          (BreakerMeters set, CircuitBreakerState unused, long unusedValue) ->
              set.onThresholdCrossed(),
          CircuitBreakerState.DISABLED,
          0L);
    }

    @Override
    public void onStateTransition(CircuitBreakerState from, CircuitBreakerState to) {
      // Transitions are rare: capturing `from` here costs one small allocation each.
      binder.deliver(
          (BreakerMeters set, CircuitBreakerState into, long unused) ->
              set.onTransition(from, into),
          to,
          0L);
    }
  }

  /**
   * Settings of a {@link CircuitBreakerMetrics}: extra tags and the naming style. The keys the
   * binder sets itself ({@code name}, {@code state}, {@code outcome}, {@code kind}, {@code from},
   * {@code to}) are refused as extra tags. Not thread-safe; confine a builder to one thread.
   */
  public static final class Builder extends StyledBuilder<Builder> {
    private final CircuitBreaker breaker;

    private Builder(CircuitBreaker breaker) {
      super("CircuitBreakerMetrics", RESERVED_KEYS);
      this.breaker = breaker;
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the binder; it registers nothing until {@link CircuitBreakerMetrics#bindTo}.
     *
     * @return a new, unbound binder
     */
    @Override
    public CircuitBreakerMetrics build() {
      return new CircuitBreakerMetrics(this);
    }
  }
}
