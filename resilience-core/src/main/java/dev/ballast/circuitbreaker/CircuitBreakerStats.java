package dev.ballast.circuitbreaker;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a {@link CircuitBreaker}'s figures, taken by {@link CircuitBreaker#stats()}.
 *
 * <p>Rates are fractions in {@code [0, 1]} over the calls the trip rule currently holds ({@code
 * bufferedCalls}); they are {@code 0} when nothing is buffered. For the consecutive-failures rule
 * {@code failedCalls} is the current streak; for the leaky bucket it is the bucket's level. In
 * {@code HALF_OPEN} the figures are the period's probes; in {@code OPEN} and {@code FORCED_OPEN}
 * they are zero, and {@link #lastTrip()} keeps the figures that opened the breaker. Immutable and
 * thread-safe.
 */
public final class CircuitBreakerStats {
  private final CircuitBreakerState state;
  private final double failureRate;
  private final double slowCallRate;
  private final long bufferedCalls;
  private final long failedCalls;
  private final long slowCalls;
  private final long successfulCalls;
  private final long rejectedCalls;
  private final long nanosUntilProbe;
  private final @Nullable Trip lastTrip;

  CircuitBreakerStats(
      CircuitBreakerState state,
      TripWindow.Figures figures,
      long successfulCalls,
      long rejectedCalls,
      long nanosUntilProbe,
      @Nullable Trip lastTrip,
      long now) {
    this.state = state;
    this.failureRate = figures.failureRate();
    this.slowCallRate = figures.slowCallRate();
    this.bufferedCalls = figures.calls;
    this.failedCalls = figures.failures;
    this.slowCalls = figures.slowCalls;
    this.successfulCalls = successfulCalls;
    this.rejectedCalls = rejectedCalls;
    this.nanosUntilProbe = nanosUntilProbe;
    this.lastTrip = lastTrip == null ? null : lastTrip.seenAt(now);
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
   * Calls the trip rule currently holds (in {@code HALF_OPEN}: probes let through).
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
   * Calls among the buffered ones that did not fail ({@code bufferedCalls - failedCalls}; slow
   * successes included); in {@code HALF_OPEN}, the probes that succeeded so far. Zero for the
   * consecutive-failures and leaky-bucket rules, which hold only faults.
   *
   * @return the success count
   */
  public long successfulCalls() {
    return successfulCalls;
  }

  /**
   * Calls refused since the breaker was created.
   *
   * @return the rejection count
   */
  public long rejectedCalls() {
    return rejectedCalls;
  }

  /**
   * How long an {@code OPEN} breaker still refuses before the next request becomes a probe; zero
   * once the wait is over, and in every other state ({@code FORCED_OPEN} never probes: it waits for
   * {@link CircuitBreaker#reset()}).
   *
   * @return the time left, never negative
   */
  public Duration timeUntilProbe() {
    return Duration.ofNanos(nanosUntilProbe);
  }

  /**
   * The last time the trip rule opened the breaker from {@code CLOSED}, with the figures that
   * opened it, kept after the breaker closes again and across {@link CircuitBreaker#reset()}. A
   * probe that fails reopens the breaker without replacing it; forcing the breaker open is not a
   * trip.
   *
   * @return the last trip, or empty when the breaker never tripped
   */
  public Optional<Trip> lastTrip() {
    return Optional.ofNullable(lastTrip);
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
        + ", successfulCalls="
        + successfulCalls
        + ", rejectedCalls="
        + rejectedCalls
        + ", timeUntilProbe="
        + timeUntilProbe()
        + ", lastTrip="
        + lastTrip
        + '}';
  }

  /**
   * What opened a breaker: the trip rule, the window's figures at that moment, and when. Immutable
   * and thread-safe.
   */
  public static final class Trip {
    private final CircuitBreakerConfig.TripRule rule;
    private final TripWindow.Figures figures;
    private final long tickerNanos;
    private final long ageNanos;

    Trip(CircuitBreakerConfig.TripRule rule, TripWindow.Figures figures, long tickerNanos) {
      this(rule, figures, tickerNanos, 0);
    }

    private Trip(
        CircuitBreakerConfig.TripRule rule,
        TripWindow.Figures figures,
        long tickerNanos,
        long ageNanos) {
      this.rule = rule;
      this.figures = figures;
      this.tickerNanos = tickerNanos;
      this.ageNanos = ageNanos;
    }

    Trip seenAt(long now) {
      return new Trip(rule, figures, tickerNanos, Math.max(0, now - tickerNanos));
    }

    TripWindow.Figures figures() {
      return figures;
    }

    /**
     * The rule that tripped.
     *
     * @return the trip rule
     */
    public CircuitBreakerConfig.TripRule rule() {
      return rule;
    }

    /**
     * The failure rate over the window when it tripped.
     *
     * @return a fraction in {@code [0, 1]}
     */
    public double failureRate() {
      return figures.failureRate();
    }

    /**
     * The slow-call rate over the window when it tripped.
     *
     * @return a fraction in {@code [0, 1]}
     */
    public double slowCallRate() {
      return figures.slowCallRate();
    }

    /**
     * The calls the window held when it tripped (the streak, or the bucket's level, for those
     * rules).
     *
     * @return the call count
     */
    public long calls() {
      return figures.calls;
    }

    /**
     * The failures among them.
     *
     * @return the failure count
     */
    public long failures() {
      return figures.failures;
    }

    /**
     * The slow calls among them.
     *
     * @return the slow-call count
     */
    public long slowCalls() {
      return figures.slowCalls;
    }

    /**
     * When it tripped, on the breaker's ticker (comparable with other readings of that ticker
     * only).
     *
     * @return the ticker reading in nanoseconds
     */
    public long tickerNanos() {
      return tickerNanos;
    }

    /**
     * How long before the snapshot it tripped.
     *
     * @return the time since the trip
     */
    public Duration age() {
      return Duration.ofNanos(ageNanos);
    }

    @Override
    public String toString() {
      return "Trip{rule="
          + rule
          + ", failureRate="
          + failureRate()
          + ", slowCallRate="
          + slowCallRate()
          + ", calls="
          + calls()
          + ", failures="
          + failures()
          + ", slowCalls="
          + slowCalls()
          + ", age="
          + age()
          + '}';
    }
  }
}
