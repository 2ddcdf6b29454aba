package dev.ballast.ratelimiter;

import dev.ballast.RejectedException;
import java.time.Duration;

/**
 * Thrown when a {@link RateLimiter} refuses a call: reason {@link
 * RejectedException.Reason#OVERLOAD}, the limiter's name as the component, the permits asked for,
 * and {@link #retryAfter()}: how long until those permits will be free if nobody else takes them.
 * It is a {@linkplain #rateLimited() rate-style} refusal, which {@code Handshake} answers with
 * {@code 429 Too Many Requests}. Carries no stack trace. Immutable and thread-safe.
 */
public final class RateLimitedException extends RejectedException {
  private static final long serialVersionUID = 1L;

  private final int permits;

  RateLimitedException(String name, int permits, long retryAfterNanos, String why) {
    super(
        name,
        Reason.OVERLOAD,
        Duration.ofNanos(retryAfterNanos),
        "rate limiter '"
            + name
            + "' refused "
            + permits
            + (permits == 1 ? " permit" : " permits")
            + ": "
            + why
            + ", free in "
            + Duration.ofNanos(retryAfterNanos),
        false);
    this.permits = permits;
  }

  /**
   * The permits the refused call asked for.
   *
   * @return the count, {@code >= 1}
   */
  public int permits() {
    return permits;
  }

  /**
   * {@inheritDoc}
   *
   * @return {@code true}: a rate limiter refuses by rate
   */
  @Override
  public boolean rateLimited() {
    return true;
  }
}
