package dev.ballast.internal;

import java.time.Duration;

/** Argument checks whose messages name the parameter and the value given. Not API. */
public final class Preconditions {
  private Preconditions() {}

  /**
   * Checks {@code value} is not null.
   *
   * @param name the parameter's name
   * @param value the value given
   * @param <T> its type
   * @return {@code value}
   */
  public static <T> T notNull(String name, T value) {
    if (value == null) {
      throw new NullPointerException(name + " must not be null"); // no lambda: free on hot paths
    }
    return value;
  }

  /**
   * Checks {@code value} is a name: not null and not blank.
   *
   * @param name the parameter's name
   * @param value the value given
   * @return {@code value}
   */
  public static String notBlank(String name, String value) {
    notNull(name, value);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank, was '" + value + "'");
    }
    return value;
  }

  /**
   * Checks {@code value >= 1}.
   *
   * @param name the parameter's name
   * @param value the value given
   * @return {@code value}
   */
  public static int positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, was " + value);
    }
    return value;
  }

  /**
   * Checks {@code value} lies in {@code (0, 1]}.
   *
   * @param name the parameter's name
   * @param value the value given
   * @return {@code value}
   */
  public static double fraction(String name, double value) {
    if (!(value > 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(name + " must be in (0, 1], was " + value);
    }
    return value;
  }

  /**
   * Checks {@code value} is a finite number {@code >= min}.
   *
   * @param name the parameter's name
   * @param value the value given
   * @param min the least value allowed
   * @return {@code value}
   */
  public static double atLeast(String name, double value, double min) {
    if (!(value >= min) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          name + " must be a finite number >= " + min + ", was " + value);
    }
    return value;
  }

  /**
   * Checks {@code value} is non-null and strictly positive.
   *
   * @param name the parameter's name
   * @param value the value given
   * @return {@code value}
   */
  public static Duration positive(String name, Duration value) {
    notNull(name, value);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, was " + value);
    }
    return value;
  }

  /**
   * Checks {@code value <= max}.
   *
   * @param name the parameter's name
   * @param value the value given
   * @param max the largest value allowed
   * @return {@code value}
   */
  public static Duration atMost(String name, Duration value, Duration max) {
    if (value.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " must be <= " + max + ", was " + value);
    }
    return value;
  }
}
