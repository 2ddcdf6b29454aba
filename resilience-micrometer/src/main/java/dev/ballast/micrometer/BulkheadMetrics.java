package dev.ballast.micrometer;

import static dev.ballast.micrometer.Preconditions.notNull;

import dev.ballast.bulkhead.Bulkhead;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * Publishes a {@link Bulkhead}'s admitted and refused calls, the calls in flight and waiting, and
 * its limit as Micrometer meters, under Ballast's names ({@code ballast.bulkhead.*}, the default)
 * or under Resilience4j's ({@code resilience4j.bulkhead.*}, see {@link
 * Builder#resilience4jNames()}). Every meter, with its type, unit and tags, is listed in {@code
 * docs/metrics.md}.
 *
 * <pre>{@code
 * BulkheadMetrics metrics = BulkheadMetrics.of(bulkhead);
 * metrics.bindTo(registry);
 * ...
 * metrics.close(); // removes the meters
 * }</pre>
 *
 * <p>Every meter reads {@link Bulkhead#stats()} when the registry is scraped and holds the bulkhead
 * weakly; the binder adds no listener, so binding it costs the bulkhead nothing per call. {@code
 * ballast.bulkhead.calls} counts by {@code outcome} ({@code admitted}, {@code rejected}) since the
 * bulkhead was created; {@code ballast.bulkhead.in.flight}, {@code ballast.bulkhead.waiting} and
 * {@code ballast.bulkhead.limit} are gauges of the moment, the last following every change of the
 * limit at run time ({@link Bulkhead#changeMaxConcurrentCalls(int)}).
 *
 * <p>One binder may be bound to several registries; binding it twice to the same registry does
 * nothing the second time.
 *
 * <p>Extra tags may not use the keys the binder sets itself: {@code name}, {@code outcome}.
 *
 * <p>Thread-safe. {@link #bindTo} and {@link #close()} may be called from any thread (they take a
 * lock; they are not meant for hot paths).
 */
public final class BulkheadMetrics extends Binder {
  private static final List<String> RESERVED_KEYS = List.of("name", "outcome");

  private final Bulkhead bulkhead;
  private final boolean resilience4jNames;
  private final Tags tags;

  private BulkheadMetrics(Builder builder) {
    this.bulkhead = builder.bulkhead;
    this.resilience4jNames = builder.resilience4jNames;
    this.tags = builder.tagsWithName(builder.bulkhead.name());
  }

  /**
   * A binder for the bulkhead under Ballast's meter names, with no tags besides {@code name}.
   *
   * @param bulkhead the bulkhead to publish
   * @return a new, unbound binder
   */
  public static BulkheadMetrics of(Bulkhead bulkhead) {
    return builder(bulkhead).build();
  }

  /**
   * Starts a binder with extra tags or Resilience4j's meter names.
   *
   * @param bulkhead the bulkhead to publish
   * @return a new builder
   */
  public static Builder builder(Bulkhead bulkhead) {
    return new Builder(notNull("bulkhead", bulkhead));
  }

  @Override
  MeterSet newSet(MeterList meters) {
    return resilience4jNames
        ? new BulkheadResilience4jMeters(bulkhead, meters, tags)
        : new BulkheadBallastMeters(bulkhead, meters, tags);
  }

  @Override
  public String toString() {
    return "BulkheadMetrics["
        + bulkhead.name()
        + (resilience4jNames ? ", resilience4jNames" : "")
        + "]";
  }

  /**
   * Settings of a {@link BulkheadMetrics}: extra tags and the naming style. The keys the binder
   * sets itself ({@code name}, {@code outcome}) are refused as extra tags. Not thread-safe; confine
   * a builder to one thread.
   */
  public static final class Builder extends StyledBuilder<Builder> {
    private final Bulkhead bulkhead;

    private Builder(Bulkhead bulkhead) {
      super("BulkheadMetrics", RESERVED_KEYS);
      this.bulkhead = bulkhead;
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the binder; it registers nothing until {@link BulkheadMetrics#bindTo}.
     *
     * @return a new, unbound binder
     */
    @Override
    public BulkheadMetrics build() {
      return new BulkheadMetrics(this);
    }
  }
}
