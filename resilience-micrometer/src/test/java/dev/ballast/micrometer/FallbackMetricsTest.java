package dev.ballast.micrometer;

import static dev.ballast.micrometer.Fallbacks.BAD;
import static dev.ballast.micrometer.Fallbacks.WORSE;
import static dev.ballast.micrometer.Fallbacks.rejection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.CheckedCallable;
import dev.ballast.fallback.Fallback;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

final class FallbackMetricsTest {
  private final Fallback<String> fallback = Fallbacks.everyTrigger("pricing");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void countsCallsByOutcomeAndTrigger() throws IOException {
    FallbackMetrics.of(fallback).bindTo(registry);

    fallback.apply(() -> "ok");
    fallback.apply(() -> "ok");
    assertThatThrownBy(() -> fallback.apply(() -> fail(new IllegalArgumentException("bug"))))
        .isInstanceOf(IllegalArgumentException.class); // no trigger: passes through
    fallback.apply(() -> fail(new IOException("down")));
    fallback.apply(() -> BAD);
    fallback.apply(() -> fail(rejection("open")));
    fallback.apply(() -> fail(rejection("open")));
    breakFallback(() -> fail(new IOException("unfixable")));
    breakFallback(() -> WORSE);
    breakFallback(() -> fail(rejection("unfixable")));
    breakFallback(() -> fail(rejection("unfixable")));

    assertThat(calls("passed", "none")).isEqualTo(3);
    assertThat(calls("fallback", "exception")).isEqualTo(1);
    assertThat(calls("fallback", "result")).isEqualTo(1);
    assertThat(calls("fallback", "rejection")).isEqualTo(2);
    assertThat(calls("fallback_failed", "exception")).isEqualTo(1);
    assertThat(calls("fallback_failed", "result")).isEqualTo(1);
    assertThat(calls("fallback_failed", "rejection")).isEqualTo(2);
    assertThat(registry.find("ballast.fallback.calls").meters()).hasSize(7);
  }

  @Test
  void passedCountNeverGoesDownWhenARunningCallFallsBack() throws IOException {
    FallbackMetrics.of(fallback).bindTo(registry);
    List<Double> seenDuringTheCall = new ArrayList<>();

    fallback.apply(
        () -> {
          seenDuringTheCall.add(calls("passed", "none")); // a scrape while the call runs
          throw new IOException("down");
        });

    assertThat(seenDuringTheCall).containsExactly(1.0);
    assertThat(calls("passed", "none")).isEqualTo(1); // not 0: a counter never goes down
    fallback.apply(() -> "ok"); // the first call that really passes is absorbed
    assertThat(calls("passed", "none")).isEqualTo(1);
    fallback.apply(() -> "ok");
    assertThat(calls("passed", "none")).isEqualTo(2);
  }

  @Test
  void countsSubstitutesServedBeforeBindingButFailuresOnlyAfter() throws IOException {
    fallback.apply(() -> fail(new IOException("down")));
    breakFallback(() -> fail(new IOException("unfixable")));

    FallbackMetrics.of(fallback).bindTo(registry);

    assertThat(calls("fallback", "exception")).isEqualTo(1);
    assertThat(calls("fallback_failed", "exception")).isZero();
    breakFallback(() -> fail(new IOException("unfixable")));
    assertThat(calls("fallback_failed", "exception")).isEqualTo(1);
  }

  @Test
  void aThrowingMeterLeavesTheCallerAndOtherRegistriesAlone() {
    MeterRegistry throwing = new BrokenRegistry();
    FallbackMetrics metrics = FallbackMetrics.of(fallback);
    metrics.bindTo(throwing);
    metrics.bindTo(registry);

    assertThatThrownBy(() -> fallback.apply(() -> fail(new IOException("unfixable"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the fallback function broke")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));

    assertThat(calls("fallback_failed", "exception")).isEqualTo(1);
    assertThat(fallback.stats().fallbackFailures()).isEqualTo(1);
  }

  @Test
  @Tag("concurrency")
  void countsAddUpAfterConcurrentCallsAndScrapes() throws Exception {
    FallbackMetrics.of(fallback).bindTo(registry);
    int threads = 4;
    int callsEach = 20_000;
    AtomicBoolean done = new AtomicBoolean();
    List<Double> decreases = new ArrayList<>();
    Thread scraper =
        new Thread(
            () -> {
              double last = 0;
              while (!done.get()) {
                double now = calls("passed", "none");
                if (now < last) {
                  decreases.add(now);
                }
                last = now;
              }
            },
            "fallback-metrics-scraper");
    scraper.setDaemon(true);
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread caller = new Thread(() -> randomCalls(callsEach), "fallback-metrics-caller-" + t);
      caller.setDaemon(true);
      callers.add(caller);
    }
    scraper.start();
    callers.forEach(Thread::start);
    for (Thread caller : callers) {
      caller.join();
    }
    done.set(true);
    scraper.join();

    long passed =
        threads * (long) callsEach
            - fallback.stats().fallbacks()
            - fallback.stats().fallbackFailures();
    assertThat(decreases).isEmpty();
    // Calls running at a scrape may have been counted as passed before they fell back.
    assertThat(calls("passed", "none")).isBetween((double) passed, (double) passed + threads);
    double served = 0;
    double failed = 0;
    for (String trigger : List.of("exception", "result", "rejection")) {
      served += calls("fallback", trigger);
      failed += calls("fallback_failed", trigger);
    }
    assertThat(served).isEqualTo((double) fallback.stats().fallbacks());
    assertThat(failed).isEqualTo((double) fallback.stats().fallbackFailures());
  }

  private void randomCalls(int count) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < count; i++) {
      try {
        switch (random.nextInt(4)) {
          case 0 -> fallback.apply(() -> "ok");
          case 1 -> fallback.apply(() -> BAD);
          case 2 -> fallback.apply(() -> fail(new IOException("down")));
          default -> fallback.apply(() -> WORSE);
        }
      } catch (IOException | IllegalStateException e) {
        // WORSE makes the result fallback throw; counted as fallback_failed
      }
    }
  }

  /** Makes a call whose fallback function throws. */
  private void breakFallback(CheckedCallable<String, IOException> call) {
    assertThatThrownBy(() -> fallback.apply(call))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the fallback function broke");
  }

  private static String fail(Exception e) throws IOException {
    if (e instanceof IOException io) {
      throw io;
    }
    throw (RuntimeException) e;
  }

  private double calls(String outcome, String trigger) {
    return calls(registry, outcome, trigger);
  }

  /** The count of the one counter, plain or function, with these tags. */
  private static double calls(MeterRegistry registry, String outcome, String trigger) {
    Meter meter =
        registry
            .get("ballast.fallback.calls")
            .tags("name", "pricing", "outcome", outcome, "trigger", trigger)
            .meter();
    return meter.measure().iterator().next().getValue();
  }
}
