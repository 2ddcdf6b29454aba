package dev.ballast.queue;

import org.jspecify.annotations.Nullable;

/**
 * The elements of a {@link BoundedQueue} in arrival order: a circular array, with a parallel array
 * of arrival times when waits are measured, so that timing an element allocates nothing. Not
 * thread-safe: the queue's lock guards every use.
 */
final class Ring {

  private @Nullable Object[] items;
  private long @Nullable [] times;
  private int head;
  private int count;

  Ring(int length, boolean timed) {
    this.items = new Object[length];
    this.times = timed ? new long[length] : null;
  }

  int count() {
    return count;
  }

  int length() {
    return items.length;
  }

  boolean timed() {
    return times != null;
  }

  private int index(int i) {
    int j = head + i;
    return j >= items.length ? j - items.length : j;
  }

  void add(Object e, long time) {
    int i = index(count);
    items[i] = e;
    long[] t = times;
    if (t != null) {
      t[i] = time;
    }
    count++;
  }

  /** The arrival time of the first element; the ring is timed and not empty. */
  long firstTime() {
    long[] t = times;
    return t == null ? 0 : t[head];
  }

  @Nullable Object first() {
    return count == 0 ? null : items[head];
  }

  Object removeFirst() {
    Object e = items[head];
    items[head] = null;
    head = head + 1 == items.length ? 0 : head + 1;
    count--;
    if (e == null) {
      throw new IllegalStateException("empty ring");
    }
    return e;
  }

  Object get(int i) {
    Object e = items[index(i)];
    if (e == null) {
      throw new IllegalStateException("no element at " + i);
    }
    return e;
  }

  /** Removes the {@code i}-th element, moving the later ones down. */
  void removeAt(int i) {
    long[] t = times;
    for (int k = i; k < count - 1; k++) {
      int to = index(k);
      int from = index(k + 1);
      items[to] = items[from];
      if (t != null) {
        t[to] = t[from];
      }
    }
    items[index(count - 1)] = null;
    count--;
  }

  void clear() {
    while (count > 0) {
      removeFirst();
    }
    head = 0;
  }

  /** Moves the elements into arrays of {@code length >= count}. */
  void resize(int length) {
    @Nullable Object[] newItems = new Object[length];
    long[] t = times;
    long[] newTimes = t == null ? null : new long[length];
    for (int k = 0; k < count; k++) {
      int from = index(k);
      newItems[k] = items[from];
      if (t != null && newTimes != null) {
        newTimes[k] = t[from];
      }
    }
    items = newItems;
    times = newTimes;
    head = 0;
  }

  Object[] toArray() {
    Object[] a = new Object[count];
    for (int k = 0; k < count; k++) {
      a[k] = get(k);
    }
    return a;
  }
}
