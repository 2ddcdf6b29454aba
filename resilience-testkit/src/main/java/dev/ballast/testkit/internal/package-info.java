/** Helpers the testkit's packages share; not exported, not API. */
@NullMarked
package dev.ballast.testkit.internal;

import org.jspecify.annotations.NullMarked;
