package dev.ballast.timeout;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a call under a {@link Timeout} did not finish in time: the dependency was slow. It is
 * not a {@link dev.ballast.RejectedException}: the call was made, and cut short.
 *
 * <p>{@link #component()} names the timeout whose deadline passed and {@link #duration()} is that
 * deadline's duration; when a timeout runs inside another whose deadline comes first, it is the
 * outer one that is named. What the call threw in response to being interrupted (typically an
 * {@link InterruptedException}) is the {@linkplain #getCause() cause}. By default no stack trace is
 * filled in ({@link TimeoutConfig.Builder#stackTraces(boolean)}). Immutable and thread-safe.
 */
public final class TimeoutExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String component;
  private final long durationNanos;

  TimeoutExceededException(
      String component, long durationNanos, @Nullable Throwable cause, boolean stackTrace) {
    super(message(component, durationNanos), cause, true, stackTrace);
    this.component = component;
    this.durationNanos = durationNanos;
  }

  /**
   * The name of the timeout whose deadline passed.
   *
   * @return the timeout's name
   */
  public String component() {
    return component;
  }

  /**
   * The duration of the deadline that passed.
   *
   * @return the duration
   */
  public Duration duration() {
    return Duration.ofNanos(durationNanos);
  }

  private static String message(String component, long nanos) {
    return "timeout '" + component + "' of " + format(nanos) + " exceeded";
  }

  static String format(long nanos) {
    return nanos % 1_000_000L == 0
        ? (nanos / 1_000_000L) + " ms"
        : Duration.ofNanos(nanos).toString();
  }
}
