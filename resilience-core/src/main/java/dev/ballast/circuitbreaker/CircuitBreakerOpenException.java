package dev.ballast.circuitbreaker;

import dev.ballast.RejectedException;
import dev.ballast.Ticker;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a {@link CircuitBreaker} refuses a call: it is open, forced open, or half-open with
 * every probe taken. The reason is always {@link RejectedException.Reason#DEPENDENCY_FAILURE}.
 *
 * <p>While the breaker refuses, one instance serves every caller of a period (one {@code OPEN}
 * wait, one {@code FORCED_OPEN} or {@code HALF_OPEN} spell), so that refusing allocates nothing: it
 * carries no stack trace, records no suppressed exceptions and no later cause, and {@link
 * #retryAfter()} is computed from the period's deadline each time it is read. With {@link
 * CircuitBreakerConfig.Builder#stackTraces(boolean) stackTraces(true)} every refusal builds its
 * own, with the caller's stack trace.
 *
 * <p>Immutable and thread-safe.
 */
public final class CircuitBreakerOpenException extends RejectedException {
  private static final long serialVersionUID = 2L;

  /** The deadline of a refusal that does not know when calls resume. */
  static final long NO_DEADLINE = Long.MIN_VALUE;

  private final CircuitBreakerState state;
  private final long deadline;
  private final transient @Nullable Ticker ticker; // null after deserialisation: no retryAfter

  /**
   * A refusal by {@code state}.
   *
   * @param deadline the ticker reading at which an {@code OPEN} breaker's wait ends, or {@link
   *     #NO_DEADLINE}
   */
  CircuitBreakerOpenException(
      String name, CircuitBreakerState state, long deadline, Ticker ticker, boolean stackTrace) {
    super(
        name,
        Reason.DEPENDENCY_FAILURE,
        null,
        "circuit breaker '" + name + "' is " + state,
        stackTrace);
    this.state = state;
    this.deadline = deadline;
    this.ticker = ticker;
  }

  /**
   * The state that refused the call.
   *
   * @return {@code OPEN}, {@code HALF_OPEN} or {@code FORCED_OPEN}
   */
  public CircuitBreakerState state() {
    return state;
  }

  /**
   * How long until an {@code OPEN} breaker lets the next request through as a probe, computed now
   * from the end of its wait: zero once the wait is over. Empty for {@code FORCED_OPEN} (it waits
   * for an operator) and {@code HALF_OPEN} (it waits for its probes).
   *
   * @return the wait left, or empty when unknown
   */
  @Override
  public Optional<Duration> retryAfter() {
    long nanos = remainingNanos();
    return nanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
  }

  /**
   * Names the breaker and its state and, for {@code OPEN}, the wait left now in milliseconds.
   *
   * @return the message
   */
  @Override
  public String getMessage() {
    String base = "circuit breaker '" + component() + "' is " + state;
    long nanos = remainingNanos();
    return nanos < 0 ? base : base + "; retry after " + nanos / 1_000_000 + " ms";
  }

  /** The wait left, {@code >= 0}, or {@code -1} when unknown. */
  private long remainingNanos() {
    Ticker t = ticker;
    if (deadline == NO_DEADLINE || t == null) {
      return -1;
    }
    return Math.max(0, deadline - t.read());
  }
}
