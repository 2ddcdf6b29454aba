package dev.ballast.governor;

import org.jspecify.annotations.Nullable;

/**
 * A {@link Governor}'s answer to a proposed action: {@link Verdict#ALLOW allow}, {@link
 * Verdict#DELAY delay} until an instant, {@link Verdict#REFUSE refuse} with a reason, or {@link
 * Verdict#CONFIRM require a confirmation}. Immutable and thread-safe; every allowed decision is the
 * one {@link #ALLOW} instance, so the allow path allocates nothing.
 */
public final class Decision {

  /** What the governor answered. */
  public enum Verdict {
    /** Act now. */
    ALLOW,
    /** Do not act before {@link #untilNanos()}, then ask again. */
    DELAY,
    /** Do not act; {@link #reason()} says why. */
    REFUSE,
    /**
     * Do not act until a person {@linkplain Governor#confirm(ConfirmationToken, String) confirms}
     * the {@link #token()}; then ask again with it.
     */
    CONFIRM
  }

  /** Why the governor did not simply allow. */
  public enum Reason {
    /** Allowed: no reason needed. */
    NONE,
    /** The action kind's rate is spent. */
    RATE,
    /** The rate is spent because the action leaves the normal band and each one costs more. */
    RESISTANCE,
    /** The resulting state is past the configured distance from the band where a person decides. */
    FAR_FROM_BAND,
    /** The resulting state is past the hard limit: refused whatever anyone confirms. */
    BEYOND_LIMIT,
    /** The engine's expected state and the observed state disagree by more than allowed. */
    DIVERGENCE,
    /** The governor is paused. */
    PAUSED
  }

  /** The one allowed decision. */
  public static final Decision ALLOW =
      new Decision(Verdict.ALLOW, Reason.NONE, "", 0, "allowed", null);

  private final Verdict verdict;
  private final Reason reason;
  private final String action;
  private final long untilNanos;
  private final String detail;
  private final @Nullable ConfirmationToken token;

  Decision(
      Verdict verdict,
      Reason reason,
      String action,
      long untilNanos,
      String detail,
      @Nullable ConfirmationToken token) {
    this.verdict = verdict;
    this.reason = reason;
    this.action = action;
    this.untilNanos = untilNanos;
    this.detail = detail;
    this.token = token;
  }

  /**
   * What the governor answered.
   *
   * @return the verdict
   */
  public Verdict verdict() {
    return verdict;
  }

  /**
   * Whether the caller may act now.
   *
   * @return {@code verdict() == ALLOW}
   */
  public boolean allowed() {
    return verdict == Verdict.ALLOW;
  }

  /**
   * Why the governor did not simply allow.
   *
   * @return the reason, {@link Reason#NONE} when allowed
   */
  public Reason reason() {
    return reason;
  }

  /**
   * The action kind asked about.
   *
   * @return the kind; empty for {@link #ALLOW}, which is shared by every kind
   */
  public String action() {
    return action;
  }

  /**
   * For {@link Verdict#DELAY}: the instant, in the governor's ticker time, from which the action
   * will be allowed if nothing else asks first.
   *
   * @return ticker nanoseconds; 0 for other verdicts
   */
  public long untilNanos() {
    return untilNanos;
  }

  /**
   * What an operator reads: the figures behind the verdict.
   *
   * @return the detail, never null
   */
  public String detail() {
    return detail;
  }

  /**
   * For {@link Verdict#CONFIRM}: the token a person must confirm.
   *
   * @return the token, or null for other verdicts
   */
  public @Nullable ConfirmationToken token() {
    return token;
  }

  /**
   * @return such as {@code Decision{DELAY RATE scale-down: ...}}
   */
  @Override
  public String toString() {
    return "Decision{" + verdict + " " + reason + " " + action + ": " + detail + '}';
  }
}
