/**
 * Micrometer binders for Ballast components, one per component: {@link
 * dev.ballast.micrometer.CircuitBreakerMetrics}, {@link dev.ballast.micrometer.FallbackMetrics},
 * {@link dev.ballast.micrometer.TimeoutMetrics}, {@link dev.ballast.micrometer.RetryMetrics},
 * {@link dev.ballast.micrometer.BulkheadMetrics}, {@link
 * dev.ballast.micrometer.ThreadPoolBulkheadMetrics}, {@link
 * dev.ballast.micrometer.LoadShedderMetrics}, {@link
 * dev.ballast.micrometer.AdaptiveThrottleMetrics}. Every meter is listed in {@code
 * docs/metrics.md}.
 */
@NullMarked
package dev.ballast.micrometer;

import org.jspecify.annotations.NullMarked;
