package dev.ballast.internal;

import dev.ballast.Subscription;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The listeners of one component and the one way every pattern tells them something: {@link #emit},
 * which loops once over a bounded copy-on-write array, guards each listener on its own, and applies
 * the one rule for a listener that throws. Not API.
 *
 * <p>The rule: anything but a {@link VirtualMachineError} is logged through the component's {@link
 * ThrottledLog} (at most one line per interval, with a count of those suppressed) and ignored; the
 * first {@code VirtualMachineError} is rethrown once every listener has heard the event. Callers
 * emit only after the state change they report, so the component is consistent whatever propagates.
 *
 * <p>An event is a lambda that captures nothing, such as {@code (l, error, x, y) -> l.onFailure(x,
 * error)}, kept in a {@code static final} field: emitting allocates nothing. With nobody listening,
 * {@link #emit} is one volatile read and an empty loop; {@link #isEmpty} lets a caller skip work
 * (reading the clock, building a message) that only listeners need.
 *
 * <p>Thread-safe and lock-free. A listener may add or remove listeners, or call the component, from
 * inside an event: the delivery in progress goes on over the array it started with.
 *
 * @param <L> the listener type
 */
public final class Listeners<L> {

  /*
   * Implementation notes.
   *
   * `all` is an immutable array replaced by CAS (copy-on-write, at most MAX). An emit racing with
   * a change may use the old array, which is benign: an event delivered to a listener that was
   * just removed, or missed by one just added. `onChange` runs after each successful change, on
   * the changing thread (the breaker uses it to decide whether calls must be timed).
   */

  /** The most listeners one component accepts. */
  public static final int MAX = 64;

  private static final String LISTENER_THREW = "listener threw; ignored";
  private static final Object[] NONE = {};
  private static final VarHandle ALL;

  static {
    try {
      ALL = MethodHandles.lookup().findVarHandle(Listeners.class, "all", Object[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * One kind of event made of numbers and an optional error, such as {@code (l, error, nanos, y) ->
   * l.onFailure(nanos, error)}. Implemented by lambdas that capture nothing, so that emitting
   * allocates nothing; unused arguments are passed as {@code null} or {@code 0}.
   *
   * @param <L> the listener type
   */
  @FunctionalInterface
  public interface Event<L> {
    /**
     * Delivers the event to one listener.
     *
     * @param listener the listener
     * @param error the event's error, or {@code null}
     * @param x the first number
     * @param y the second number
     */
    void deliver(L listener, @Nullable Throwable error, long x, long y);
  }

  /**
   * One kind of event that also carries one object that is never null, such as a state: {@code (l,
   * state, error, x, y) -> l.onRejected(state)}. Implemented by lambdas that capture nothing.
   *
   * @param <L> the listener type
   * @param <A> the object's type
   */
  @FunctionalInterface
  public interface Event1<L, A> {
    /**
     * Delivers the event to one listener.
     *
     * @param listener the listener
     * @param a the object, never null
     * @param error the event's error, or {@code null}
     * @param x the first number
     * @param y the second number
     */
    void deliver(L listener, A a, @Nullable Throwable error, long x, long y);
  }

  private final String owner;
  private final ThrottledLog log;
  private final Runnable onChange;
  private volatile Object[] all = NONE;

  /**
   * Creates an empty list.
   *
   * @param owner names the component in messages, such as {@code "retry 'inventory'"}
   * @param log the component's throttled line for listeners that throw
   */
  public Listeners(String owner, ThrottledLog log) {
    this(owner, log, () -> {});
  }

  /**
   * Creates an empty list that runs {@code onChange} after every change.
   *
   * @param owner names the component in messages, such as {@code "retry 'inventory'"}
   * @param log the component's throttled line for listeners that throw
   * @param onChange runs after every change, on the changing thread
   */
  public Listeners(String owner, ThrottledLog log, Runnable onChange) {
    this.owner = Preconditions.notNull("owner", owner);
    this.log = Preconditions.notNull("log", log);
    this.onChange = Preconditions.notNull("onChange", onChange);
  }

  /**
   * Whether nobody listens; one volatile read.
   *
   * @return {@code true} when no listener is registered
   */
  public boolean isEmpty() {
    return all.length == 0;
  }

  /**
   * How many listeners are registered.
   *
   * @return the count, at most {@link #MAX}
   */
  public int size() {
    return all.length;
  }

  /**
   * Adds a listener. Adding the same listener twice registers it twice (it hears every event
   * twice); each subscription removes one.
   *
   * @param listener the listener
   * @return the subscription that removes it; closing it again does nothing
   * @throws NullPointerException when {@code listener} is null
   * @throws IllegalStateException when {@link #MAX} listeners are already registered
   */
  public Subscription add(L listener) {
    Preconditions.notNull("listener", listener);
    Holder holder = new Holder(listener);
    while (true) {
      Object[] before = all;
      if (before.length >= MAX) {
        throw new IllegalStateException(owner + " already has " + MAX + " listeners");
      }
      Object[] next = Arrays.copyOf(before, before.length + 1);
      next[before.length] = holder;
      if (ALL.compareAndSet(this, before, next)) {
        break;
      }
    }
    onChange.run();
    return holder;
  }

  /**
   * Tells every listener about one event, each guarded on its own: see the class comment for the
   * rule when one throws.
   *
   * @param event the event, a lambda that captures nothing
   * @param error the event's error, or {@code null}
   * @param x the first number
   * @param y the second number
   * @throws VirtualMachineError the first one a listener threw, after every listener heard
   */
  @SuppressWarnings("unchecked") // every holder was made by add, from an L
  public void emit(Event<L> event, @Nullable Throwable error, long x, long y) {
    VirtualMachineError pending = null;
    for (Object o : all) {
      try {
        event.deliver(((Holder) o).listener, error, x, y);
      } catch (Throwable e) {
        pending = threw(e, pending);
      }
    }
    rethrow(pending);
  }

  /**
   * Tells every listener about one event that carries an object, each guarded on its own: see the
   * class comment for the rule when one throws.
   *
   * @param event the event, a lambda that captures nothing
   * @param a the object, never null
   * @param error the event's error, or {@code null}
   * @param x the first number
   * @param y the second number
   * @param <A> the object's type
   * @throws VirtualMachineError the first one a listener threw, after every listener heard
   */
  @SuppressWarnings("unchecked") // every holder was made by add, from an L
  public <A> void emit(Event1<L, A> event, A a, @Nullable Throwable error, long x, long y) {
    VirtualMachineError pending = null;
    for (Object o : all) {
      try {
        event.deliver(((Holder) o).listener, a, error, x, y);
      } catch (Throwable e) {
        pending = threw(e, pending);
      }
    }
    rethrow(pending);
  }

  /** Logs a non-fatal throw; keeps the first VirtualMachineError to rethrow at the end. */
  private @Nullable VirtualMachineError threw(Throwable e, @Nullable VirtualMachineError pending) {
    VirtualMachineError fatal = log.callbackThrewDeferred(e, LISTENER_THREW);
    return pending != null ? pending : fatal;
  }

  private static void rethrow(@Nullable VirtualMachineError pending) {
    if (pending != null) {
      throw pending;
    }
  }

  private void remove(Holder target) {
    while (true) {
      Object[] before = all;
      int index = -1;
      for (int i = 0; i < before.length; i++) {
        if (before[i] == target) {
          index = i;
          break;
        }
      }
      if (index < 0) {
        return;
      }
      Object[] next = before.length == 1 ? NONE : new Object[before.length - 1];
      System.arraycopy(before, 0, next, 0, index);
      System.arraycopy(before, index + 1, next, index, before.length - index - 1);
      if (ALL.compareAndSet(this, before, next)) {
        onChange.run();
        return;
      }
    }
  }

  /** One registration: its own identity, so the same listener added twice is removed once. */
  private final class Holder implements Subscription {
    final L listener;

    Holder(L listener) {
      this.listener = listener;
    }

    @Override
    public void close() {
      remove(this);
    }
  }
}
