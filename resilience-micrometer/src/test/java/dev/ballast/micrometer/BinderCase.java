package dev.ballast.micrometer;

import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.fallback.Fallback;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * One binder, for the tests every binder must pass: how to build it with extra tags, how to make
 * its component fire every kind of event its binder listens to, and what it names.
 *
 * @param label the case's name in test reports
 * @param docTable the headings above the binder's table in {@code docs/metrics.md}, as {@code
 *     "Pattern / Style names"}
 * @param componentName the component's name, expected in the {@code name} tag
 * @param binderName the binder's class name, expected in messages
 * @param prefix the prefix of every meter name
 * @param reservedKeys the tag keys the binder sets itself
 * @param binderWithTags builds a new binder of the case's component with extra tags
 * @param events makes the component fire every kind of event
 */
record BinderCase(
    String label,
    String docTable,
    String componentName,
    String binderName,
    String prefix,
    List<String> reservedKeys,
    Function<Tags, Binder> binderWithTags,
    Runnable events) {

  /** One case per binder and naming style, each with a fresh component. */
  static List<BinderCase> all() {
    return List.of(breaker(false), breaker(true), fallback());
  }

  Binder binder(Tags extra) {
    return binderWithTags.apply(extra);
  }

  void exercise() {
    events.run();
  }

  @Override
  public String toString() {
    return label;
  }

  private static BinderCase breaker(boolean resilience4jNames) {
    TestTicker ticker = new TestTicker();
    CircuitBreaker breaker = Breakers.consecutive("inventory", ticker);
    return new BinderCase(
        resilience4jNames ? "CircuitBreakerMetrics, resilience4jNames" : "CircuitBreakerMetrics",
        resilience4jNames
            ? "Circuit breaker / Resilience4j names"
            : "Circuit breaker / Ballast names",
        "inventory",
        "CircuitBreakerMetrics",
        resilience4jNames ? "resilience4j.circuitbreaker." : "ballast.circuitbreaker.",
        List.of("name", "state", "outcome", "kind", "from", "to"),
        extra -> {
          CircuitBreakerMetrics.Builder builder =
              CircuitBreakerMetrics.builder(breaker).tags(extra);
          return (resilience4jNames ? builder.resilience4jNames() : builder).build();
        },
        () -> {
          breaker.reset();
          Breakers.succeed(breaker, ticker, Duration.ofMillis(500)); // slow, counts in the streak
          breaker.reset();
          Breakers.ignore(breaker, ticker, Duration.ofMillis(1));
          Breakers.fail(breaker, ticker, Duration.ofMillis(1));
          Breakers.fail(breaker, ticker, Duration.ofMillis(1)); // opens
        });
  }

  private static BinderCase fallback() {
    Fallback<String> fallback = Fallbacks.everyTrigger("pricing");
    return new BinderCase(
        "FallbackMetrics",
        "Fallback / Ballast names",
        "pricing",
        "FallbackMetrics",
        "ballast.fallback.",
        List.of("name", "outcome", "trigger"),
        extra -> FallbackMetrics.builder(fallback).tags(extra).build(),
        () -> {
          fallback.get(() -> "ok");
          fallback.get(() -> Fallbacks.BAD);
          try {
            fallback.get(() -> Fallbacks.WORSE);
          } catch (IllegalStateException expected) {
            // the result fallback threw, as WORSE makes it
          }
          try {
            fallback.apply(
                () -> {
                  throw new IOException("down");
                });
          } catch (IOException unexpected) {
            throw new AssertionError(unexpected);
          }
        });
  }
}
