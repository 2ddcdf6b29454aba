package dev.ballast.micrometer;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Argument checks of the binders' public entries, with messages that name the parameter, as core's
 * do ({@code "breaker must not be null"}, {@code "tags[2] must not be null"}).
 *
 * <p>Thread-safe: stateless.
 */
final class Preconditions {
  private Preconditions() {}

  /**
   * Returns the value, or throws a {@link NullPointerException} naming it.
   *
   * @param name the parameter's name, or where the value sits in it ({@code tags[2].key})
   * @param value the value
   * @return the value
   */
  static <T> T notNull(String name, @Nullable T value) {
    return Objects.requireNonNull(value, () -> name + " must not be null");
  }
}
