/**
 * Retry: makes a failed call again, after a growing, jittered wait, within a budget (<em>Release
 * It!</em>: don't retry immediately; Dogpile; Handshaking).
 *
 * <p>Entry type {@link dev.ballast.retry.Retry}; settings in {@link dev.ballast.retry.RetryConfig};
 * waits in {@link dev.ballast.retry.Backoff}, or chosen from the outcome by a {@link
 * dev.ballast.retry.DelayFunction}; events to a {@link dev.ballast.retry.RetryListener}; counts in
 * {@link dev.ballast.retry.RetryStats}.
 */
@NullMarked
package dev.ballast.retry;

import org.jspecify.annotations.NullMarked;
