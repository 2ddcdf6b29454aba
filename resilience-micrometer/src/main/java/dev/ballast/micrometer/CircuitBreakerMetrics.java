package dev.ballast.micrometer;

import static java.util.Objects.requireNonNull;

import dev.ballast.Subscription;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerListener;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.micrometer.MeterSet.CallEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>Thread-safe. {@link #bindTo} and {@link #close()} may be called from any thread (they take a
 * lock; they are not meant for hot paths). Meters are updated on the breaker's callers without
 * locking; a meter that throws does not stop the others from being updated, and its exception
 * reaches the breaker, which logs it and leaves its state and the caller's outcome untouched.
 */
public final class CircuitBreakerMetrics implements MeterBinder, AutoCloseable {
  private static final MeterSet[] NONE = {};
  private static final List<String> RESERVED_KEYS =
      List.of("name", "state", "outcome", "kind", "from", "to");

  private final CircuitBreaker breaker;
  private final boolean resilience4jNames;
  private final Tags tags;
  private final ReentrantLock lock = new ReentrantLock();
  // Written under lock, read by the listener without it: a new array on every change.
  private volatile MeterSet[] sets = NONE;
  private @Nullable Subscription subscription; // guarded by lock
  private boolean closed; // guarded by lock

  private CircuitBreakerMetrics(Builder builder) {
    this.breaker = builder.breaker;
    this.resilience4jNames = builder.resilience4jNames;
    this.tags = builder.tags.and("name", builder.breaker.name());
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
    return new Builder(requireNonNull(breaker, "breaker"));
  }

  /**
   * Registers this breaker's meters in the registry and starts feeding them. Binding again to a
   * registry this binder is already bound to does nothing.
   *
   * @param registry the registry
   * @throws IllegalStateException when this binder is closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    requireNonNull(registry, "registry");
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("CircuitBreakerMetrics of " + breaker + " is closed");
      }
      MeterSet[] current = sets;
      for (MeterSet set : current) {
        if (set.registry == registry) {
          return;
        }
      }
      MeterSet set =
          resilience4jNames
              ? new Resilience4jMeters(breaker, registry, tags)
              : new BallastMeters(breaker, registry, tags);
      if (subscription == null) {
        try {
          subscription = breaker.addListener(new Feed());
        } catch (RuntimeException e) {
          set.removeAll();
          throw e;
        }
      }
      MeterSet[] next = Arrays.copyOf(current, current.length + 1);
      next[current.length] = set;
      sets = next;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops listening to the breaker and removes every meter this binder registered from every
   * registry it was bound to. Idempotent; a closed binder cannot be bound again.
   */
  @Override
  public void close() {
    MeterSet[] removed;
    Subscription listening;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      removed = sets;
      sets = NONE;
      listening = subscription;
      subscription = null;
      if (listening != null) {
        listening.close();
      }
      for (MeterSet set : removed) {
        set.removeAll();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "CircuitBreakerMetrics["
        + breaker.name()
        + (resilience4jNames ? ", resilience4jNames" : "")
        + "]";
  }

  /** Feeds every bound set; one instance per binder, added to the breaker on the first bind. */
  private final class Feed implements CircuitBreakerListener {
    @Override
    public void onSuccess(long durationNanos) {
      call(CallEvent.SUCCESS, durationNanos);
    }

    @Override
    public void onFailure(long durationNanos, @Nullable Throwable error) {
      call(CallEvent.FAILURE, durationNanos);
    }

    @Override
    public void onIgnored(long durationNanos, @Nullable Throwable error) {
      call(CallEvent.IGNORED, durationNanos);
    }

    @Override
    public void onSlowCall(long durationNanos) {
      call(CallEvent.SLOW, durationNanos);
    }

    @Override
    public void onStateTransition(CircuitBreakerState from, CircuitBreakerState to) {
      RuntimeException first = null;
      for (MeterSet set : sets) {
        try {
          set.onTransition(from, to);
        } catch (RuntimeException e) {
          first = chain(first, e);
        }
      }
      if (first != null) {
        throw first;
      }
    }

    private void call(CallEvent event, long durationNanos) {
      RuntimeException first = null;
      for (MeterSet set : sets) {
        try {
          set.onCall(event, durationNanos);
        } catch (RuntimeException e) {
          first = chain(first, e);
        }
      }
      if (first != null) {
        throw first;
      }
    }

    private RuntimeException chain(@Nullable RuntimeException first, RuntimeException next) {
      if (first == null) {
        return next;
      }
      if (first != next) {
        first.addSuppressed(next);
      }
      return first;
    }
  }

  /**
   * Settings of a {@link CircuitBreakerMetrics}: extra tags and the naming style. Not thread-safe;
   * confine a builder to one thread.
   */
  public static final class Builder {
    private final CircuitBreaker breaker;
    private Tags tags = Tags.empty();
    private boolean resilience4jNames;

    private Builder(CircuitBreaker breaker) {
      this.breaker = breaker;
    }

    /**
     * Adds a tag to every meter. The keys the binder sets itself ({@code name}, {@code state},
     * {@code outcome}, {@code kind}, {@code from}, {@code to}) are refused.
     *
     * @param key the tag key
     * @param value the tag value
     * @return this builder
     * @throws IllegalArgumentException when the key is reserved
     */
    public Builder tag(String key, String value) {
      return tags(Tags.of(Tag.of(checkKey(key), requireNonNull(value, "value"))));
    }

    /**
     * Adds tags to every meter; see {@link #tag(String, String)} for the reserved keys.
     *
     * @param tags the tags
     * @return this builder
     * @throws IllegalArgumentException when a key is reserved
     */
    public Builder tags(Iterable<Tag> tags) {
      requireNonNull(tags, "tags");
      for (Tag tag : tags) {
        checkKey(tag.getKey());
      }
      this.tags = this.tags.and(tags);
      return this;
    }

    /**
     * Publishes under Resilience4j 2.x's meter names, tags and units ({@code
     * resilience4j.circuitbreaker.*}), so that dashboards and alerts written for Resilience4j keep
     * working.
     *
     * @return this builder
     */
    public Builder resilience4jNames() {
      this.resilience4jNames = true;
      return this;
    }

    /**
     * Publishes under Ballast's meter names ({@code ballast.circuitbreaker.*}); the default.
     *
     * @return this builder
     */
    public Builder ballastNames() {
      this.resilience4jNames = false;
      return this;
    }

    /**
     * Builds the binder; it registers nothing until {@link CircuitBreakerMetrics#bindTo}.
     *
     * @return a new, unbound binder
     */
    public CircuitBreakerMetrics build() {
      return new CircuitBreakerMetrics(this);
    }

    private static String checkKey(String key) {
      requireNonNull(key, "key");
      if (RESERVED_KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "tag key is reserved by CircuitBreakerMetrics " + RESERVED_KEYS + ", was " + key);
      }
      return key;
    }
  }
}
