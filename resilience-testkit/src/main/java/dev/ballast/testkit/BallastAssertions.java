package dev.ballast.testkit;

import dev.ballast.circuitbreaker.CircuitBreaker;

/**
 * Entry point for the AssertJ assertions on Ballast components. Import it statically beside
 * AssertJ's own {@code Assertions.assertThat}; the overloads do not clash.
 *
 * <pre>{@code
 * import static dev.ballast.testkit.BallastAssertions.assertThat;
 *
 * assertThat(breaker).isOpen().hasRejections(3);
 * }</pre>
 *
 * <p>Stateless and thread-safe; the assertion objects it returns are not meant to be shared between
 * threads.
 */
public final class BallastAssertions {
  private BallastAssertions() {}

  /**
   * Starts assertions on a circuit breaker.
   *
   * @param actual the breaker under test
   * @return an assertion on it
   */
  public static CircuitBreakerAssert assertThat(CircuitBreaker actual) {
    return new CircuitBreakerAssert(actual);
  }
}
