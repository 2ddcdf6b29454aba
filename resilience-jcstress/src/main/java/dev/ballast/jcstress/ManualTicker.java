package dev.ballast.jcstress;

import dev.ballast.Ticker;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A ticker that moves only when told, so that a state reaches the state it needs without waiting.
 */
final class ManualTicker implements Ticker {
  private final AtomicLong now = new AtomicLong();

  @Override
  public long read() {
    return now.get();
  }

  void advance(long nanos) {
    now.addAndGet(nanos);
  }
}
