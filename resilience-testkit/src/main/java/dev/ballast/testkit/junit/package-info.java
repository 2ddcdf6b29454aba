/**
 * JUnit 5 support: {@link dev.ballast.testkit.junit.BallastExtension} injects a fresh {@link
 * dev.ballast.testkit.ManualTicker} and {@link dev.ballast.testkit.ManualScheduler} into each test,
 * and {@link dev.ballast.testkit.junit.HarnessExtension} starts a misbehaving {@link
 * dev.ballast.testkit.harness.Harness} per class or per test and closes it after.
 *
 * <p>The testkit declares JUnit Jupiter as an optional dependency: a project that uses these
 * extensions already has it on its test class path.
 */
@NullMarked
package dev.ballast.testkit.junit;

import org.jspecify.annotations.NullMarked;
