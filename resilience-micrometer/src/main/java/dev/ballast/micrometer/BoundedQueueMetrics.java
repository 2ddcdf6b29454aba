package dev.ballast.micrometer;

import static dev.ballast.micrometer.Preconditions.notNull;

import dev.ballast.queue.BoundedQueue;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * Publishes a {@link BoundedQueue}'s elements by outcome (enqueued, dequeued, dropped, evicted,
 * rejected), its refusals caused by a stalled consumer, its size and capacity, its back pressure
 * (none, load or failure) and, when it measures them, the waits of its elements as Micrometer
 * meters, {@code ballast.queue.*}. Every meter, with its type, unit and tags, is listed in {@code
 * docs/metrics.md}.
 *
 * <pre>{@code
 * BoundedQueueMetrics metrics = BoundedQueueMetrics.of(queue);
 * metrics.bindTo(registry);
 * ...
 * metrics.close(); // removes the meters
 * }</pre>
 *
 * <p>Every meter reads {@link BoundedQueue#stats()} when the registry is scraped (counters count
 * since the queue was created) and holds the queue weakly; the binder adds no listener, so binding
 * it costs the queue nothing per call.
 *
 * <p>One binder may be bound to several registries; binding it twice to the same registry does
 * nothing the second time.
 *
 * <p>Extra tags may not use the keys the binder sets itself: {@code name}, {@code outcome}, {@code
 * cause}.
 *
 * <p>Thread-safe. {@link #bindTo} and {@link #close()} may be called from any thread (they take a
 * lock; they are not meant for hot paths).
 */
public final class BoundedQueueMetrics extends Binder {
  private static final List<String> RESERVED_KEYS = List.of("name", "outcome", "cause");

  private final BoundedQueue<?> queue;
  private final Tags tags;

  private BoundedQueueMetrics(Builder builder) {
    this.queue = builder.queue;
    this.tags = builder.tagsWithName(builder.queue.name());
  }

  /**
   * A binder for the bounded queue, with no tags besides {@code name}.
   *
   * @param queue the bounded queue to publish
   * @return a new, unbound binder
   */
  public static BoundedQueueMetrics of(BoundedQueue<?> queue) {
    return builder(queue).build();
  }

  /**
   * Starts a binder with extra tags.
   *
   * @param queue the bounded queue to publish
   * @return a new builder
   */
  public static Builder builder(BoundedQueue<?> queue) {
    return new Builder(notNull("queue", queue));
  }

  @Override
  MeterSet newSet(MeterList meters) {
    return new BoundedQueueMeters(queue, meters, tags);
  }

  @Override
  public String toString() {
    return "BoundedQueueMetrics[" + queue.name() + "]";
  }

  /**
   * Settings of a {@link BoundedQueueMetrics}: extra tags. The keys the binder sets itself ({@code
   * name}, {@code outcome}, {@code cause}) are refused. Not thread-safe; confine a builder to one
   * thread.
   */
  public static final class Builder extends BinderBuilder<Builder> {
    private final BoundedQueue<?> queue;

    private Builder(BoundedQueue<?> queue) {
      super("BoundedQueueMetrics", RESERVED_KEYS);
      this.queue = queue;
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the binder; it registers nothing until {@link BoundedQueueMetrics#bindTo}.
     *
     * @return a new, unbound binder
     */
    @Override
    public BoundedQueueMetrics build() {
      return new BoundedQueueMetrics(this);
    }
  }
}
