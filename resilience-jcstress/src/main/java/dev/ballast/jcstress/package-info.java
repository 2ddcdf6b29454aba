/**
 * jcstress properties of core's riskiest interleavings: each test class names the outcomes it
 * forbids. Run them with {@code bench/jcstress}; docs/jcstress.md says how to read the report.
 */
@NullMarked
package dev.ballast.jcstress;

import org.jspecify.annotations.NullMarked;
