/**
 * The operator's room: what is running and how it is doing. {@link
 * dev.ballast.registry.HealthSnapshot} answers "is this instance accepting work?" over any mix of
 * Ballast components, with each component's state and figures, as JSON and as a table. This is the
 * one package that may import every pattern.
 */
@NullMarked
package dev.ballast.registry;

import org.jspecify.annotations.NullMarked;
