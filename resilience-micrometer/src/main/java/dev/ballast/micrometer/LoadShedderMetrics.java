package dev.ballast.micrometer;

import static dev.ballast.micrometer.Preconditions.notNull;

import dev.ballast.shed.LoadShedder;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * Publishes a {@link LoadShedder}'s calls by outcome, its probes, its state (admitting or
 * shedding), the mean and number of samples in its window and its target as Micrometer meters,
 * {@code ballast.shed.*}. Every meter, with its type, unit and tags, is listed in {@code
 * docs/metrics.md}.
 *
 * <pre>{@code
 * LoadShedderMetrics metrics = LoadShedderMetrics.of(shedder);
 * metrics.bindTo(registry);
 * ...
 * metrics.close(); // removes the meters
 * }</pre>
 *
 * <p>Every meter reads {@link LoadShedder#stats()} when the registry is scraped (counters count
 * since the shedder was created) and holds the shedder weakly; the binder adds no listener, so
 * binding it costs the shedder nothing per call.
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
public final class LoadShedderMetrics extends Binder {
  private static final List<String> RESERVED_KEYS = List.of("name", "outcome", "state");

  private final LoadShedder shedder;
  private final Tags tags;

  private LoadShedderMetrics(Builder builder) {
    this.shedder = builder.shedder;
    this.tags = builder.tagsWithName(builder.shedder.name());
  }

  /**
   * A binder for the load shedder, with no tags besides {@code name}.
   *
   * @param shedder the load shedder to publish
   * @return a new, unbound binder
   */
  public static LoadShedderMetrics of(LoadShedder shedder) {
    return builder(shedder).build();
  }

  /**
   * Starts a binder with extra tags.
   *
   * @param shedder the load shedder to publish
   * @return a new builder
   */
  public static Builder builder(LoadShedder shedder) {
    return new Builder(notNull("shedder", shedder));
  }

  @Override
  MeterSet newSet(MeterList meters) {
    return new LoadShedderMeters(shedder, meters, tags);
  }

  @Override
  public String toString() {
    return "LoadShedderMetrics[" + shedder.name() + "]";
  }

  /**
   * Settings of a {@link LoadShedderMetrics}: extra tags. The keys the binder sets itself ({@code
   * name}, {@code outcome}, {@code state}) are refused. Not thread-safe; confine a builder to one
   * thread.
   */
  public static final class Builder extends BinderBuilder<Builder> {
    private final LoadShedder shedder;

    private Builder(LoadShedder shedder) {
      super("LoadShedderMetrics", RESERVED_KEYS);
      this.shedder = shedder;
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the binder; it registers nothing until {@link LoadShedderMetrics#bindTo}.
     *
     * @return a new, unbound binder
     */
    @Override
    public LoadShedderMetrics build() {
      return new LoadShedderMetrics(this);
    }
  }
}
