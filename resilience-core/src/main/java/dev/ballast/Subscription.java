package dev.ballast;

/**
 * A listener's registration with a component; closing it removes the listener.
 *
 * <p>Closing is idempotent and thread-safe.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  /** Removes the listener. Later events are not delivered to it; closing twice does nothing. */
  @Override
  void close();
}
