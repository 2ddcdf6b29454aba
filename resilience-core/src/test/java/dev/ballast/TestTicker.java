package dev.ballast;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A manual ticker for core's own tests (core's tests cannot depend on the testkit). */
public final class TestTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Override
  public long read() {
    return nanos.get();
  }

  public void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  public void advanceMillis(long millis) {
    nanos.addAndGet(millis * 1_000_000L);
  }
}
