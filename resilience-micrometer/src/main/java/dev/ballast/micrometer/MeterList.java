package dev.ballast.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The meters one binder registered in one registry, so that they can all be removed: made by {@link
 * Binder#bindTo} before the {@link MeterSet} that fills it, so that the meters registered before a
 * failed registration are removed too.
 *
 * <p>Thread-safe. The list is guarded by {@link #lock}, which only registration and {@link
 * #removeAll()} take, so that a meter registered late (a transition counter) cannot outlive {@link
 * #removeAll()}.
 */
final class MeterList {
  final MeterRegistry registry;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Meter> meters = new ArrayList<>(); // guarded by lock
  private boolean removed; // guarded by lock

  MeterList(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Remembers a meter for {@link #removeAll()}; if that already ran, removes the meter at once.
   *
   * @return the meter
   */
  <M extends Meter> M keep(M meter) {
    lock.lock();
    try {
      if (removed) {
        registry.remove(meter);
      } else {
        meters.add(meter);
      }
    } finally {
      lock.unlock();
    }
    return meter;
  }

  /** Removes every meter kept; later {@link #keep} calls remove theirs at once. */
  void removeAll() {
    lock.lock();
    try {
      removed = true;
      for (Meter meter : meters) {
        registry.remove(meter);
      }
      meters.clear();
    } finally {
      lock.unlock();
    }
  }
}
