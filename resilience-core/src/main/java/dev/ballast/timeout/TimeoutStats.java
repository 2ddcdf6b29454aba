package dev.ballast.timeout;

import java.time.Duration;

/**
 * A snapshot of a {@link Timeout}'s figures, taken by {@link Timeout#stats()}.
 *
 * <p>Counts are since the timeout was created and cover ended calls only: {@link #calls()} is the
 * sum of successes, failures, rejections and timeouts; a call still running, or an async call
 * cancelled by its caller, is not counted. The counters are read one after another, not atomically,
 * so a snapshot taken under load may be off by the calls that ended while it was taken. Immutable
 * and thread-safe.
 */
public final class TimeoutStats {
  private final long successes;
  private final long failures;
  private final long rejections;
  private final long timeouts;
  private final long abandonedRunning;
  private final Duration duration;

  TimeoutStats(
      long successes,
      long failures,
      long rejections,
      long timeouts,
      long abandonedRunning,
      Duration duration) {
    this.successes = successes;
    this.failures = failures;
    this.rejections = rejections;
    this.timeouts = timeouts;
    this.abandonedRunning = abandonedRunning;
    this.duration = duration;
  }

  /**
   * Calls that ended, whatever their outcome.
   *
   * @return successes + failures + rejections + timeouts
   */
  public long calls() {
    return successes + failures + rejections + timeouts;
  }

  /**
   * Calls that returned a value before the deadline.
   *
   * @return the success count
   */
  public long successes() {
    return successes;
  }

  /**
   * Calls that threw before the deadline (anything but a {@link dev.ballast.RejectedException}).
   *
   * @return the failure count
   */
  public long failures() {
    return failures;
  }

  /**
   * Calls refused (a {@link dev.ballast.RejectedException}): by a policy inside this timeout, or by
   * the timeout itself when its executor did not accept the work ({@link
   * TimeoutRejectedException}); not failures of the dependency.
   *
   * @return the rejection count
   */
  public long rejections() {
    return rejections;
  }

  /**
   * Calls whose deadline passed: their caller got a {@link TimeoutExceededException}.
   *
   * @return the timeout count
   */
  public long timeouts() {
    return timeouts;
  }

  /**
   * Calls abandoned at their deadline ({@link Timeout.Mode#ABANDON}) whose work is still running on
   * the executor. It falls back as the work really ends.
   *
   * @return the abandoned calls still running
   */
  public long abandonedRunning() {
    return abandonedRunning;
  }

  /**
   * The timeout's current default duration.
   *
   * @return the duration
   */
  public Duration duration() {
    return duration;
  }

  @Override
  public String toString() {
    return "TimeoutStats{calls="
        + calls()
        + ", successes="
        + successes
        + ", failures="
        + failures
        + ", rejections="
        + rejections
        + ", timeouts="
        + timeouts
        + ", abandonedRunning="
        + abandonedRunning
        + ", duration="
        + duration
        + '}';
  }
}
