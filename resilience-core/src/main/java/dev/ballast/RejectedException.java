package dev.ballast;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a policy refuses a call without making it: the one unchecked type every refusal in
 * Ballast extends, carrying {@linkplain #reason() why} and, where known, {@linkplain #retryAfter()
 * when to try again}.
 *
 * <p>A rejection is never counted as a failure of the dependency by any other Ballast policy and is
 * not retried unless a retry is configured to. By default it carries no stack trace, so that
 * refusing is cheap when a dependency is down and traffic is high; the message names the component
 * and the cause. Instances are immutable and may be shared between threads.
 */
public class RejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a call was refused. */
  public enum Reason {
    /** Back pressure from load: a bulkhead or queue is full, the call was shed or rate limited. */
    OVERLOAD,
    /** The other side is broken: a circuit breaker is open. */
    DEPENDENCY_FAILURE
  }

  private final String component;
  private final Reason reason;
  private final long retryAfterNanos;

  /**
   * Creates a rejection.
   *
   * @param component the name of the refusing component
   * @param reason why the call was refused
   * @param retryAfter when a retry may succeed, or {@code null} when unknown
   * @param message what happened, for the log; should name the component and its figures
   * @param stackTrace whether to fill in the stack trace (costly; off by default in Ballast)
   */
  protected RejectedException(
      String component,
      Reason reason,
      @Nullable Duration retryAfter,
      String message,
      boolean stackTrace) {
    super(message, null, false, stackTrace);
    this.component = component;
    this.reason = reason;
    this.retryAfterNanos = retryAfter == null ? -1 : retryAfter.toNanos();
  }

  /**
   * The name of the component that refused the call.
   *
   * @return the component's name
   */
  public String component() {
    return component;
  }

  /**
   * Why the call was refused.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }

  /**
   * How long until a call may be admitted again, when the refusing component knows.
   *
   * @return the wait, or empty when unknown
   */
  public Optional<Duration> retryAfter() {
    return retryAfterNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(retryAfterNanos));
  }
}
