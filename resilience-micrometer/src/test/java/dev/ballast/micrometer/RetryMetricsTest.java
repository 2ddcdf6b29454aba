package dev.ballast.micrometer;

import static dev.ballast.micrometer.Retries.MAX_ATTEMPTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.retry.Retry;
import dev.ballast.testkit.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

final class RetryMetricsTest {
  private static final int ALWAYS_FAILS = MAX_ATTEMPTS + 1;

  private final ManualScheduler scheduler = new ManualScheduler();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void countsCallsByOutcomeAndRetries() {
    Retry retry = Retries.counting("orders", scheduler);
    RetryMetrics.of(retry).bindTo(registry);

    Retries.call(retry, 1);
    Retries.call(retry, 1);
    Retries.call(retry, 2);
    Retries.call(retry, ALWAYS_FAILS);
    Retries.callThrowing(retry, new IllegalArgumentException("not retryable"));
    Retries.callThrowing(retry, Fallbacks.rejection("open"));

    assertThat(calls("success_without_retry")).isEqualTo(2);
    assertThat(calls("success_after_retry")).isEqualTo(1);
    assertThat(calls("failure_after_retry")).isEqualTo(1);
    assertThat(calls("failure_without_retry")).isEqualTo(1);
    assertThat(calls("rejected")).isEqualTo(1);
    assertThat(counter("ballast.retry.retries")).isEqualTo(1 + (MAX_ATTEMPTS - 1));
    assertThat(counter("ballast.retry.budget.exhausted")).isZero();
  }

  @Test
  void countsCallsTheBudgetRefusedApartFromTheOthers() {
    Retry retry = Retries.budgeted("orders", scheduler);
    RetryMetrics.of(retry).bindTo(registry);

    Retries.call(retry, ALWAYS_FAILS); // takes the two retries the budget grants
    Retries.call(retry, ALWAYS_FAILS); // refused its first retry
    Retries.call(retry, ALWAYS_FAILS); // and this one too

    assertThat(calls("failure_after_retry")).isEqualTo(1);
    assertThat(calls("failure_without_retry")).isZero();
    assertThat(counter("ballast.retry.budget.exhausted")).isEqualTo(2);
    assertThat(counter("ballast.retry.retries")).isEqualTo(2);
    assertThat(retry.stats().calls()).isEqualTo(3);
  }

  @Test
  void countsCallsMadeBeforeBinding() {
    Retry retry = Retries.counting("orders", scheduler);
    Retries.call(retry, 2);

    RetryMetrics.of(retry).bindTo(registry);

    assertThat(calls("success_after_retry")).isEqualTo(1);
    assertThat(counter("ballast.retry.retries")).isEqualTo(1);
  }

  @Test
  void registersNoSuccessWithoutRetryCounterWhenTheRetryDoesNotCountThem() {
    Retry retry = Retries.notCounting("orders", scheduler);
    RetryMetrics.of(retry).bindTo(registry);
    RetryMetrics.builder(retry).resilience4jNames().build().bindTo(registry);

    Retries.call(retry, 1);

    assertThat(registry.find("ballast.retry.calls").tag("outcome", "success_without_retry").meter())
        .isNull();
    assertThat(
            registry
                .find("resilience4j.retry.calls")
                .tag("kind", "successful_without_retry")
                .meter())
        .isNull();
    assertThat(registry.find("ballast.retry.calls").meters()).hasSize(4);
    assertThat(registry.find("resilience4j.retry.calls").meters()).hasSize(3);
  }

  @Test
  void resilience4jNamesFoldRejectionsAndBudgetRefusalsIntoFailures() {
    Retry retry = Retries.budgeted("orders", scheduler);
    RetryMetrics.builder(retry).resilience4jNames().build().bindTo(registry);

    Retries.call(retry, 1);
    Retries.call(retry, 2); // one retry of the two granted
    Retries.call(retry, ALWAYS_FAILS); // second retry refused: budget
    Retries.callThrowing(retry, new IllegalArgumentException("not retryable"));
    Retries.callThrowing(retry, Fallbacks.rejection("open"));

    assertThat(resilience4jCalls("successful_without_retry")).isEqualTo(1);
    assertThat(resilience4jCalls("successful_with_retry")).isEqualTo(1);
    assertThat(resilience4jCalls("failed_with_retry")).isEqualTo(1);
    assertThat(resilience4jCalls("failed_without_retry")).isEqualTo(2);
    assertThat(registry.getMeters())
        .allSatisfy(meter -> assertThat(meter.getId().getName()).startsWith("resilience4j."));
  }

  private double calls(String outcome) {
    return registry
        .get("ballast.retry.calls")
        .tags("name", "orders", "outcome", outcome)
        .functionCounter()
        .count();
  }

  private double counter(String name) {
    return registry.get(name).tag("name", "orders").functionCounter().count();
  }

  private double resilience4jCalls(String kind) {
    return registry
        .get("resilience4j.retry.calls")
        .tags("name", "orders", "kind", kind)
        .functionCounter()
        .count();
  }
}
