package dev.ballast.governor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.TestTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worked example (docs/patterns/governor.md): an autoscaler loop under a governor that lets it
 * scale up freely, scale down slowly, and stops it when its own observations disagree with reality
 * (the book's "Force Multiplier": an autoscaler that believed the fleet idle shut most of it down).
 */
final class AutoscalerExampleTest {

  /** A toy autoscaler: one instance per 100 requests/s, asking the governor before each step. */
  static final class Autoscaler {
    final Governor governor;
    int expected; // what the autoscaler believes it runs
    int running; // what really runs
    final List<String> log = new ArrayList<>();

    Autoscaler(Governor governor, int size) {
      this.governor = governor;
      this.expected = size;
      this.running = size;
    }

    void tick(double requestsPerSecond, int healthyAsReported) {
      governor.observe(expected, healthyAsReported);
      int wanted = (int) Math.ceil(requestsPerSecond / 100);
      if (wanted == expected) {
        return;
      }
      String action = wanted > expected ? "scale-up" : "scale-down";
      int next = wanted > expected ? expected + 1 : expected - 1;
      Decision d = governor.decide(action, next);
      if (d.allowed()) {
        expected = next;
        running = next;
      } else {
        log.add(d.verdict() + " " + action + " " + d.reason());
      }
    }
  }

  @Test
  void scalesUpFreelyDownSlowlyAndStopsWhenItsObservationsDisagreeWithReality() {
    TestTicker ticker = new TestTicker();
    Governor governor =
        Governor.of(
            "autoscaler",
            GovernorConfig.builder()
                .action("scale-up", 20, Duration.ofMinutes(1))
                .action("scale-down", 2, Duration.ofMinutes(10))
                .band(10, 50)
                .divergenceLimit(0.2)
                .ticker(ticker)
                .build());
    Autoscaler scaler = new Autoscaler(governor, 10);

    // a surge: 10 -> 30 instances within a minute of 3 s ticks, one step per tick
    for (int i = 0; i < 20; i++) {
      scaler.tick(3_000, scaler.running);
      ticker.advance(Duration.ofSeconds(3));
    }
    assertThat(scaler.expected).isEqualTo(30);

    // the surge ends: scaling down goes 2 per 10 minutes, not 20 in a minute
    for (int i = 0; i < 60; i++) { // 10 minutes of 10 s ticks
      scaler.tick(1_000, scaler.running);
      ticker.advance(Duration.ofSeconds(10));
    }
    assertThat(scaler.expected).isBetween(26, 28);
    assertThat(scaler.log).contains("DELAY scale-down RATE");

    // monitoring breaks and reports most of the fleet missing: the autoscaler must not act on it
    int before = scaler.expected;
    scaler.log.clear();
    for (int i = 0; i < 60; i++) {
      scaler.tick(200, 3);
      ticker.advance(Duration.ofSeconds(10));
    }
    assertThat(scaler.expected).as("not one instance shut down").isEqualTo(before);
    assertThat(scaler.log).containsOnly("CONFIRM scale-down DIVERGENCE");
    assertThat(governor.stats().divergence()).isGreaterThan(0.8);

    // a person looks, finds the observation wrong, and fixes monitoring: scaling down resumes
    // slowly
    ticker.advance(Duration.ofMinutes(10));
    scaler.tick(200, scaler.running);
    assertThat(scaler.expected).isEqualTo(before - 1);
  }
}
