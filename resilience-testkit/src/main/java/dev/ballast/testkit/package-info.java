/**
 * Test support for code that makes calls through stability patterns.
 *
 * <ul>
 *   <li>{@link dev.ballast.testkit.ManualTicker}: time that moves only when a test moves it, so
 *       every time-based behavior is tested without sleeping;
 *   <li>{@link dev.ballast.testkit.ManualScheduler}: a {@link dev.ballast.Scheduler} on that time,
 *       whose timers fire on the thread that advances the ticker;
 *   <li>{@link dev.ballast.testkit.FaultInjector}, the one in-process fault API: decorates a {@link
 *       java.util.concurrent.Callable}, a {@link java.util.function.Supplier} or an asynchronous
 *       supplier with latency (real or virtual), exceptions, wrong results or hangs, every N-th
 *       call or at a seeded rate, switched on and off at run time or for a try-with-resources
 *       scope, and counts what it injected. It does not need Ballast and works with any resilience
 *       library;
 *   <li>{@link dev.ballast.testkit.Faults}: shorthands for the common injectors (every N-th call
 *       fails, calls fail at a seeded rate, every call fails, every call is slow in virtual time);
 *   <li>{@link dev.ballast.testkit.BallastAssertions}: AssertJ assertions for Ballast components;
 *   <li>{@link dev.ballast.testkit.Demo}: a short program that shows a circuit breaker open, refuse
 *       fast, probe and close.
 * </ul>
 */
@NullMarked
package dev.ballast.testkit;

import org.jspecify.annotations.NullMarked;
