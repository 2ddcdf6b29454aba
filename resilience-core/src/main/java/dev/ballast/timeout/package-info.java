/**
 * The timeout: bounds how long a caller waits for an integration point, so that a slow or hung
 * dependency hands its trouble back as an exception instead of a blocked thread (<em>Release
 * It!</em>, Timeouts).
 *
 * <p>Entry type {@link dev.ballast.timeout.Timeout}; settings in {@link
 * dev.ballast.timeout.TimeoutConfig}.
 */
@NullMarked
package dev.ballast.timeout;

import org.jspecify.annotations.NullMarked;
