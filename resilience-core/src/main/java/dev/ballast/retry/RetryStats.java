package dev.ballast.retry;

/**
 * A snapshot of a {@link Retry}'s counts since it was created, taken by {@link Retry#stats()}.
 *
 * <p>Every call that has ended is counted in exactly one of six outcomes: {@link
 * #successesWithoutRetry()}, {@link #successesAfterRetry()}, {@link #failuresWithoutRetry()},
 * {@link #failuresAfterRetry()}, {@link #rejections()} and {@link #budgetRefusals()}; {@link
 * #calls()} is their sum, so a snapshot taken while no call is in flight adds up exactly, and
 * attempts made = {@code calls() + retries()}.
 *
 * <p>Calls whose first attempt succeeds are counted only when the retry {@linkplain #callsCounted()
 * counts calls} ({@link RetryConfig.Builder#countCalls}, or a budget); otherwise {@code
 * successesWithoutRetry()} is 0 and {@code calls()} counts only the calls whose first attempt did
 * not succeed, which keeps that path free of any shared write.
 *
 * <p>Immutable and thread-safe. The counters are read one after the other, not atomically: under
 * load, a snapshot may count a call in {@code retries()} before its outcome.
 */
public final class RetryStats {
  private final boolean callsCounted;
  private final long successesWithoutRetry;
  private final long successesAfterRetry;
  private final long failuresWithoutRetry;
  private final long failuresAfterRetry;
  private final long rejections;
  private final long budgetRefusals;
  private final long retries;

  RetryStats(
      boolean callsCounted,
      long successesWithoutRetry,
      long successesAfterRetry,
      long failuresWithoutRetry,
      long failuresAfterRetry,
      long rejections,
      long budgetRefusals,
      long retries) {
    this.callsCounted = callsCounted;
    this.successesWithoutRetry = successesWithoutRetry;
    this.successesAfterRetry = successesAfterRetry;
    this.failuresWithoutRetry = failuresWithoutRetry;
    this.failuresAfterRetry = failuresAfterRetry;
    this.rejections = rejections;
    this.budgetRefusals = budgetRefusals;
    this.retries = retries;
  }

  /**
   * Whether calls whose first attempt succeeded are counted.
   *
   * @return {@code true} with {@link RetryConfig.Builder#countCalls} or a budget
   */
  public boolean callsCounted() {
    return callsCounted;
  }

  /**
   * Calls that have ended: the sum of the six outcomes.
   *
   * @return the call count
   */
  public long calls() {
    return successesWithoutRetry
        + successesAfterRetry
        + failuresWithoutRetry
        + failuresAfterRetry
        + rejections
        + budgetRefusals;
  }

  /**
   * Calls whose first attempt succeeded; 0 unless {@linkplain #callsCounted() calls are counted}.
   *
   * @return the count
   */
  public long successesWithoutRetry() {
    return successesWithoutRetry;
  }

  /**
   * Calls that succeeded after at least one retry.
   *
   * @return the count
   */
  public long successesAfterRetry() {
    return successesAfterRetry;
  }

  /**
   * Calls that failed without any retry: their failure was not one to retry (no retry rule matched,
   * or an abort rule did), or it was and the retry gave up at once ({@code maxAttempts} of 1, the
   * time bound, the delay function, an interrupt), or an async call was cancelled during its first
   * attempt or wait, or a callback threw a {@link VirtualMachineError} that went to the caller. A
   * result returned because retries ran out counts as a failure.
   *
   * @return the count
   */
  public long failuresWithoutRetry() {
    return failuresWithoutRetry;
  }

  /**
   * Calls that failed after at least one retry: the attempts or the time ran out, the delay
   * function said stop, the wait was interrupted, an async call was cancelled, a later attempt
   * failed in a way not retried, or a callback threw a {@link VirtualMachineError}.
   *
   * @return the count
   */
  public long failuresAfterRetry() {
    return failuresAfterRetry;
  }

  /**
   * Calls ended by a {@link dev.ballast.RejectedException} that was not retried, which went to the
   * caller unchanged (a breaker open or a bulkhead full further in).
   *
   * @return the count
   */
  public long rejections() {
    return rejections;
  }

  /**
   * Calls whose retry the budget refused; their failure went to the caller at once.
   *
   * @return the count
   */
  public long budgetRefusals() {
    return budgetRefusals;
  }

  /**
   * Retries made: attempts after the first.
   *
   * @return the count
   */
  public long retries() {
    return retries;
  }

  @Override
  public String toString() {
    return "RetryStats{calls="
        + calls()
        + ", callsCounted="
        + callsCounted
        + ", successesWithoutRetry="
        + successesWithoutRetry
        + ", successesAfterRetry="
        + successesAfterRetry
        + ", failuresWithoutRetry="
        + failuresWithoutRetry
        + ", failuresAfterRetry="
        + failuresAfterRetry
        + ", rejections="
        + rejections
        + ", budgetRefusals="
        + budgetRefusals
        + ", retries="
        + retries
        + '}';
  }
}
