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
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>One binder may be bound to several meter registries; binding it twice to the same one does
 * nothing the second time. {@link #close()} stops following the registry and removes every meter it
 * registered.
 *
 * <p>Thread-safe. {@link #bindTo} and {@link #close()} take a lock, as do the registry events it
 * follows (components added and removed), which are not hot paths.
 */
public final class BallastRegistryMetrics implements MeterBinder, AutoCloseable {
  private final BallastRegistry registry;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<MeterRegistry> bound = new ArrayList<>(); // guarded by lock
  private final Map<Object, Binder> binders = new IdentityHashMap<>(); // guarded by lock
  private @Nullable Subscription following; // guarded by lock
  private boolean closed; // guarded by lock

  private BallastRegistryMetrics(BallastRegistry registry) {
    this.registry = registry;
  }

  /**
   * A binder for every present and future component of {@code registry}.
   *
   * @param registry the registry to publish
   * @return a new, unbound binder
   */
  public static BallastRegistryMetrics of(BallastRegistry registry) {
    return new BallastRegistryMetrics(notNull("registry", registry));
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
    return binders.computeIfAbsent(component, BallastRegistryMetrics::binderOf);
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

  static Binder binderOf(Object component) {
    if (component instanceof CircuitBreaker c) {
      return CircuitBreakerMetrics.of(c);
    } else if (component instanceof Bulkhead c) {
      return BulkheadMetrics.of(c);
    } else if (component instanceof ThreadPoolBulkhead c) {
      return ThreadPoolBulkheadMetrics.of(c);
    } else if (component instanceof Timeout c) {
      return TimeoutMetrics.of(c);
    } else if (component instanceof Retry c) {
      return RetryMetrics.of(c);
    } else if (component instanceof RateLimiter c) {
      return RateLimiterMetrics.of(c);
    } else if (component instanceof LoadShedder c) {
      return LoadShedderMetrics.of(c);
    } else if (component instanceof AdaptiveThrottle c) {
      return AdaptiveThrottleMetrics.of(c);
    } else if (component instanceof Governor c) {
      return GovernorMetrics.of(c);
    } else if (component instanceof BoundedQueue<?> c) {
      return BoundedQueueMetrics.of(c);
    }
    throw new IllegalArgumentException("no binder for " + component.getClass().getName());
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
