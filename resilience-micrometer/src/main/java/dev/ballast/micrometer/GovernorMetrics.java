package dev.ballast.micrometer;

import static dev.ballast.micrometer.Preconditions.notNull;

import dev.ballast.governor.Governor;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * Publishes a {@link Governor}'s decisions by verdict, its confirmations, its state (running or
 * paused) and the divergence of the last observation as Micrometer meters, {@code
 * ballast.governor.*}. Every meter, with its type, unit and tags, is listed in {@code
 * docs/metrics.md}.
 *
 * <pre>{@code
 * GovernorMetrics metrics = GovernorMetrics.of(governor);
 * metrics.bindTo(registry);
 * ...
 * metrics.close(); // removes the meters
 * }</pre>
 *
 * <p>Every meter reads {@link Governor#stats()} when the registry is scraped (counters count since
 * the governor was created) and holds the governor weakly; the binder adds no listener, so binding
 * it costs the governor nothing per call.
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
public final class GovernorMetrics extends Binder {
  private static final List<String> RESERVED_KEYS = List.of("name", "outcome", "state");

  private final Governor governor;
  private final Tags tags;

  private GovernorMetrics(Builder builder) {
    this.governor = builder.governor;
    this.tags = builder.tagsWithName(builder.governor.name());
  }

  /**
   * A binder for the governor, with no tags besides {@code name}.
   *
   * @param governor the governor to publish
   * @return a new, unbound binder
   */
  public static GovernorMetrics of(Governor governor) {
    return builder(governor).build();
  }

  /**
   * Starts a binder with extra tags.
   *
   * @param governor the governor to publish
   * @return a new builder
   */
  public static Builder builder(Governor governor) {
    return new Builder(notNull("governor", governor));
  }

  @Override
  MeterSet newSet(MeterList meters) {
    return new GovernorMeters(governor, meters, tags);
  }

  @Override
  public String toString() {
    return "GovernorMetrics[" + governor.name() + "]";
  }

  /**
   * Settings of a {@link GovernorMetrics}: extra tags. The keys the binder sets itself ({@code
   * name}, {@code outcome}, {@code state}) are refused. Not thread-safe; confine a builder to one
   * thread.
   */
  public static final class Builder extends BinderBuilder<Builder> {
    private final Governor governor;

    private Builder(Governor governor) {
      super("GovernorMetrics", RESERVED_KEYS);
      this.governor = governor;
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the binder; it registers nothing until {@link GovernorMetrics#bindTo}.
     *
     * @return a new, unbound binder
     */
    @Override
    public GovernorMetrics build() {
      return new GovernorMetrics(this);
    }
  }
}
