/**
 * The fallback: serves a substitute answer when a call to an integration point fails, is refused,
 * or returns something unusable, so that the caller degrades instead of failing (<em>Release
 * It!</em>: serve cached or default data, fail fast).
 *
 * <p>Entry type {@link dev.ballast.fallback.Fallback}, built by {@link
 * dev.ballast.fallback.Fallback#of(String, dev.ballast.fallback.FallbackConfig)}.
 */
@NullMarked
package dev.ballast.fallback;

import org.jspecify.annotations.NullMarked;
