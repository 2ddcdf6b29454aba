package dev.ballast.micrometer;

import static dev.ballast.micrometer.Preconditions.notNull;

import dev.ballast.Subscription;
import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.governor.Governor;
import dev.ballast.queue.BoundedQueue;
import dev.ballast.ratelimiter.RateLimiter;
import dev.ballast.registry.BallastRegistry;
import dev.ballast.registry.ComponentType;
import dev.ballast.registry.RegistryListener;
import dev.ballast.retry.Retry;
import dev.ballast.shed.AdaptiveThrottle;
import dev.ballast.shed.LoadShedder;
import dev.ballast.timeout.Timeout;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Publishes every component of a {@link BallastRegistry} with one line, each through its own binder
 * ({@link CircuitBreakerMetrics}, {@link BulkheadMetrics}, ... under Ballast's names, the same
 * meters as {@code docs/metrics.md} lists): the components present when bound and every one added
 * later; a component removed from the registry has its meters removed.
 *
 * <pre>{@code
 * BallastRegistryMetrics.of(registry).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>{@link #builder} adds tags to every meter of every component, or publishes Resilience4j's
 * meter names where a binder offers them ({@link Builder#resilience4jNames()}).
 *
 * <p>One binder may be bound to several meter registries; binding it twice to the same one does
 * nothing the second time. {@link #close()} stops following the registry and removes every meter it
 * registered.
 *
 * <p>Thread-safe. {@link #bindTo} and {@link #close()} take a lock, as do the registry events it
 * follows (components added and removed), which are not hot paths.
 */
public final class BallastRegistryMetrics implements MeterBinder, AutoCloseable {
  /** The tag keys some component binder sets itself: refused as extra tags. */
  static final List<String> RESERVED_KEYS =
      List.of("name", "outcome", "cause", "kind", "state", "trigger", "from", "to");

  private final BallastRegistry registry;
  private final Tags tags;
  private final boolean resilience4jNames;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<MeterRegistry> bound = new ArrayList<>(); // guarded by lock
  private final IdentityHashMap<Object, Binder> binders =
      new IdentityHashMap<>(); // guarded by lock
  private @Nullable Subscription following; // guarded by lock
  private boolean closed; // guarded by lock

  private BallastRegistryMetrics(BallastRegistry registry, Tags tags, boolean resilience4jNames) {
    this.registry = registry;
    this.tags = tags;
    this.resilience4jNames = resilience4jNames;
  }

  /**
   * A binder for every present and future component of {@code registry}.
   *
   * @param registry the registry to publish
   * @return a new, unbound binder
   */
  public static BallastRegistryMetrics of(BallastRegistry registry) {
    return builder(registry).build();
  }

  /**
   * Starts a binder with extra tags or Resilience4j's meter names.
   *
   * @param registry the registry to publish
   * @return a new builder
   */
  public static Builder builder(BallastRegistry registry) {
    return new Builder(notNull("registry", registry));
  }

  /**
   * Registers the meters of every component in {@code meterRegistry}, and of every component added
   * from now on.
   *
   * @param meterRegistry the meter registry
   * @throws IllegalStateException when this binder is closed
   */
  @Override
  public void bindTo(MeterRegistry meterRegistry) {
    notNull("registry", meterRegistry);
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException(this + " is closed");
      }
      for (MeterRegistry r : bound) {
        if (r == meterRegistry) {
          return;
        }
      }
      bound.add(meterRegistry);
      if (following == null) {
        // Follow first, then list: a component added meanwhile is bound once (binding is
        // idempotent), and one removed meanwhile is unbound by its event, which waits for the lock.
        following = registry.addListener(new Follower());
      }
      for (Object component : registry.components()) {
        bindersOf(component).bindTo(meterRegistry);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Stops following the registry and removes every meter this binder registered. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      Subscription s = following;
      following = null;
      if (s != null) {
        s.close();
      }
      binders.values().forEach(Binder::close);
      binders.clear();
      bound.clear();
    } finally {
      lock.unlock();
    }
  }

  /**
   * @return {@code BallastRegistryMetrics[registry name]}
   */
  @Override
  public String toString() {
    return "BallastRegistryMetrics[" + registry.name() + "]";
  }

  private Binder bindersOf(Object component) {
    return binders.computeIfAbsent(component, this::binderOf);
  }

  private void added(Object component) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      Binder b = bindersOf(component);
      for (MeterRegistry r : bound) {
        b.bindTo(r);
      }
    } finally {
      lock.unlock();
    }
  }

  private void removed(Object component) {
    lock.lock();
    try {
      Binder b = binders.remove(component);
      if (b != null) {
        b.close();
      }
    } finally {
      lock.unlock();
    }
  }

  private Binder binderOf(Object component) {
    if (component instanceof CircuitBreaker c) {
      return styled(CircuitBreakerMetrics.builder(c)).build();
    } else if (component instanceof Bulkhead c) {
      return styled(BulkheadMetrics.builder(c)).build();
    } else if (component instanceof ThreadPoolBulkhead c) {
      return styled(ThreadPoolBulkheadMetrics.builder(c)).build();
    } else if (component instanceof Timeout c) {
      return styled(TimeoutMetrics.builder(c)).build();
    } else if (component instanceof Retry c) {
      return styled(RetryMetrics.builder(c)).build();
    } else if (component instanceof RateLimiter c) {
      return styled(RateLimiterMetrics.builder(c)).build();
    } else if (component instanceof LoadShedder c) {
      return LoadShedderMetrics.builder(c).tags(tags).build();
    } else if (component instanceof AdaptiveThrottle c) {
      return AdaptiveThrottleMetrics.builder(c).tags(tags).build();
    } else if (component instanceof Governor c) {
      return GovernorMetrics.builder(c).tags(tags).build();
    } else if (component instanceof BoundedQueue<?> c) {
      return BoundedQueueMetrics.builder(c).tags(tags).build();
    }
    throw new IllegalArgumentException("no binder for " + component.getClass().getName());
  }

  private <B extends StyledBuilder<B>> B styled(B builder) {
    builder.tags(tags);
    return resilience4jNames ? builder.resilience4jNames() : builder;
  }

  /**
   * Settings of a {@link BallastRegistryMetrics}: extra tags on every meter of every component, and
   * the naming style. Tag keys that some component binder sets itself ({@code name}, {@code
   * outcome}, {@code cause}, {@code kind}, {@code state}, {@code trigger}, {@code from}, {@code
   * to}) are refused. Not thread-safe; confine a builder to one thread.
   */
  public static final class Builder {
    private final BallastRegistry registry;
    private final List<Tag> tags = new ArrayList<>();
    private boolean resilience4jNames;

    private Builder(BallastRegistry registry) {
      this.registry = registry;
    }

    /**
     * Adds a tag to every meter of every component.
     *
     * @param key the tag key, not reserved
     * @param value the tag value
     * @return this builder
     * @throws IllegalArgumentException when the key is reserved
     */
    public Builder tag(String key, String value) {
      notNull("key", key);
      notNull("value", value);
      if (RESERVED_KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "tag key is reserved by the component binders " + RESERVED_KEYS + ", was " + key);
      }
      tags.add(Tag.of(key, value));
      return this;
    }

    /**
     * Publishes Resilience4j's meter names for the components whose binders offer them (circuit
     * breakers, bulkheads, thread-pool bulkheads, timeouts, retries, rate limiters); the others
     * keep Ballast's names.
     *
     * @return this builder
     */
    public Builder resilience4jNames() {
      this.resilience4jNames = true;
      return this;
    }

    /**
     * Builds the binder; it registers nothing until {@link BallastRegistryMetrics#bindTo}.
     *
     * @return a new, unbound binder
     */
    public BallastRegistryMetrics build() {
      return new BallastRegistryMetrics(registry, Tags.of(tags), resilience4jNames);
    }
  }

  /** Hears the registry's adds and removes. */
  private final class Follower implements RegistryListener {
    @Override
    public void onAdded(ComponentType<?, ?> type, String name, Object component) {
      added(component);
    }

    @Override
    public void onRemoved(ComponentType<?, ?> type, String name, Object component) {
      removed(component);
    }
  }
}
