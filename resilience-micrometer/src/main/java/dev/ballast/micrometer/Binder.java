package dev.ballast.micrometer;

import static dev.ballast.micrometer.Preconditions.notNull;

import dev.ballast.Subscription;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * What every public binder shares: the registries it is bound to, one {@link MeterSet} each, and
 * the listener it added to its component.
 *
 * <p>The first {@link #bindTo} subscribes the listener (when the binder has one); {@link #close()}
 * removes it and every set's meters. Binding twice to one registry does nothing the second time; a
 * closed binder cannot be bound again.
 *
 * <p>Thread-safe. {@link #bindTo} and {@link #close()} take a lock; {@link #deliver} runs on the
 * component's callers and reads the sets without locking (a new array is published on every
 * change).
 *
 * <p>Not generic in its sets, so that the public binders' signatures name no package-private type
 * ({@code -Xlint:exports}): each subclass's {@link #newSet} makes one kind of set, and passes
 * {@link #deliver} deliveries to that kind.
 */
abstract class Binder implements MeterBinder, AutoCloseable {
  /**
   * Passes one event to one set; implemented by lambdas that capture nothing, so that delivering
   * allocates nothing.
   *
   * @param <S> the set type
   * @param <A> the event's object argument
   */
  @FunctionalInterface
  interface Delivery<S, A> {
    void deliver(S set, A event, long value);
  }

  static final int MAX_SUPPRESSED = 8;
  private static final MeterSet[] NONE = {};

  private final ReentrantLock lock = new ReentrantLock();
  // Written under lock, read by deliver without it: a new array on every change.
  private volatile MeterSet[] sets = NONE;
  private @Nullable Subscription subscription; // guarded by lock
  private boolean closed; // guarded by lock

  Binder() {}

  /**
   * Registers a new set of this binder's meters in a registry, keeping each in {@code meters}. If
   * it throws, the meters kept so far are removed.
   */
  abstract MeterSet newSet(MeterList meters);

  /**
   * Adds the listener that feeds the sets through {@link #deliver} to the component; called on the
   * first {@link #bindTo}. The default adds none, for binders whose meters read only stats.
   *
   * @return the subscription, or {@code null} when no listener was added
   */
  @Nullable Subscription subscribe() {
    return null;
  }

  /**
   * Registers the component's meters in the registry and starts feeding them. Binding again to a
   * registry this binder is already bound to does nothing.
   *
   * @param registry the registry
   * @throws IllegalStateException when this binder is closed
   */
  @Override
  public final void bindTo(MeterRegistry registry) {
    notNull("registry", registry);
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException(this + " is closed");
      }
      MeterSet[] current = sets;
      for (MeterSet set : current) {
        if (set.registry == registry) {
          return;
        }
      }
      MeterList meters = new MeterList(registry);
      MeterSet set;
      try {
        set = newSet(meters);
        if (subscription == null) {
          subscription = subscribe();
        }
      } catch (RuntimeException e) {
        meters.removeAll();
        throw e;
      }
      MeterSet[] next = Arrays.copyOf(current, current.length + 1);
      next[current.length] = set;
      sets = next;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops listening to the component and removes every meter this binder registered from every
   * registry it was bound to. Idempotent; a closed binder cannot be bound again.
   */
  @Override
  public final void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      MeterSet[] removed = sets;
      sets = NONE;
      Subscription listening = subscription;
      subscription = null;
      if (listening != null) {
        listening.close();
      }
      for (MeterSet set : removed) {
        set.meters.removeAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Passes an event to every bound set. A set that throws does not stop the others; the first
   * exception is rethrown at the end, with at most {@value #MAX_SUPPRESSED} later ones suppressed
   * in it, for the component to log.
   *
   * @param <S> the kind of set this binder's {@link #newSet} makes
   */
  @SuppressWarnings("unchecked") // every set was made by newSet, which makes only S
  final <S extends MeterSet, A> void deliver(Delivery<S, A> delivery, A event, long value) {
    RuntimeException first = null;
    for (MeterSet set : sets) {
      try {
        delivery.deliver((S) set, event, value);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else if (first != e && first.getSuppressed().length < MAX_SUPPRESSED) {
          // Capped: a registry that throws one shared exception must not grow it per event.
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
