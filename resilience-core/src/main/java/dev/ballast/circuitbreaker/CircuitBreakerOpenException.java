package dev.ballast.circuitbreaker;

import dev.ballast.RejectedException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a {@link CircuitBreaker} refuses a call: it is open, forced open, or half-open with
 * every probe taken. The reason is always {@link RejectedException.Reason#DEPENDENCY_FAILURE}.
 *
 * <p>Immutable and thread-safe.
 */
public final class CircuitBreakerOpenException extends RejectedException {
  private static final long serialVersionUID = 1L;

  private final CircuitBreakerState state;

  CircuitBreakerOpenException(
      String name, CircuitBreakerState state, @Nullable Duration retryAfter, boolean stackTrace) {
    super(
        name,
        Reason.DEPENDENCY_FAILURE,
        retryAfter,
        "circuit breaker '"
            + name
            + "' is "
            + state
            + (retryAfter == null ? "" : "; retry after " + retryAfter.toMillis() + " ms"),
        stackTrace);
    this.state = state;
  }

  /**
   * The state that refused the call.
   *
   * @return {@code OPEN}, {@code HALF_OPEN} or {@code FORCED_OPEN}
   */
  public CircuitBreakerState state() {
    return state;
  }
}
