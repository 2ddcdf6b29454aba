package dev.ballast.micrometer;

import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.fallback.Fallback;
import dev.ballast.governor.Governor;
import dev.ballast.queue.BoundedQueue;
import dev.ballast.ratelimiter.RateLimiter;
import dev.ballast.ratelimiter.RateLimiterConfig;
import dev.ballast.retry.Retry;
import dev.ballast.shed.AdaptiveThrottle;
import dev.ballast.shed.LoadShedder;
import dev.ballast.testkit.ManualScheduler;
import dev.ballast.testkit.ManualTicker;
import dev.ballast.timeout.Timeout;
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
    return List.of(
        breaker(false),
        breaker(true),
        fallback(),
        timeout(false),
        timeout(true),
        retry(false),
        retry(true),
        bulkhead(false),
        bulkhead(true),
        pool(false),
        pool(true),
        shedder(),
        throttle(),
        governor(),
        rateLimiter(false),
        rateLimiter(true),
        queue());
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

  /** A case of a binder that offers both naming styles. */
  private static BinderCase styled(
      boolean resilience4jNames,
      String binderName,
      String pattern,
      String componentName,
      String ballastPrefix,
      String resilience4jPrefix,
      List<String> reservedKeys,
      Function<Tags, StyledBuilder<?>> builder,
      Runnable events) {
    return new BinderCase(
        resilience4jNames ? binderName + ", resilience4jNames" : binderName,
        pattern + (resilience4jNames ? " / Resilience4j names" : " / Ballast names"),
        componentName,
        binderName,
        resilience4jNames ? resilience4jPrefix : ballastPrefix,
        reservedKeys,
        extra -> {
          StyledBuilder<?> styled = builder.apply(extra);
          return (resilience4jNames ? styled.resilience4jNames() : styled).build();
        },
        events);
  }

  private static BinderCase breaker(boolean resilience4jNames) {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker = Breakers.consecutive("inventory", ticker);
    return styled(
        resilience4jNames,
        "CircuitBreakerMetrics",
        "Circuit breaker",
        "inventory",
        "ballast.circuitbreaker.",
        "resilience4j.circuitbreaker.",
        List.of("name", "state", "outcome", "kind", "from", "to"),
        extra -> CircuitBreakerMetrics.builder(breaker).tags(extra),
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

  private static BinderCase timeout(boolean resilience4jNames) {
    ManualScheduler scheduler = new ManualScheduler();
    Timeout timeout = Timeouts.interrupting("inventory-read", scheduler);
    return styled(
        resilience4jNames,
        "TimeoutMetrics",
        "Timeout",
        "inventory-read",
        "ballast.timeout.",
        "resilience4j.timelimiter.",
        List.of("name", "outcome", "kind"),
        extra -> TimeoutMetrics.builder(timeout).tags(extra),
        () -> {
          Timeouts.succeed(timeout, scheduler, Duration.ofMillis(10));
          Timeouts.fail(timeout, scheduler, Duration.ofMillis(10));
          Timeouts.reject(timeout, scheduler, Duration.ofMillis(10));
          Timeouts.timeOut(timeout, scheduler, Duration.ofMillis(10));
        });
  }

  private static BinderCase retry(boolean resilience4jNames) {
    ManualScheduler scheduler = new ManualScheduler();
    Retry retry = Retries.budgeted("inventory-retry", scheduler);
    return styled(
        resilience4jNames,
        "RetryMetrics",
        "Retry",
        "inventory-retry",
        "ballast.retry.",
        "resilience4j.retry.",
        List.of("name", "outcome", "kind"),
        extra -> RetryMetrics.builder(retry).tags(extra),
        () -> {
          Retries.call(retry, 1);
          Retries.call(retry, 2);
          Retries.call(retry, Retries.MAX_ATTEMPTS + 1);
          Retries.callThrowing(retry, Fallbacks.rejection("open"));
          scheduler.ticker().advance(Duration.ofSeconds(2)); // a new budget window
        });
  }

  private static BinderCase bulkhead(boolean resilience4jNames) {
    Bulkhead bulkhead = Bulkheads.of("inventory-calls", 2);
    return styled(
        resilience4jNames,
        "BulkheadMetrics",
        "Bulkhead",
        "inventory-calls",
        "ballast.bulkhead.",
        "resilience4j.bulkhead.",
        List.of("name", "outcome"),
        extra -> BulkheadMetrics.builder(bulkhead).tags(extra),
        () -> Bulkheads.fillAndRefuseOne(bulkhead, 2));
  }

  private static BinderCase pool(boolean resilience4jNames) {
    ThreadPoolBulkhead pool = Pools.of("inventory-pool", 1, 1);
    return styled(
        resilience4jNames,
        "ThreadPoolBulkheadMetrics",
        "Thread-pool bulkhead",
        "inventory-pool",
        "ballast.bulkhead.pool.",
        "resilience4j.bulkhead.",
        List.of("name", "outcome"),
        extra -> ThreadPoolBulkheadMetrics.builder(pool).tags(extra),
        // Closes the pool too: its figures are settled, and no thread outlives the case.
        () -> Pools.fillRefuseCancelAndClose(pool));
  }

  private static BinderCase shedder() {
    ManualTicker ticker = new ManualTicker();
    LoadShedder shedder = Sheds.shedder("api", ticker);
    return new BinderCase(
        "LoadShedderMetrics",
        "Load shedder / Ballast names",
        "api",
        "LoadShedderMetrics",
        "ballast.shed.",
        List.of("name", "outcome", "state"),
        extra -> LoadShedderMetrics.builder(shedder).tags(extra).build(),
        () -> Sheds.overload(shedder, ticker));
  }

  private static BinderCase governor() {
    Governor governor = Governors.governor("autoscaler", new ManualTicker());
    return new BinderCase(
        "GovernorMetrics",
        "Governor / Ballast names",
        "autoscaler",
        "GovernorMetrics",
        "ballast.governor.",
        List.of("name", "outcome", "state"),
        extra -> GovernorMetrics.builder(governor).tags(extra).build(),
        () -> Governors.everyVerdict(governor));
  }

  private static BinderCase throttle() {
    AdaptiveThrottle throttle = Sheds.throttle("backend", new ManualTicker());
    return new BinderCase(
        "AdaptiveThrottleMetrics",
        "Adaptive throttle / Ballast names",
        "backend",
        "AdaptiveThrottleMetrics",
        "ballast.throttle.",
        List.of("name", "outcome", "state"),
        extra -> AdaptiveThrottleMetrics.builder(throttle).tags(extra).build(),
        () -> Sheds.refusals(throttle));
  }

  private static BinderCase rateLimiter(boolean resilience4jNames) {
    RateLimiter limiter =
        RateLimiter.of(
            "partner-api",
            RateLimiterConfig.builder()
                .limitForPeriod(2)
                .period(Duration.ofSeconds(1))
                .ticker(new ManualTicker())
                .build());
    return styled(
        resilience4jNames,
        "RateLimiterMetrics",
        "Rate limiter",
        "partner-api",
        "ballast.ratelimiter.",
        "resilience4j.ratelimiter.",
        List.of("name", "outcome"),
        extra -> RateLimiterMetrics.builder(limiter).tags(extra),
        () -> { // one permit granted, a call for two refused, one permit left
          long unused = limiter.tryAcquire(1);
          unused = limiter.tryAcquire(2);
        });
  }

  private static BinderCase queue() {
    ManualTicker ticker = new ManualTicker();
    BoundedQueue<String> queue = Queues.queue("spans", ticker);
    return new BinderCase(
        "BoundedQueueMetrics",
        "Bounded queue / Ballast names",
        "spans",
        "BoundedQueueMetrics",
        "ballast.queue.",
        List.of("name", "outcome", "cause"),
        extra -> BoundedQueueMetrics.builder(queue).tags(extra).build(),
        () -> Queues.fillStallAndRefuse(queue, ticker));
  }
}
