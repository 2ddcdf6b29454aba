/**
 * Implementation helpers shared by the patterns: preconditions, the timer wheel. Public classes,
 * but the package is not exported by the module and is not API.
 */
@NullMarked
package dev.ballast.internal;

import org.jspecify.annotations.NullMarked;
