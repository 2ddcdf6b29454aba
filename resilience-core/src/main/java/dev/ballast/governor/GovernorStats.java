package dev.ballast.governor;

/**
 * A snapshot of a {@link Governor}'s counts since creation and its present state. Immutable and
 * thread-safe; counts read at slightly different moments may not add up exactly under concurrency.
 *
 * @param allowed actions allowed, confirmed ones included
 * @param delays actions delayed
 * @param rejections actions refused
 * @param confirmationRequests asks answered with {@link Decision.Verdict#CONFIRM}
 * @param confirmations tokens confirmed by a person
 * @param paused whether the governor is paused now
 * @param divergence the last observation's share {@code |expected - observed| / |expected|}
 */
public record GovernorStats(
    long allowed,
    long delays,
    long rejections,
    long confirmationRequests,
    long confirmations,
    boolean paused,
    double divergence) {

  /**
   * Every decision answered.
   *
   * @return {@code allowed + delays + rejections + confirmationRequests}
   */
  public long decisions() {
    return allowed + delays + rejections + confirmationRequests;
  }
}
