package dev.ballast.retry;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Chooses the wait before a retry from the outcome it follows, so that what the other side said
 * sets the wait: an HTTP 503 or 429 response's {@code Retry-After}, a "come back in" field of an
 * error, without a custom exception type. Set with {@link RetryConfig.Builder#delayFunction}.
 *
 * <pre>{@code
 * RetryConfig config = RetryConfig.builder()
 *     .retryOnResult(r -> r instanceof HttpResponse<?> h && h.statusCode() == 503)
 *     .delayFunction((attempt, result, error) ->
 *             result instanceof HttpResponse<?> h
 *                 ? h.headers().firstValue("Retry-After")
 *                     .map(s -> Duration.ofSeconds(Long.parseLong(s)))
 *                     .orElse(null)           // no header: the backoff's delay
 *                 : null,
 *         Duration.ofSeconds(30))             // never wait longer than 30 s
 *     .build();
 * }</pre>
 *
 * <p>Asked only for an outcome the retry is about to retry (after the retry and abort rules, and
 * while attempts remain). What it returns:
 *
 * <ul>
 *   <li>{@code null}: wait the {@linkplain RetryConfig#backoff() backoff}'s delay;
 *   <li>a duration {@code >= 0}: wait that long, clamped to the cap given with the function ({@link
 *       RetryConfig#delayFunctionCap()}); zero retries at once;
 *   <li>a negative duration, such as {@link #STOP}: do not retry; the caller gets this outcome (the
 *       retry gives up, reason {@code delayFunction}).
 * </ul>
 *
 * <p>The wait is then checked like any other: a rejection's {@code retryAfter()} can stretch it
 * ({@link RetryConfig.Builder#waitForRetryAfter}), {@code maxDuration} and the budget can end the
 * retry. A function that throws is logged (rate-limited) and the backoff's delay is used; a {@link
 * VirtualMachineError} it throws reaches the caller instead (see {@link Retry}).
 *
 * <p>Implementations must be thread-safe and quick: one function serves every call of a retry, on
 * the threads that run its attempts.
 */
@FunctionalInterface
public interface DelayFunction {

  /** A duration meaning "do not retry": any negative duration means the same. */
  Duration STOP = Duration.ofNanos(-1);

  /**
   * The wait before the next attempt.
   *
   * @param attempt the number of the attempt that just ended: 1 for the first
   * @param result what that attempt returned, when {@code error} is null
   * @param error what that attempt threw (unwrapped from a {@code CompletionException}), or null
   * @return the wait, {@code null} for the backoff's, or a negative duration to stop
   */
  @Nullable Duration delay(int attempt, @Nullable Object result, @Nullable Throwable error);
}
