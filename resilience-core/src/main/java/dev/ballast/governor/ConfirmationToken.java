package dev.ballast.governor;

import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Governor} hands out when it needs a person's confirmation before an action: it
 * names the action kind and why, and carries a random 128-bit {@link #id()} an operator can pass
 * around (a chat line, a console). Only the governor that issued it can make one, so a token can
 * not be forged; it is confirmed once and used once. Thread-safe.
 */
public final class ConfirmationToken {
  private static final String ISSUED = "";

  private final Governor issuer;
  private final String id;
  private final String action;
  private final String why;
  private final AtomicReference<@Nullable String> confirmedBy = new AtomicReference<>(ISSUED);

  ConfirmationToken(Governor issuer, String id, String action, String why) {
    this.issuer = issuer;
    this.id = id;
    this.action = action;
    this.why = why;
  }

  Governor issuer() {
    return issuer;
  }

  /**
   * The token's identity, 32 hex digits from a {@link java.security.SecureRandom}.
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /**
   * The action kind the confirmation allows once.
   *
   * @return the kind
   */
  public String action() {
    return action;
  }

  /**
   * Why the governor asked: the detail of the decision that issued the token.
   *
   * @return the reason, for the person deciding
   */
  public String why() {
    return why;
  }

  /**
   * Who confirmed it.
   *
   * @return the name given to {@link Governor#confirm}, or null when not confirmed yet
   */
  public @Nullable String confirmedBy() {
    String who = confirmedBy.get();
    return who == null || who.equals(ISSUED) ? null : who;
  }

  /** Moves ISSUED to confirmed by {@code who}; false when confirmed or used before. */
  boolean markConfirmed(String who) {
    return confirmedBy.compareAndSet(ISSUED, who);
  }

  /** Moves confirmed to used (null); returns who confirmed, or ISSUED/null when it could not. */
  @Nullable String markUsed() {
    while (true) {
      String now = confirmedBy.get();
      if (now == null || now.equals(ISSUED)) {
        return now;
      }
      if (confirmedBy.compareAndSet(now, null)) {
        return now;
      }
    }
  }

  boolean used() {
    return confirmedBy.get() == null;
  }

  /**
   * @return such as {@code ConfirmationToken{3f2a.. scale-down: ...}}
   */
  @Override
  public String toString() {
    return "ConfirmationToken{" + id + " " + action + ": " + why + '}';
  }
}
