package dev.ballast.fallback;

/**
 * A snapshot of a {@link Fallback}'s counts since it was created, taken by {@link
 * Fallback#stats()}.
 *
 * <p>Every call ends in exactly one of three ways: it passed through unchanged (its result or its
 * exception reached the caller as it was), a fallback function served a substitute (counted by
 * trigger), or a fallback function threw ({@link #fallbackFailures()}). So {@code calls} equals the
 * calls passed through plus {@link #fallbacks()} plus {@link #fallbackFailures()}, give or take the
 * calls in flight while the snapshot was taken (the counts are read one after another, not
 * atomically). Immutable and thread-safe.
 */
public final class FallbackStats {
  private final long calls;
  private final long exceptionFallbacks;
  private final long resultFallbacks;
  private final long rejectionFallbacks;
  private final long fallbackFailures;

  FallbackStats(
      long calls,
      long exceptionFallbacks,
      long resultFallbacks,
      long rejectionFallbacks,
      long fallbackFailures) {
    this.calls = calls;
    this.exceptionFallbacks = exceptionFallbacks;
    this.resultFallbacks = resultFallbacks;
    this.rejectionFallbacks = rejectionFallbacks;
    this.fallbackFailures = fallbackFailures;
  }

  /**
   * Calls made through the fallback, sync and async.
   *
   * @return the call count
   */
  public long calls() {
    return calls;
  }

  /**
   * Substitutes served for exceptions the call threw.
   *
   * @return the count for {@link FallbackTrigger#EXCEPTION}
   */
  public long exceptionFallbacks() {
    return exceptionFallbacks;
  }

  /**
   * Substitutes served for results the call returned.
   *
   * @return the count for {@link FallbackTrigger#RESULT}
   */
  public long resultFallbacks() {
    return resultFallbacks;
  }

  /**
   * Substitutes served for rejections (a breaker open, a bulkhead full).
   *
   * @return the count for {@link FallbackTrigger#REJECTION}
   */
  public long rejectionFallbacks() {
    return rejectionFallbacks;
  }

  /**
   * Substitutes served, all triggers together.
   *
   * @return the sum of the three fallback counts
   */
  public long fallbacks() {
    return exceptionFallbacks + resultFallbacks + rejectionFallbacks;
  }

  /**
   * Fallback functions that threw instead of serving a substitute, all triggers together.
   *
   * @return the failure count
   */
  public long fallbackFailures() {
    return fallbackFailures;
  }

  @Override
  public String toString() {
    return "FallbackStats{calls="
        + calls
        + ", exceptionFallbacks="
        + exceptionFallbacks
        + ", resultFallbacks="
        + resultFallbacks
        + ", rejectionFallbacks="
        + rejectionFallbacks
        + ", fallbackFailures="
        + fallbackFailures
        + '}';
  }
}
