/**
 * Rate limiting: a {@link dev.ballast.ratelimiter.RateLimiter} admits at most so many permits per
 * period (a token bucket, bursty or paced, with an optional warm-up ramp after idle), refusing the
 * rest with a {@link dev.ballast.ratelimiter.RateLimitedException} that says when the permits will
 * be free.
 *
 * <p>DESIGN.md's map places the rate limiter beside the governor; it has its own package because
 * users look for it by this name and it shares no code with {@code dev.ballast.governor}.
 */
@NullMarked
package dev.ballast.ratelimiter;

import org.jspecify.annotations.NullMarked;
