package dev.ballast;

/**
 * A monotonic source of nanoseconds, injected into every component that measures time so that tests
 * can drive time by hand.
 *
 * <p>Implementations must be thread-safe and never go backwards. The only place in Ballast that
 * reads {@link System#nanoTime()} is {@link #system()}.
 */
@FunctionalInterface
public interface Ticker {
  /**
   * Reads the ticker.
   *
   * @return nanoseconds from an arbitrary, fixed origin; only differences are meaningful
   */
  long read();

  /**
   * The ticker of the running JVM, backed by {@link System#nanoTime()}.
   *
   * @return the shared system ticker
   */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}

/** The JVM's monotonic clock. */
enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long read() {
    return System.nanoTime();
  }
}
