package dev.ballast;

import dev.ballast.internal.Preconditions;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Reads a back-off hint from the outcome of a call: the other side's "not now, come back in 30 s"
 * (<em>Release It!</em>, Handshaking), from an HTTP {@code 429} or {@code 503} with its {@code
 * Retry-After} ({@link Handshake#hint}), a "retry in" field of an error, or a refusal's own {@link
 * RejectedException#retryAfter()}. One function type serves every pattern that listens: a circuit
 * breaker given one opens for the hint ({@code CircuitBreakerConfig.Builder.backOffHint}), a retry
 * given one waits at least that long ({@code RetryConfig.Builder.backOffHint}).
 *
 * <pre>{@code
 * BackOffHint fromHttp = (result, error) ->
 *     result instanceof HttpResponse<?> r
 *         ? Handshake.hint(r.statusCode(), r.headers().firstValue("Retry-After").orElse(null),
 *             Instant.now())
 *         : null;
 * }</pre>
 *
 * <p>What it returns: {@code null} when the outcome carries no hint (the usual answer, which must
 * cost nothing: return {@code null} without allocating); a duration {@code >= 0} to back off for
 * that long (zero: back off, but the other side named no wait). A negative duration is a mistake in
 * the function and is treated as no hint, logged like a function that throws. A function that
 * throws is logged (rate-limited, naming the component) and the outcome counts as carrying no hint;
 * the caller's outcome never changes. A {@link VirtualMachineError} it throws reaches the caller
 * once the component has recorded the call.
 *
 * <p>Implementations must be thread-safe and quick: one function serves every call of a component,
 * on the threads that complete them; a breaker asks it on every completion.
 */
@FunctionalInterface
public interface BackOffHint {

  /**
   * The back-off the outcome asks for.
   *
   * @param result what the call returned, when {@code error} is null
   * @param error what the call threw (unwrapped from a {@code CompletionException}), or null
   * @return how long to back off, {@code >= 0}, or {@code null} when the outcome carries no hint
   */
  @Nullable Duration backOff(@Nullable Object result, @Nullable Throwable error);

  /**
   * The {@link RejectedException#retryAfter()} of refusals of one type, for a client whose own code
   * turns an answer such as a 503 into a refusal of its own type; no hint for any other outcome.
   * Name your own type: a rejection from a Ballast policy further in (a full bulkhead) carries a
   * {@code retryAfter()} too, and is no word from the other side.
   *
   * @param type the refusals whose {@code retryAfter()} is a hint
   * @return the function
   * @throws NullPointerException when {@code type} is null
   */
  static BackOffHint retryAfterOf(Class<? extends RejectedException> type) {
    Preconditions.notNull("type", type);
    return (result, error) ->
        error instanceof RejectedException r && type.isInstance(r)
            ? r.retryAfter().orElse(null)
            : null;
  }
}
