/**
 * Ballast testkit: virtual time ({@link dev.ballast.testkit.ManualTicker}, {@link
 * dev.ballast.testkit.ManualScheduler}), in-process fault injection ({@link
 * dev.ballast.testkit.FaultInjector}, with shorthands in {@link dev.ballast.testkit.Faults}), a
 * misbehaving loopback harness ({@code dev.ballast.testkit.harness}) and AssertJ assertions for
 * Ballast components ({@link dev.ballast.testkit.BallastAssertions}), and a timeline recorder that
 * draws what components did as an SVG picture ({@code dev.ballast.testkit.timeline}).
 *
 * <p>The fault injectors need neither Ballast nor AssertJ at run time; AssertJ is needed only by
 * the assertions ({@code BallastAssertions}, {@code CircuitBreakerAssert}), so it is an optional
 * (static) dependency here and an optional one in the Maven pom: a consumer that uses the
 * assertions brings AssertJ itself, as its tests do already, and one that does not never loads a
 * class that needs it. JUnit Jupiter, needed only by the extensions in {@code
 * dev.ballast.testkit.junit}, is optional too (a provided dependency in the pom) and not
 * transitive: a consumer that does not use the extensions compiles without JUnit on its module
 * path, and one that does requires {@code org.junit.jupiter.api} itself, as every test module does.
 * The manual scheduler logs a throwing task through SLF4J, as Ballast does. The command line
 * ({@link dev.ballast.testkit.Cli}) calls the harness with {@code java.net.http}.
 */
module dev.ballast.testkit {
  requires transitive dev.ballast;
  requires static transitive org.assertj.core;
  requires org.jspecify;
  requires static org.junit.jupiter.api;
  requires java.net.http;
  requires org.slf4j;

  exports dev.ballast.testkit;
  exports dev.ballast.testkit.harness;
  exports dev.ballast.testkit.junit;
  exports dev.ballast.testkit.timeline;
}
