package dev.ballast;

import dev.ballast.internal.Preconditions;
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
 * and the cause. A rejection records no suppressed exceptions, so one instance can be thrown to
 * many callers without growing. The constructors for subclasses validate like every builder: a null
 * or blank component, a null reason or message, a negative {@code retryAfter} are refused naming
 * the parameter. Instances are immutable and may be shared between threads.
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
   * Creates a rejection without a cause.
   *
   * @param component the name of the refusing component; not blank
   * @param reason why the call was refused
   * @param retryAfter when a retry may succeed, {@code >= 0}, or {@code null} when unknown; a wait
   *     longer than {@code Long.MAX_VALUE} nanoseconds (about 292 years) is kept as that many
   * @param message what happened, for the log; should name the component and its figures
   * @param stackTrace whether to fill in the stack trace (costly; off by default in Ballast)
   * @throws NullPointerException when {@code component}, {@code reason} or {@code message} is null
   * @throws IllegalArgumentException when {@code component} is blank or {@code retryAfter} negative
   */
  protected RejectedException(
      String component,
      Reason reason,
      @Nullable Duration retryAfter,
      String message,
      boolean stackTrace) {
    this(component, reason, retryAfter, message, null, stackTrace);
  }

  /**
   * Creates a rejection caused by {@code cause}, such as the executor's own refusal.
   *
   * @param component the name of the refusing component; not blank
   * @param reason why the call was refused
   * @param retryAfter when a retry may succeed, {@code >= 0}, or {@code null} when unknown; a wait
   *     longer than {@code Long.MAX_VALUE} nanoseconds (about 292 years) is kept as that many
   * @param message what happened, for the log; should name the component and its figures
   * @param cause what made the component refuse, or {@code null}
   * @param stackTrace whether to fill in the stack trace (costly; off by default in Ballast)
   * @throws NullPointerException when {@code component}, {@code reason} or {@code message} is null
   * @throws IllegalArgumentException when {@code component} is blank or {@code retryAfter} negative
   */
  protected RejectedException(
      String component,
      Reason reason,
      @Nullable Duration retryAfter,
      String message,
      @Nullable Throwable cause,
      boolean stackTrace) {
    super(checked(component, reason, message), cause, false, stackTrace);
    this.component = component;
    this.reason = reason;
    this.retryAfterNanos = retryAfter == null ? -1 : nanos(retryAfter);
  }

  /** {@code retryAfter} in nanoseconds, saturated at {@link Long#MAX_VALUE}; refuses a negative. */
  private static long nanos(Duration retryAfter) {
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must be >= 0, was " + retryAfter);
    }
    try {
      return retryAfter.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Checks the arguments in the order given, before the superclass sees the message. */
  private static String checked(String component, Reason reason, String message) {
    Preconditions.notBlank("component", component);
    Preconditions.notNull("reason", reason);
    return Preconditions.notNull("message", message);
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
   * How long until a call may be admitted again, when the refusing component knows. Always fits in
   * a {@code long} of nanoseconds: a longer wait given to the constructor is saturated.
   *
   * @return the wait, or empty when unknown
   */
  public Optional<Duration> retryAfter() {
    return retryAfterNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(retryAfterNanos));
  }

  /**
   * Whether the refusal is about the rate of calls (a rate limiter, a quota spent) rather than the
   * capacity to take one more call now (a full bulkhead, a shed call) or a broken dependency. A
   * rate-style refusal is still an {@link Reason#OVERLOAD}: this refines the reason without adding
   * a third. {@link Handshake#httpStatus} answers {@code 429 Too Many Requests} for one and {@code
   * 503 Service Unavailable} for any other refusal. A subclass that refuses by rate (the rate
   * limiter's) overrides this to return {@code true}.
   *
   * @return {@code false} here
   */
  public boolean rateLimited() {
    return false;
  }
}
