package dev.ballast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.Gate;
import dev.ballast.ratelimiter.RateLimiter;
import dev.ballast.ratelimiter.RateLimiterConfig;
import dev.ballast.testkit.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class RateLimiterMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final RateLimiter limiter =
      RateLimiter.of(
          "partner-api",
          RateLimiterConfig.builder()
              .limitForPeriod(4)
              .period(Duration.ofSeconds(1))
              .maxWait(Duration.ofMillis(250))
              .scheduler(scheduler)
              .build());

  @Test
  void countsCallsByOutcomePermitsAndWaitsSinceTheLimiterWasCreated() {
    limiter.run(() -> {}); // before binding: still counted, as in stats()
    RateLimiterMetrics.of(limiter).bindTo(registry);

    assertThat(limiter.tryAcquire(3)).isNotEqualTo(Gate.REFUSED);
    limiter.acquire(); // waits one interval, 250 ms, on the manual scheduler
    assertThat(limiter.tryAcquire(2)).isEqualTo(Gate.REFUSED); // would wait 500 ms

    assertThat(count("ballast.ratelimiter.calls", "admitted")).isEqualTo(3);
    assertThat(count("ballast.ratelimiter.calls", "rejected")).isEqualTo(1);
    assertThat(registry.get("ballast.ratelimiter.permits").functionCounter().count()).isEqualTo(5);
    assertThat(registry.get("ballast.ratelimiter.waited.calls").functionCounter().count())
        .isEqualTo(1);
  }

  @Test
  void gaugesThePermitsFreeNowAndTheLimitUnderBothNames() {
    RateLimiterMetrics.of(limiter).bindTo(registry);
    RateLimiterMetrics.builder(limiter).resilience4jNames().build().bindTo(registry);
    assertThat(gauge("ballast.ratelimiter.available.permits")).isEqualTo(4.0);
    assertThat(gauge("resilience4j.ratelimiter.available.permissions")).isEqualTo(4.0);

    limiter.tryAcquire(3);
    assertThat(gauge("ballast.ratelimiter.available.permits")).isEqualTo(1.0);
    assertThat(gauge("resilience4j.ratelimiter.available.permissions")).isEqualTo(1.0);
    assertThat(gauge("ballast.ratelimiter.waiting")).isZero();
    assertThat(gauge("resilience4j.ratelimiter.waiting_threads")).isZero();

    limiter.changeLimit(8);
    assertThat(gauge("ballast.ratelimiter.limit")).isEqualTo(8.0);
  }

  private double count(String name, String outcome) {
    return registry.get(name).tag("outcome", outcome).functionCounter().count();
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }
}
