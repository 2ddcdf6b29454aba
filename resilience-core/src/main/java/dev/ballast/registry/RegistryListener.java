package dev.ballast.registry;

/**
 * Hears components come into and leave a {@link BallastRegistry}. Every method has a no-op default;
 * override what you need. Events are delivered on the thread that added or removed the component,
 * after the change and outside any lock; a listener that throws is logged (rate-limited) and does
 * not change what the caller gets nor what the other listeners hear.
 *
 * <p>Implementations must be thread-safe: components may be added and removed from many threads.
 */
public interface RegistryListener {
  /**
   * A component was created and added.
   *
   * @param type its pattern
   * @param name its name
   * @param component the component, of {@code type.type()}
   */
  default void onAdded(ComponentType<?, ?> type, String name, Object component) {}

  /**
   * A component was removed (and closed, when it has a {@code close()}), or the registry closed.
   *
   * @param type its pattern
   * @param name its name
   * @param component the component, of {@code type.type()}
   */
  default void onRemoved(ComponentType<?, ?> type, String name, Object component) {}
}
