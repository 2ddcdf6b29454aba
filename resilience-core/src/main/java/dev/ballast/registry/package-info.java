/**
 * The operator's room: {@link dev.ballast.registry.BallastRegistry}, named components of every
 * pattern created from named shared configs (in code or from properties), with run-time commands by
 * name ({@link dev.ballast.registry.RegistryCommands}), and {@link
 * dev.ballast.registry.HealthSnapshot}, which answers "is this instance accepting work?" over any
 * mix of Ballast components ({@link dev.ballast.registry.BallastRegistry#health()} over the
 * registry's). This package may use every pattern; no pattern uses it.
 */
@NullMarked
package dev.ballast.registry;

import org.jspecify.annotations.NullMarked;
