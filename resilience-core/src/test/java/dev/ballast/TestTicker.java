package dev.ballast;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A manual ticker for core's own tests (core's tests cannot depend on the testkit). Advancing it
 * notifies its listeners on the advancing thread, which is how {@link TestScheduler} runs what came
 * due.
 */
public final class TestTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final List<Runnable> onAdvance = new CopyOnWriteArrayList<>();

  @Override
  public long read() {
    return nanos.get();
  }

  public void advance(Duration d) {
    advanceNanos(d.toNanos());
  }

  public void advanceMillis(long millis) {
    advanceNanos(millis * 1_000_000L);
  }

  public void advanceNanos(long delta) {
    if (delta < 0) {
      throw new IllegalArgumentException("delta must be >= 0, was " + delta);
    }
    nanos.addAndGet(delta);
    for (Runnable r : onAdvance) {
      r.run();
    }
  }

  void onAdvance(Runnable listener) {
    onAdvance.add(listener);
  }
}
