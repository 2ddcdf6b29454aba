package dev.ballast.micrometer;

import static dev.ballast.micrometer.Preconditions.notNull;

import dev.ballast.bulkhead.ThreadPoolBulkhead;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * Publishes a {@link ThreadPoolBulkhead}'s admitted, refused and cancelled tasks, its threads and
 * its queue as Micrometer meters, under Ballast's names ({@code ballast.bulkhead.pool.*}, the
 * default) or under Resilience4j's ({@code resilience4j.bulkhead.*} thread-pool gauges, see {@link
 * Builder#resilience4jNames()}). Every meter, with its type, unit and tags, is listed in {@code
 * docs/metrics.md}.
 *
 * <pre>{@code
 * ThreadPoolBulkheadMetrics metrics = ThreadPoolBulkheadMetrics.of(pool);
 * metrics.bindTo(registry);
 * ...
 * metrics.close(); // removes the meters
 * }</pre>
 *
 * <p>Every meter reads {@link ThreadPoolBulkhead#stats()} when the registry is scraped and holds
 * the bulkhead weakly; the binder adds no listener, so binding it costs the bulkhead nothing per
 * task. {@code ballast.bulkhead.pool.calls} counts by {@code outcome} ({@code admitted}, {@code
 * rejected}) and {@code ballast.bulkhead.pool.cancelled} the admitted tasks given up before they
 * ran, both since the bulkhead was created; the threads alive, the threads holding a task and the
 * tasks queued are gauges of the moment, beside the two limits.
 *
 * <p>One binder may be bound to several registries; binding it twice to the same registry does
 * nothing the second time. Closing the bulkhead does not remove the meters: {@link #close()} does.
 *
 * <p>Extra tags may not use the keys the binder sets itself: {@code name}, {@code outcome}.
 *
 * <p>Thread-safe. {@link #bindTo} and {@link #close()} may be called from any thread (they take a
 * lock; they are not meant for hot paths).
 */
public final class ThreadPoolBulkheadMetrics extends Binder {
  private static final List<String> RESERVED_KEYS = List.of("name", "outcome");

  private final ThreadPoolBulkhead bulkhead;
  private final boolean resilience4jNames;
  private final Tags tags;

  private ThreadPoolBulkheadMetrics(Builder builder) {
    this.bulkhead = builder.bulkhead;
    this.resilience4jNames = builder.resilience4jNames;
    this.tags = builder.tagsWithName(builder.bulkhead.name());
  }

  /**
   * A binder for the thread-pool bulkhead under Ballast's meter names, with no tags besides {@code
   * name}.
   *
   * @param bulkhead the thread-pool bulkhead to publish
   * @return a new, unbound binder
   */
  public static ThreadPoolBulkheadMetrics of(ThreadPoolBulkhead bulkhead) {
    return builder(bulkhead).build();
  }

  /**
   * Starts a binder with extra tags or Resilience4j's meter names.
   *
   * @param bulkhead the thread-pool bulkhead to publish
   * @return a new builder
   */
  public static Builder builder(ThreadPoolBulkhead bulkhead) {
    return new Builder(notNull("bulkhead", bulkhead));
  }

  @Override
  MeterSet newSet(MeterList meters) {
    return resilience4jNames
        ? new ThreadPoolBulkheadResilience4jMeters(bulkhead, meters, tags)
        : new ThreadPoolBulkheadBallastMeters(bulkhead, meters, tags);
  }

  @Override
  public String toString() {
    return "ThreadPoolBulkheadMetrics["
        + bulkhead.name()
        + (resilience4jNames ? ", resilience4jNames" : "")
        + "]";
  }

  /**
   * Settings of a {@link ThreadPoolBulkheadMetrics}: extra tags and the naming style. The keys the
   * binder sets itself ({@code name}, {@code outcome}) are refused as extra tags. Not thread-safe;
   * confine a builder to one thread.
   */
  public static final class Builder extends StyledBuilder<Builder> {
    private final ThreadPoolBulkhead bulkhead;

    private Builder(ThreadPoolBulkhead bulkhead) {
      super("ThreadPoolBulkheadMetrics", RESERVED_KEYS);
      this.bulkhead = bulkhead;
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the binder; it registers nothing until {@link ThreadPoolBulkheadMetrics#bindTo}.
     *
     * @return a new, unbound binder
     */
    @Override
    public ThreadPoolBulkheadMetrics build() {
      return new ThreadPoolBulkheadMetrics(this);
    }
  }
}
