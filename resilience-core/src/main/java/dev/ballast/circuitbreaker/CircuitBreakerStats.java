package dev.ballast.circuitbreaker;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a {@link CircuitBreaker}'s figures, taken by {@link CircuitBreaker#stats()}.
 *
 * <p>Naming: a count since the breaker was created is a plural noun ({@link #rejections()}); a
 * figure of the trip rule's window says so ({@code window...}). Window rates are fractions in
 * {@code [0, 1]} over the calls the window currently holds ({@link #windowCalls()}); they are
 * {@code 0} when it holds none. For the consecutive-failures rule {@link #windowFailures()} is the
 * current streak; for the leaky bucket it is the bucket's level. In {@code HALF_OPEN} the window
 * figures are the period's probes; in {@code OPEN} and {@code FORCED_OPEN} they are zero, and
 * {@link #lastTrip()} keeps the window's figures that opened the breaker, under the same names.
 * Immutable and thread-safe.
 */
public final class CircuitBreakerStats {
  private final CircuitBreakerState state;
  private final double windowFailureRate;
  private final double windowSlowCallRate;
  private final long windowCalls;
  private final long windowFailures;
  private final long windowSlowCalls;
  private final long windowSuccesses;
  private final long rejections;
  private final long nanosUntilProbe;
  private final long openWaitNanos;
  private final long hintNanos;
  private final @Nullable Trip lastTrip;

  CircuitBreakerStats(
      CircuitBreakerState state,
      TripWindow.Figures figures,
      long windowSuccesses,
      long rejections,
      long nanosUntilProbe,
      long openWaitNanos,
      long hintNanos,
      @Nullable Trip lastTrip,
      long now) {
    this.state = state;
    this.windowFailureRate = figures.failureRate();
    this.windowSlowCallRate = figures.slowCallRate();
    this.windowCalls = figures.calls;
    this.windowFailures = figures.failures;
    this.windowSlowCalls = figures.slowCalls;
    this.windowSuccesses = windowSuccesses;
    this.rejections = rejections;
    this.nanosUntilProbe = nanosUntilProbe;
    this.openWaitNanos = openWaitNanos;
    this.hintNanos = hintNanos;
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
   * Failed calls over the window's calls.
   *
   * @return the failure rate in {@code [0, 1]}
   */
  public double windowFailureRate() {
    return windowFailureRate;
  }

  /**
   * Slow calls over the window's calls.
   *
   * @return the slow-call rate in {@code [0, 1]}
   */
  public double windowSlowCallRate() {
    return windowSlowCallRate;
  }

  /**
   * Calls the trip rule currently holds (in {@code HALF_OPEN}: probes let through).
   *
   * @return the number of buffered calls
   */
  public long windowCalls() {
    return windowCalls;
  }

  /**
   * Failed calls among the window's calls (streak or bucket level for those rules).
   *
   * @return the failure count
   */
  public long windowFailures() {
    return windowFailures;
  }

  /**
   * Slow calls among the window's calls.
   *
   * @return the slow-call count
   */
  public long windowSlowCalls() {
    return windowSlowCalls;
  }

  /**
   * Calls in the window that did not fail ({@code windowCalls - windowFailures}; slow successes
   * included); in {@code HALF_OPEN}, the probes that succeeded so far. Zero for the
   * consecutive-failures and leaky-bucket rules, which hold only faults.
   *
   * @return the success count
   */
  public long windowSuccesses() {
    return windowSuccesses;
  }

  /**
   * Calls refused since the breaker was created.
   *
   * @return the rejection count
   */
  public long rejections() {
    return rejections;
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
   * The whole wait of the current {@code OPEN} period, from the moment it opened to the first
   * probe: the breaker's own wait ({@code waitInOpen}, grown on repeated trips), or what a back-off
   * hint set ({@link #openWaitHint()}). Zero in every other state.
   *
   * @return the wait, never negative
   */
  public Duration openWait() {
    return Duration.ofNanos(openWaitNanos);
  }

  /**
   * The back-off hint the current {@code OPEN} period honours: what an outcome asked for (capped by
   * {@link CircuitBreakerConfig#backOffHintCap()}), which set {@link #openWait()} (exactly, or as
   * its floor with {@link CircuitBreakerConfig#hintAtLeastOwnWait()}). Empty when the breaker's own
   * wait set it (the trip rule, a failed probe, an open-at-once outcome), and in every other state.
   *
   * @return the hint, or empty
   */
  public Optional<Duration> openWaitHint() {
    return hintNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(hintNanos));
  }

  /**
   * The last time the trip rule opened the breaker from {@code CLOSED}, with the figures that
   * opened it, kept after the breaker closes again and across {@link CircuitBreaker#reset()}. A
   * probe that fails reopens the breaker without replacing it; forcing the breaker open is not a
   * trip, nor is opening for a back-off hint or an open-at-once outcome.
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
        + ", windowFailureRate="
        + windowFailureRate
        + ", windowSlowCallRate="
        + windowSlowCallRate
        + ", windowCalls="
        + windowCalls
        + ", windowFailures="
        + windowFailures
        + ", windowSlowCalls="
        + windowSlowCalls
        + ", windowSuccesses="
        + windowSuccesses
        + ", rejections="
        + rejections
        + ", timeUntilProbe="
        + timeUntilProbe()
        + ", openWait="
        + openWait()
        + ", openWaitHint="
        + (hintNanos < 0 ? "none" : openWaitHint().orElseThrow())
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
    public double windowFailureRate() {
      return figures.failureRate();
    }

    /**
     * The slow-call rate over the window when it tripped.
     *
     * @return a fraction in {@code [0, 1]}
     */
    public double windowSlowCallRate() {
      return figures.slowCallRate();
    }

    /**
     * The calls the window held when it tripped (the streak, or the bucket's level, for those
     * rules).
     *
     * @return the call count
     */
    public long windowCalls() {
      return figures.calls;
    }

    /**
     * The failures among them.
     *
     * @return the failure count
     */
    public long windowFailures() {
      return figures.failures;
    }

    /**
     * The slow calls among them.
     *
     * @return the slow-call count
     */
    public long windowSlowCalls() {
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
          + ", windowFailureRate="
          + windowFailureRate()
          + ", windowSlowCallRate="
          + windowSlowCallRate()
          + ", windowCalls="
          + windowCalls()
          + ", windowFailures="
          + windowFailures()
          + ", windowSlowCalls="
          + windowSlowCalls()
          + ", age="
          + age()
          + '}';
    }
  }
}
