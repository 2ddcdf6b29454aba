/**
 * The circuit breaker: stops calling an integration point that is failing, so that its trouble does
 * not become the caller's (<em>Release It!</em>, Circuit Breaker).
 *
 * <p>Entry type {@link dev.ballast.circuitbreaker.CircuitBreaker}; settings in {@link
 * dev.ballast.circuitbreaker.CircuitBreakerConfig}.
 */
@NullMarked
package dev.ballast.circuitbreaker;

import org.jspecify.annotations.NullMarked;
