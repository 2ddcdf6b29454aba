/**
 * Micrometer binders for Ballast components. Entry type {@link
 * dev.ballast.micrometer.CircuitBreakerMetrics}; every meter is listed in {@code docs/metrics.md}.
 */
@NullMarked
package dev.ballast.micrometer;

import org.jspecify.annotations.NullMarked;
