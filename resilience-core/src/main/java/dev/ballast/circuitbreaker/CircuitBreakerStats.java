package dev.ballast.circuitbreaker;

/**
 * A snapshot of a {@link CircuitBreaker}'s figures, taken by {@link CircuitBreaker#stats()}.
 *
 * <p>Rates are fractions in {@code [0, 1]} over the calls the trip rule currently holds ({@code
 * bufferedCalls}); they are {@code 0} when nothing is buffered. For the consecutive-failures rule
 * {@code failedCalls} is the current streak; for the leaky bucket it is the bucket's level.
 * Immutable and thread-safe.
 */
public final class CircuitBreakerStats {
  private final CircuitBreakerState state;
  private final double failureRate;
  private final double slowCallRate;
  private final long bufferedCalls;
  private final long failedCalls;
  private final long slowCalls;
  private final long rejectedCalls;

  CircuitBreakerStats(
      CircuitBreakerState state,
      double failureRate,
      double slowCallRate,
      long bufferedCalls,
      long failedCalls,
      long slowCalls,
      long rejectedCalls) {
    this.state = state;
    this.failureRate = failureRate;
    this.slowCallRate = slowCallRate;
    this.bufferedCalls = bufferedCalls;
    this.failedCalls = failedCalls;
    this.slowCalls = slowCalls;
    this.rejectedCalls = rejectedCalls;
  }

  /**
   * The state when the snapshot was taken.
   *
   * @return the state
   */
  public CircuitBreakerState state() {
    return state;
  }

  /**
   * Failed calls over buffered calls.
   *
   * @return the failure rate in {@code [0, 1]}
   */
  public double failureRate() {
    return failureRate;
  }

  /**
   * Slow calls over buffered calls.
   *
   * @return the slow-call rate in {@code [0, 1]}
   */
  public double slowCallRate() {
    return slowCallRate;
  }

  /**
   * Calls the trip rule currently holds.
   *
   * @return the number of buffered calls
   */
  public long bufferedCalls() {
    return bufferedCalls;
  }

  /**
   * Failed calls among the buffered ones (streak or bucket level for those rules).
   *
   * @return the failure count
   */
  public long failedCalls() {
    return failedCalls;
  }

  /**
   * Slow calls among the buffered ones.
   *
   * @return the slow-call count
   */
  public long slowCalls() {
    return slowCalls;
  }

  /**
   * Calls refused since the breaker was created.
   *
   * @return the rejection count
   */
  public long rejectedCalls() {
    return rejectedCalls;
  }

  @Override
  public String toString() {
    return "CircuitBreakerStats{state="
        + state
        + ", failureRate="
        + failureRate
        + ", slowCallRate="
        + slowCallRate
        + ", bufferedCalls="
        + bufferedCalls
        + ", failedCalls="
        + failedCalls
        + ", slowCalls="
        + slowCalls
        + ", rejectedCalls="
        + rejectedCalls
        + '}';
  }
}
