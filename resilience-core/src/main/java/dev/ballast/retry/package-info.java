/**
 * Retry: makes a failed call again, after a growing, jittered wait, within a budget (<em>Release
 * It!</em>: don't retry immediately; Dogpile; Handshaking).
 *
 * <p>Entry type {@link dev.ballast.retry.Retry}; settings in {@link dev.ballast.retry.RetryConfig};
 * waits in {@link dev.ballast.retry.Backoff}.
 */
@NullMarked
package dev.ballast.retry;

import org.jspecify.annotations.NullMarked;
