package dev.ballast.timeout;

import dev.ballast.RejectedException;

/**
 * Thrown when a {@link Timeout} in {@link Timeout.Mode#ABANDON} mode cannot start a call because
 * its executor refused the work (saturated, or shut down by its owner): back pressure from this
 * process, not a failure of the dependency, so its {@linkplain #reason() reason} is {@link
 * RejectedException.Reason#OVERLOAD} and no other Ballast policy counts it as a failure (an outer
 * circuit breaker ignores it). The call was never made.
 *
 * <p>{@link #component()} names the timeout; the executor's own exception (typically a {@link
 * java.util.concurrent.RejectedExecutionException}) is the {@linkplain #getCause() cause}. No stack
 * trace is filled in unless {@link TimeoutConfig.Builder#stackTraces(boolean)} is on. Immutable and
 * thread-safe.
 */
public final class TimeoutRejectedException extends RejectedException {
  private static final long serialVersionUID = 1L;

  TimeoutRejectedException(String component, Throwable cause, boolean stackTrace) {
    super(
        component,
        Reason.OVERLOAD,
        null,
        "timeout '"
            + component
            + "' refused the call: its executor did not accept the work ("
            + cause
            + ")",
        cause,
        stackTrace);
  }
}
