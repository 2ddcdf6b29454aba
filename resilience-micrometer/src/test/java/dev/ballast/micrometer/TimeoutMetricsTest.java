package dev.ballast.micrometer;

import static dev.ballast.micrometer.Timeouts.LIMIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ballast.testkit.ManualScheduler;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutConfig;
import dev.ballast.timeout.TimeoutExceededException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class TimeoutMetricsTest {
  private final ManualScheduler scheduler = new ManualScheduler();
  private final Timeout timeout = Timeouts.interrupting("stock", scheduler);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void timesCallsByOutcome() {
    TimeoutMetrics.of(timeout).bindTo(registry);

    Timeouts.succeed(timeout, scheduler, Duration.ofMillis(10));
    Timeouts.succeed(timeout, scheduler, Duration.ofMillis(30));
    Timeouts.fail(timeout, scheduler, Duration.ofMillis(20));
    Timeouts.reject(timeout, scheduler, Duration.ofMillis(5));
    Timeouts.timeOut(timeout, scheduler, Duration.ZERO);

    assertThat(calls("success").count()).isEqualTo(2);
    assertThat(calls("success").totalTime(TimeUnit.MILLISECONDS)).isCloseTo(40.0, within(1e-9));
    assertThat(calls("failure").count()).isEqualTo(1);
    assertThat(calls("failure").totalTime(TimeUnit.MILLISECONDS)).isCloseTo(20.0, within(1e-9));
    assertThat(calls("rejected").count()).isEqualTo(1);
    assertThat(calls("timed_out").count()).isEqualTo(1);
    assertThat(calls("timed_out").totalTime(TimeUnit.MILLISECONDS))
        .isCloseTo((double) LIMIT.toMillis(), within(1e-9));
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void timesOnlyTheCallsThatEndAfterBinding() {
    Timeouts.succeed(timeout, scheduler, Duration.ofMillis(10));

    TimeoutMetrics.of(timeout).bindTo(registry);
    Timeouts.timeOut(timeout, scheduler, Duration.ZERO);

    assertThat(calls("success").count()).isZero();
    assertThat(calls("timed_out").count()).isEqualTo(1);
  }

  @Test
  void gaugesTheDurationAsItIsChanged() {
    TimeoutMetrics.of(timeout).bindTo(registry);
    assertThat(gauge("ballast.timeout.duration")).isEqualTo(1.0);

    timeout.changeDuration(Duration.ofMillis(250));

    assertThat(gauge("ballast.timeout.duration")).isEqualTo(0.25);
  }

  @Test
  void gaugesAbandonedWorkUntilItReallyEnds() throws InterruptedException {
    List<Thread> workers = new ArrayList<>();
    Executor executor =
        task -> {
          Thread worker = new Thread(task, "timeout-metrics-test-worker-" + workers.size());
          worker.setDaemon(true);
          workers.add(worker);
          worker.start();
        };
    Timeout abandoning =
        Timeout.of(
            "legacy",
            TimeoutConfig.builder(LIMIT)
                .scheduler(scheduler)
                .mode(Timeout.Mode.ABANDON)
                .executor(executor)
                .build());
    TimeoutMetrics.of(abandoning).bindTo(registry);
    CountDownLatch release = new CountDownLatch(1);

    assertThatThrownBy(
            () ->
                abandoning.call(
                    () -> {
                      scheduler.ticker().advance(LIMIT); // the timer abandons the work, here
                      release.await(); // and the work runs on, as if stuck in socket I/O
                      return "too late";
                    }))
        .isInstanceOf(TimeoutExceededException.class);

    assertThat(gauge("ballast.timeout.abandoned.running", "legacy")).isEqualTo(1.0);
    assertThat(calls(registry, "legacy", "timed_out").count()).isEqualTo(1);
    release.countDown();
    workers.get(0).join(TimeUnit.SECONDS.toMillis(10));
    assertThat(workers.get(0).isAlive()).isFalse();
    assertThat(gauge("ballast.timeout.abandoned.running", "legacy")).isZero();
    assertThat(calls(registry, "legacy", "success").count()).isZero(); // the late result is not one
  }

  @Test
  void aThrowingMeterLeavesTheCallerAndOtherRegistriesAlone() {
    TimeoutMetrics metrics = TimeoutMetrics.of(timeout);
    metrics.bindTo(new BrokenRegistry());
    metrics.bindTo(registry);

    String result = timeout.get(() -> "ok");
    Timeouts.timeOut(timeout, scheduler, Duration.ZERO);

    assertThat(result).isEqualTo("ok");
    assertThat(calls("success").count()).isEqualTo(1);
    assertThat(calls("timed_out").count()).isEqualTo(1);
    assertThat(timeout.stats().calls()).isEqualTo(2);
  }

  @Test
  void resilience4jNamesCountFromTheStatsWithRejectionsAsFailures() {
    Timeouts.succeed(timeout, scheduler, Duration.ofMillis(10)); // before binding: counted too
    TimeoutMetrics.builder(timeout).resilience4jNames().build().bindTo(registry);

    Timeouts.fail(timeout, scheduler, Duration.ofMillis(10));
    Timeouts.reject(timeout, scheduler, Duration.ofMillis(10));
    Timeouts.timeOut(timeout, scheduler, Duration.ZERO);

    assertThat(resilience4jCalls("successful")).isEqualTo(1);
    assertThat(resilience4jCalls("failed")).isEqualTo(2);
    assertThat(resilience4jCalls("timeout")).isEqualTo(1);
    assertThat(registry.getMeters())
        .allSatisfy(meter -> assertThat(meter.getId().getName()).startsWith("resilience4j."));
  }

  private Timer calls(String outcome) {
    return calls(registry, "stock", outcome);
  }

  private static Timer calls(MeterRegistry registry, String name, String outcome) {
    return registry.get("ballast.timeout.calls").tags("name", name, "outcome", outcome).timer();
  }

  private double gauge(String meter) {
    return gauge(meter, "stock");
  }

  private double gauge(String meter, String name) {
    return registry.get(meter).tag("name", name).gauge().value();
  }

  private double resilience4jCalls(String kind) {
    return registry
        .get("resilience4j.timelimiter.calls")
        .tags("name", "stock", "kind", kind)
        .functionCounter()
        .count();
  }
}
