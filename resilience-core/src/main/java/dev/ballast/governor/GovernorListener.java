package dev.ballast.governor;

/**
 * Receives a {@link Governor}'s events. Every method has a no-op default, so implement only what
 * you need.
 *
 * <p>Events are reported on the thread that caused them (the caller that asked, the person who
 * confirmed, the observer that reported), after the governor's state is updated. Methods must be
 * thread-safe and quick. A listener that throws never changes the governor's state or the caller's
 * decision: what it throws is logged at WARN, naming the governor (the first, then at most one line
 * a minute with a count of those suppressed); a {@link VirtualMachineError} is not hidden and
 * reaches the caller.
 */
public interface GovernorListener {

  /**
   * An action was allowed (with or without a confirmation).
   *
   * @param action the action kind
   */
  default void onAllowed(String action) {}

  /**
   * An action was delayed.
   *
   * @param decision the decision, with {@link Decision#untilNanos()}
   */
  default void onDelayed(Decision decision) {}

  /**
   * An action was refused.
   *
   * @param decision the decision, with its {@link Decision#reason()}
   */
  default void onRejected(Decision decision) {}

  /**
   * The governor issued a confirmation token (once per token, not at every ask).
   *
   * @param decision the decision, with its {@link Decision#token()}
   */
  default void onConfirmationRequired(Decision decision) {}

  /**
   * A person confirmed a token.
   *
   * @param token the token, with {@link ConfirmationToken#confirmedBy()}
   */
  default void onConfirmed(ConfirmationToken token) {}

  /**
   * An observation differed from the expectation by more than the limit, after agreeing.
   *
   * @param share {@code |expected - observed| / |expected|}
   */
  default void onDivergence(double share) {}

  /**
   * The governor was paused: every action is refused until it resumes.
   *
   * @param reason why, as given to {@link Governor#pause(String)}
   */
  default void onPaused(String reason) {}

  /** The governor resumed. */
  default void onResumed() {}
}
