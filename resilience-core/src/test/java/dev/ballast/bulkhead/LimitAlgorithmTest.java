package dev.ballast.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each algorithm, one window at a time: {@code update(samples, rttSum, drops, maxInFlight)}. */
final class LimitAlgorithmTest {
  private static final long MS = 1_000_000L;

  private static LimitAlgorithm aimd(int initial) {
    return LimitAlgorithm.of(
        AdaptiveLimit.aimd()
            .initialLimit(initial)
            .minLimit(2)
            .maxLimit(50)
            .smoothing(1)
            .latencyThreshold(Duration.ofMillis(20))
            .build());
  }

  private static LimitAlgorithm gradient(int initial) {
    return LimitAlgorithm.of(
        AdaptiveLimit.gradient()
            .initialLimit(initial)
            .minLimit(2)
            .maxLimit(100)
            .smoothing(1)
            .longWindow(3)
            .build());
  }

  /** One window of {@code n} calls of {@code ms} each, the limit fully used. */
  private static int window(LimitAlgorithm a, long ms) {
    return a.update(10, 10 * ms * MS, 0, a.current());
  }

  @Test
  void aimdGrowsByItsIncreaseWhileLatencyStaysUnderTheThreshold() {
    LimitAlgorithm a = aimd(10);
    assertThat(window(a, 10)).isEqualTo(11);
    assertThat(window(a, 20)).as("at the threshold still grows").isEqualTo(12);
  }

  @Test
  void aimdDoesNotGrowALimitTheCallersDoNotUse() {
    LimitAlgorithm a = aimd(10);
    assertThat(a.update(10, 100 * MS, 0, 4)).isEqualTo(10);
    assertThat(a.update(10, 100 * MS, 0, 5)).as("half the limit counts as used").isEqualTo(11);
  }

  @Test
  void aimdBacksOffByItsRatioAboveTheThresholdAndOnADrop() {
    LimitAlgorithm a = aimd(40);
    assertThat(window(a, 21)).isEqualTo(36);
    assertThat(a.update(10, 100 * MS, 1, 36)).as("a drop, latency fine").isEqualTo(32);
    assertThat(a.update(0, 0, 3, 0)).as("only drops, nothing timed").isEqualTo(29);
  }

  @Test
  void aimdTakesAtLeastOneOffAndStaysWithinItsBounds() {
    LimitAlgorithm a = aimd(4);
    assertThat(window(a, 30)).as("4 * 0.9 rounds to 4: one off instead").isEqualTo(3);
    assertThat(window(a, 30)).isEqualTo(2);
    assertThat(window(a, 30)).as("minLimit").isEqualTo(2);
    LimitAlgorithm b = aimd(50);
    assertThat(window(b, 1)).as("maxLimit").isEqualTo(50);
  }

  @Test
  void aimdJudgesTheSmoothedLatency() {
    LimitAlgorithm a =
        LimitAlgorithm.of(
            AdaptiveLimit.aimd()
                .initialLimit(10)
                .smoothing(0.5)
                .latencyThreshold(Duration.ofMillis(20))
                .build());
    assertThat(window(a, 10)).isEqualTo(11);
    assertThat(window(a, 28)).as("smoothed: 19 ms").isEqualTo(12);
    assertThat(window(a, 28)).as("smoothed: 23.5 ms").isEqualTo(11);
  }

  @Test
  void aTimedWindowWithoutSamplesLeavesTheLimit() {
    LimitAlgorithm a = aimd(10);
    assertThat(a.update(0, 0, 0, 10)).isEqualTo(10);
    LimitAlgorithm g = gradient(10);
    assertThat(g.update(0, 0, 0, 10)).isEqualTo(10);
  }

  @Test
  void gradientGrowsByItsIncreaseWhileLatencyStaysWithinTheTolerance() {
    LimitAlgorithm g = gradient(20);
    assertThat(window(g, 10)).isEqualTo(24);
    assertThat(window(g, 12)).as("1.2 times the no-load latency").isEqualTo(28);
    assertThat(g.update(10, 100 * MS, 0, 13)).as("not used").isEqualTo(28);
  }

  @Test
  void gradientCutsToTheConcurrencyServedWithoutQueueingTimesTheBackoffRatio() {
    LimitAlgorithm g = gradient(40);
    window(g, 10); // no-load 10 ms; the limit grows to 44
    assertThat(window(g, 16)).as("44 * 10 / 16 * 0.9").isEqualTo(25);
  }

  @Test
  void gradientNeverCutsByMoreThanHalfTimesTheBackoffRatioInOneWindow() {
    LimitAlgorithm g = gradient(40);
    window(g, 10);
    assertThat(window(g, 100)).as("44 * 0.5 * 0.9").isEqualTo(20);
  }

  @Test
  void gradientBacksOffOnADrop() {
    LimitAlgorithm g = gradient(40);
    assertThat(g.update(10, 100 * MS, 2, 40)).isEqualTo(36);
  }

  @Test
  void gradientAcceptsASlowerDependencyAfterTheLongWindow() {
    GradientAlgorithm g = (GradientAlgorithm) gradient(40);
    window(g, 10);
    window(g, 30);
    assertThat(g.noLoadLatency()).isEqualTo(10.0 * MS);
    window(g, 30);
    window(g, 30);
    assertThat(g.noLoadLatency())
        .as("three windows of 30 ms: the 10 ms one left")
        .isEqualTo(30.0 * MS);
    int limit = g.current();
    assertThat(window(g, 30)).as("30 ms is the new normal: grows again").isEqualTo(limit + 4);
  }

  @Test
  void gradientFollowsAFasterDependencyAtOnce() {
    GradientAlgorithm g = (GradientAlgorithm) gradient(20);
    window(g, 10);
    window(g, 5);
    assertThat(g.noLoadLatency()).isEqualTo(5.0 * MS);
  }
}
