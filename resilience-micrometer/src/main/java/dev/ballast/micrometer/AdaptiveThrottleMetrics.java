package dev.ballast.micrometer;

import static dev.ballast.micrometer.Preconditions.notNull;

import dev.ballast.shed.AdaptiveThrottle;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * Publishes an {@link AdaptiveThrottle}'s requests by outcome (let through, refused locally), the
 * requests and accepts in its window and its rejection probability as Micrometer meters, {@code
 * ballast.throttle.*}. Every meter, with its type, unit and tags, is listed in {@code
 * docs/metrics.md}.
 *
 * <pre>{@code
 * AdaptiveThrottleMetrics metrics = AdaptiveThrottleMetrics.of(throttle);
 * metrics.bindTo(registry);
 * ...
 * metrics.close(); // removes the meters
 * }</pre>
 *
 * <p>Every meter reads {@link AdaptiveThrottle#stats()} when the registry is scraped (counters
 * count since the throttle was created) and holds the throttle weakly; the binder adds no listener,
 * so binding it costs the throttle nothing per call.
 *
 * <p>One binder may be bound to several registries; binding it twice to the same registry does
 * nothing the second time.
 *
 * <p>Extra tags may not use the keys the binder sets itself: {@code name}, {@code outcome}, {@code
 * state}.
 *
 * <p>Thread-safe. {@link #bindTo} and {@link #close()} may be called from any thread (they take a
 * lock; they are not meant for hot paths).
 */
public final class AdaptiveThrottleMetrics extends Binder {
  private static final List<String> RESERVED_KEYS = List.of("name", "outcome", "state");

  private final AdaptiveThrottle throttle;
  private final Tags tags;

  private AdaptiveThrottleMetrics(Builder builder) {
    this.throttle = builder.throttle;
    this.tags = builder.tagsWithName(builder.throttle.name());
  }

  /**
   * A binder for the adaptive throttle, with no tags besides {@code name}.
   *
   * @param throttle the adaptive throttle to publish
   * @return a new, unbound binder
   */
  public static AdaptiveThrottleMetrics of(AdaptiveThrottle throttle) {
    return builder(throttle).build();
  }

  /**
   * Starts a binder with extra tags.
   *
   * @param throttle the adaptive throttle to publish
   * @return a new builder
   */
  public static Builder builder(AdaptiveThrottle throttle) {
    return new Builder(notNull("throttle", throttle));
  }

  @Override
  MeterSet newSet(MeterList meters) {
    return new AdaptiveThrottleMeters(throttle, meters, tags);
  }

  @Override
  public String toString() {
    return "AdaptiveThrottleMetrics[" + throttle.name() + "]";
  }

  /**
   * Settings of a {@link AdaptiveThrottleMetrics}: extra tags. The keys the binder sets itself
   * ({@code name}, {@code outcome}, {@code state}) are refused. Not thread-safe; confine a builder
   * to one thread.
   */
  public static final class Builder extends BinderBuilder<Builder> {
    private final AdaptiveThrottle throttle;

    private Builder(AdaptiveThrottle throttle) {
      super("AdaptiveThrottleMetrics", RESERVED_KEYS);
      this.throttle = throttle;
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the binder; it registers nothing until {@link AdaptiveThrottleMetrics#bindTo}.
     *
     * @return a new, unbound binder
     */
    @Override
    public AdaptiveThrottleMetrics build() {
      return new AdaptiveThrottleMetrics(this);
    }
  }
}
