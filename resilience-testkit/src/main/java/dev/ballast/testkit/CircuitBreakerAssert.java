package dev.ballast.testkit;

import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.circuitbreaker.CircuitBreakerStats;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link CircuitBreaker}, made by {@link
 * BallastAssertions#assertThat(CircuitBreaker)}. Each check takes a fresh {@linkplain
 * CircuitBreaker#stats() stats snapshot}, and a failure message names the breaker and shows that
 * snapshot, so it says what the breaker was doing, not only which figure was wrong.
 *
 * <p>Not thread-safe, like every AssertJ assertion: use it on the test's thread, after the threads
 * that drive the breaker have been joined.
 */
public final class CircuitBreakerAssert
    extends AbstractAssert<CircuitBreakerAssert, CircuitBreaker> {
  /** How far a rate may be from the expected one and still pass. */
  private static final double RATE_TOLERANCE = 1e-9;

  CircuitBreakerAssert(CircuitBreaker actual) {
    super(actual, CircuitBreakerAssert.class);
  }

  /**
   * Checks that the breaker is {@link CircuitBreakerState#CLOSED}.
   *
   * @return this assertion
   */
  public CircuitBreakerAssert isClosed() {
    return hasState(CircuitBreakerState.CLOSED);
  }

  /**
   * Checks that the breaker is {@link CircuitBreakerState#OPEN}.
   *
   * @return this assertion
   */
  public CircuitBreakerAssert isOpen() {
    return hasState(CircuitBreakerState.OPEN);
  }

  /**
   * Checks that the breaker is {@link CircuitBreakerState#HALF_OPEN}.
   *
   * @return this assertion
   */
  public CircuitBreakerAssert isHalfOpen() {
    return hasState(CircuitBreakerState.HALF_OPEN);
  }

  /**
   * Checks that the breaker is {@link CircuitBreakerState#DISABLED}.
   *
   * @return this assertion
   */
  public CircuitBreakerAssert isDisabled() {
    return hasState(CircuitBreakerState.DISABLED);
  }

  /**
   * Checks that the breaker is {@link CircuitBreakerState#FORCED_OPEN}.
   *
   * @return this assertion
   */
  public CircuitBreakerAssert isForcedOpen() {
    return hasState(CircuitBreakerState.FORCED_OPEN);
  }

  /**
   * Checks the breaker's state. Reading the state does not move the breaker: an {@code OPEN}
   * breaker whose wait is over stays {@code OPEN} until the next call asks for a permit.
   *
   * @param expected the state it should be in
   * @return this assertion
   */
  public CircuitBreakerAssert hasState(CircuitBreakerState expected) {
    Objects.requireNonNull(expected, "expected must not be null, was null");
    isNotNull();
    CircuitBreakerStats stats = actual.stats();
    if (stats.state() != expected) {
      reportFailure("to be %s but was %s", expected, stats.state(), stats);
    }
    return this;
  }

  /**
   * Checks the failure rate over the calls the trip rule holds, within {@code 1e-9}.
   *
   * @param expected the rate, a fraction in {@code [0, 1]}
   * @return this assertion
   */
  public CircuitBreakerAssert hasWindowFailureRate(double expected) {
    isNotNull();
    CircuitBreakerStats stats = actual.stats();
    if (!(Math.abs(stats.windowFailureRate() - expected) <= RATE_TOLERANCE)) {
      reportFailure(
          "to have window failure rate %s but was %s", expected, stats.windowFailureRate(), stats);
    }
    return this;
  }

  /**
   * Checks the number of calls the trip rule holds.
   *
   * @param expected the calls in the window
   * @return this assertion
   */
  public CircuitBreakerAssert hasWindowCalls(long expected) {
    isNotNull();
    CircuitBreakerStats stats = actual.stats();
    if (stats.windowCalls() != expected) {
      reportFailure("to have %s window calls but had %s", expected, stats.windowCalls(), stats);
    }
    return this;
  }

  /**
   * Checks the number of calls refused since the breaker was created.
   *
   * @param expected the rejections
   * @return this assertion
   */
  public CircuitBreakerAssert hasRejections(long expected) {
    isNotNull();
    CircuitBreakerStats stats = actual.stats();
    if (stats.rejections() != expected) {
      reportFailure("to have %s rejections but had %s", expected, stats.rejections(), stats);
    }
    return this;
  }

  /**
   * Fails with "Expecting circuit breaker 'name' " + what, then the stats snapshot. Every value
   * goes through a format argument, so a '%' in a name cannot break the message.
   */
  private void reportFailure(String what, Object expected, Object was, CircuitBreakerStats stats) {
    failWithMessage(
        "%nExpecting circuit breaker '%s' " + what + "%nstats: %s",
        actual.name(),
        expected,
        was,
        stats);
  }
}
