package dev.ballast.queue;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BoundedQueue}'s iterator: walks a snapshot of the elements taken under the queue's lock,
 * so it never throws {@code ConcurrentModificationException} and may miss later changes; {@code
 * remove} removes the last element returned from the queue (the first equal one). Not thread-safe,
 * like any iterator.
 */
final class SnapshotIterator<E> implements Iterator<E> {
  private final Object[] snapshot;
  private final Predicate<Object> remover;
  private int next;
  private @Nullable Object last;

  SnapshotIterator(Object[] snapshot, Predicate<Object> remover) {
    this.snapshot = snapshot;
    this.remover = remover;
  }

  @Override
  public boolean hasNext() {
    return next < snapshot.length;
  }

  @Override
  @SuppressWarnings("unchecked")
  public E next() {
    if (next >= snapshot.length) {
      throw new NoSuchElementException();
    }
    Object e = snapshot[next++];
    last = e;
    return (E) e;
  }

  @Override
  public void remove() {
    Object l = last;
    if (l == null) {
      throw new IllegalStateException("next() not called, or remove() called already");
    }
    last = null;
    if (!remover.test(l)) {
      return; // taken by a consumer since the snapshot: nothing left to remove
    }
  }
}
