package dev.ballast.micrometer;

import static dev.ballast.micrometer.Preconditions.notNull;

import dev.ballast.Subscription;
import dev.ballast.fallback.Fallback;
import dev.ballast.fallback.FallbackListener;
import dev.ballast.fallback.FallbackTrigger;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Publishes a {@link Fallback}'s calls as Micrometer meters: {@code ballast.fallback.calls}, by
 * {@code outcome} ({@code passed}, {@code fallback}, {@code fallback_failed}) and by the {@code
 * trigger} that fired ({@code exception}, {@code result}, {@code rejection}; {@code none} for the
 * calls passed through). Every meter, with its type, unit and tags, is listed in {@code
 * docs/metrics.md}.
 *
 * <pre>{@code
 * FallbackMetrics metrics = FallbackMetrics.of(fallback);
 * metrics.bindTo(registry);
 * ...
 * metrics.close(); // removes the meters and stops listening
 * }</pre>
 *
 * <p>The counters of substitutes served and of calls passed through read {@link Fallback#stats()}
 * when the registry is scraped, count since the fallback was created, and hold the fallback weakly.
 * The stats count a call when it starts, so a call still running at a scrape is counted as passed;
 * the passed counter never goes down, and a running call that then falls back is absorbed by the
 * next calls that pass. The counters of failed fallbacks, by trigger, are fed by one {@link
 * FallbackListener}, added on the first {@link #bindTo} and removed by {@link #close()}, and count
 * from then on.
 *
 * <p>One binder may be bound to several registries; binding it twice to the same registry does
 * nothing the second time. Bind one binder per fallback and registry.
 *
 * <p>Extra tags may not use the keys the binder sets itself: {@code name}, {@code outcome}, {@code
 * trigger}.
 *
 * <p>Thread-safe. {@link #bindTo} and {@link #close()} may be called from any thread (they take a
 * lock; they are not meant for hot paths). Meters are updated without locking; a meter that throws
 * does not stop the others from being updated, and its exception reaches the fallback, which logs
 * it and leaves the caller's outcome untouched.
 */
public final class FallbackMetrics extends Binder {
  private static final List<String> RESERVED_KEYS = List.of("name", "outcome", "trigger");

  private final Fallback<?> fallback;
  private final Tags tags;

  private FallbackMetrics(Builder builder) {
    this.fallback = builder.fallback;
    this.tags = builder.tagsWithName(builder.fallback.name());
  }

  /**
   * A binder for the fallback, with no tags besides {@code name}.
   *
   * @param fallback the fallback to publish
   * @return a new, unbound binder
   */
  public static FallbackMetrics of(Fallback<?> fallback) {
    return builder(fallback).build();
  }

  /**
   * Starts a binder with extra tags.
   *
   * @param fallback the fallback to publish
   * @return a new builder
   */
  public static Builder builder(Fallback<?> fallback) {
    return new Builder(notNull("fallback", fallback));
  }

  @Override
  FallbackMeters newSet(MeterList meters) {
    return new FallbackMeters(fallback, meters, tags);
  }

  @Override
  Subscription subscribe() {
    return fallback.addListener(new Feed(this));
  }

  @Override
  public String toString() {
    return "FallbackMetrics[" + fallback.name() + "]";
  }

  /** Feeds every bound set; one instance per binder, added to the fallback on the first bind. */
  private static final class Feed implements FallbackListener {
    private final FallbackMetrics binder;

    Feed(FallbackMetrics binder) {
      this.binder = binder;
    }

    @Override
    public void onFallbackFailed(
        FallbackTrigger trigger, @Nullable Throwable cause, Throwable error) {
      binder.deliver(
          (FallbackMeters set, FallbackTrigger t, long unused) -> set.onFallbackFailed(t),
          trigger,
          0L);
    }
  }

  /**
   * Settings of a {@link FallbackMetrics}: extra tags. The keys the binder sets itself ({@code
   * name}, {@code outcome}, {@code trigger}) are refused. Not thread-safe; confine a builder to one
   * thread.
   */
  public static final class Builder extends BinderBuilder<Builder> {
    private final Fallback<?> fallback;

    private Builder(Fallback<?> fallback) {
      super("FallbackMetrics", RESERVED_KEYS);
      this.fallback = fallback;
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the binder; it registers nothing until {@link FallbackMetrics#bindTo}.
     *
     * @return a new, unbound binder
     */
    @Override
    public FallbackMetrics build() {
      return new FallbackMetrics(this);
    }
  }
}
