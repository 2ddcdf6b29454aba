package dev.ballast.circuitbreaker;

/** The states of a {@link CircuitBreaker}. Immutable and thread-safe. */
public enum CircuitBreakerState {
  /** Calls pass and are measured; the trip rule may open the breaker. */
  CLOSED,
  /** Calls are refused until the wait ends; then the next request moves to {@link #HALF_OPEN}. */
  OPEN,
  /** A bounded number of probe calls pass; enough successes close, any failure reopens. */
  HALF_OPEN,
  /** Operator state: every call passes and is measured, nothing trips. */
  DISABLED,
  /** Operator state: every call is refused until {@link CircuitBreaker#reset()}. */
  FORCED_OPEN
}
