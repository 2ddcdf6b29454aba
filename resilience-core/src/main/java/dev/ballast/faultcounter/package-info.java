/**
 * Fault density: a leaky bucket of faults, the book's smarter trip rule, usable on its own or as a
 * circuit breaker's trip rule.
 */
@NullMarked
package dev.ballast.faultcounter;

import org.jspecify.annotations.NullMarked;
