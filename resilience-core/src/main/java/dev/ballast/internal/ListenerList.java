package dev.ballast.internal;

import dev.ballast.Subscription;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The listeners of one component: a bounded copy-on-write array, and the one listener the hot path
 * calls (the shared no-op, the single listener, or a fan-out over several). Not API.
 *
 * <p>Thread-safe and lock-free. {@link #current()} is one volatile read.
 *
 * @param <L> the listener type
 */
public final class ListenerList<L> {

  /*
   * Implementation notes.
   *
   * `all` is an immutable array replaced by CAS (copy-on-write, at most MAX). `current` is derived
   * from `all` and written only after a successful CAS, then re-published until it matches the
   * array it was derived from: two racing writers may publish out of order, and the loop makes
   * the last word the newest array's. A call racing with a change may see the old `current`, which
   * is benign (an event delivered to a listener that was just removed, or missed by one just
   * added). `onChange` runs after each publication, on the changing thread.
   */

  /** The most listeners one component accepts. */
  public static final int MAX = 64;

  private static final VarHandle ALL;

  static {
    try {
      ALL = MethodHandles.lookup().findVarHandle(ListenerList.class, "all", Object[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String owner;
  private final L noop;
  private final Function<Object[], L> fanOut;
  private final Runnable onChange;
  private volatile Object[] all = new Object[0];
  private volatile L current;

  /**
   * Creates an empty list.
   *
   * @param owner names the component in messages, such as {@code "retry 'inventory'"}
   * @param noop the shared no-op listener, current while the list is empty
   * @param fanOut builds the listener that delivers to every element of an array of two or more
   *     (each element is an {@code L})
   * @param onChange runs after every change, on the changing thread
   */
  public ListenerList(String owner, L noop, Function<Object[], L> fanOut, Runnable onChange) {
    this.owner = owner;
    this.noop = noop;
    this.fanOut = fanOut;
    this.onChange = onChange;
    this.current = noop;
  }

  /**
   * The listener to call: the no-op when nobody listens.
   *
   * @return the current listener
   */
  public L current() {
    return current;
  }

  /**
   * Whether nobody listens.
   *
   * @return {@code true} when the current listener is the no-op
   */
  public boolean isEmpty() {
    return current == noop;
  }

  /**
   * Adds a listener.
   *
   * @param listener the listener
   * @return the subscription that removes it
   * @throws IllegalStateException when {@link #MAX} listeners are already registered
   */
  public Subscription add(L listener) {
    Preconditions.notNull("listener", listener);
    while (true) {
      Object[] before = all;
      if (before.length >= MAX) {
        throw new IllegalStateException(owner + " already has " + MAX + " listeners");
      }
      Object[] next = Arrays.copyOf(before, before.length + 1);
      next[before.length] = listener;
      if (ALL.compareAndSet(this, before, next)) {
        publish(next);
        break;
      }
    }
    return () -> remove(listener);
  }

  private void remove(Object target) {
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
      Object[] next = new Object[before.length - 1];
      System.arraycopy(before, 0, next, 0, index);
      System.arraycopy(before, index + 1, next, index, before.length - index - 1);
      if (ALL.compareAndSet(this, before, next)) {
        publish(next);
        return;
      }
    }
  }

  @SuppressWarnings("unchecked") // every element was added as an L
  private void publish(Object[] published) {
    Object[] view = published;
    while (true) {
      current = view.length == 0 ? noop : view.length == 1 ? (L) view[0] : fanOut.apply(view);
      Object[] latest = all;
      if (latest == view) {
        break;
      }
      view = latest;
    }
    onChange.run();
  }
}
