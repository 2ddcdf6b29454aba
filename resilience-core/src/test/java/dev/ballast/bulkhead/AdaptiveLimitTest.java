package dev.ballast.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.TestTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class AdaptiveLimitTest {

  @Test
  void aimdDefaults() {
    AdaptiveLimit a = AdaptiveLimit.aimd().build();
    assertThat(a.initialLimit()).isEqualTo(20);
    assertThat(a.minLimit()).isEqualTo(1);
    assertThat(a.maxLimit()).isEqualTo(200);
    assertThat(a.window()).isEqualTo(Duration.ofSeconds(1));
    assertThat(a.smoothing()).isEqualTo(0.5);
    assertThat(a.sampling()).isEqualTo(8);
    assertThat(a.increase()).isEqualTo(1);
    assertThat(a.backoffRatio()).isEqualTo(0.9);
    assertThat(a.latencyThreshold()).isEqualTo(Duration.ofSeconds(5));
    assertThat(a)
        .hasToString(
            "AdaptiveLimit.aimd{initialLimit=20, minLimit=1, maxLimit=200, window=PT1S,"
                + " smoothing=0.5, sampling=8, increase=1, backoffRatio=0.9, latencyThreshold=PT5S}");
  }

  @Test
  void gradientDefaults() {
    AdaptiveLimit g = AdaptiveLimit.gradient().build();
    assertThat(g.increase()).isEqualTo(4);
    assertThat(g.tolerance()).isEqualTo(1.2);
    assertThat(g.longWindow()).isEqualTo(60);
    assertThat(g.toString())
        .startsWith("AdaptiveLimit.gradient{")
        .endsWith("tolerance=1.2, longWindow=60}");
  }

  @Test
  void toBuilderKeepsEverySettingAndTheAlgorithm() {
    AdaptiveLimit g =
        AdaptiveLimit.gradient()
            .initialLimit(7)
            .minLimit(3)
            .maxLimit(70)
            .window(Duration.ofMillis(250))
            .smoothing(0.3)
            .sampling(2)
            .increase(2)
            .backoffRatio(0.8)
            .tolerance(1.5)
            .longWindow(10)
            .build();
    assertThat(g.toBuilder().build()).isEqualTo(g).hasSameHashCodeAs(g).hasToString(g.toString());
    assertThat(g.toBuilder().increase(3).build()).isNotEqualTo(g);
    assertThatThrownBy(() -> g.toBuilder().latencyThreshold(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void badValuesAreRefusedNamingTheOptionAndTheValue() {
    AdaptiveLimit.Builder a = AdaptiveLimit.aimd();
    AdaptiveLimit.Builder g = AdaptiveLimit.gradient();
    assertIae(() -> a.initialLimit(0), "initialLimit must be >= 1, was 0");
    assertIae(() -> a.minLimit(-1), "minLimit must be >= 1, was -1");
    assertIae(() -> a.maxLimit(65_537), "maxLimit must be <= 65536, was 65537");
    assertIae(() -> a.window(Duration.ZERO), "window must be > 0, was PT0S");
    assertIae(
        () -> a.window(Duration.ofNanos(999_999)), "window must be >= 1 ms, was PT0.000999999S");
    assertIae(() -> a.window(Duration.ofDays(2)), "window must be <= PT24H, was PT48H");
    assertIae(() -> a.smoothing(Double.NaN), "smoothing must be in (0, 1], was NaN");
    assertIae(() -> a.smoothing(0), "smoothing must be in (0, 1], was 0.0");
    assertIae(() -> a.sampling(0), "sampling must be >= 1, was 0");
    assertIae(() -> a.sampling(1025), "sampling must be <= 1024, was 1025");
    assertIae(() -> a.increase(0), "increase must be >= 1, was 0");
    assertIae(() -> a.backoffRatio(1.0), "backoffRatio must be in [0.5, 1), was 1.0");
    assertIae(() -> a.backoffRatio(Double.NaN), "backoffRatio must be in [0.5, 1), was NaN");
    assertIae(() -> a.backoffRatio(0.4), "backoffRatio must be in [0.5, 1), was 0.4");
    assertIae(
        () -> a.latencyThreshold(Duration.ofMillis(-1)),
        "latencyThreshold must be > 0, was PT-0.001S");
    assertIae(() -> g.tolerance(Double.NaN), "tolerance must be a finite number >= 1.0, was NaN");
    assertIae(() -> g.tolerance(0.9), "tolerance must be a finite number >= 1.0, was 0.9");
    assertIae(
        () -> g.tolerance(Double.POSITIVE_INFINITY),
        "tolerance must be a finite number >= 1.0, was Infinity");
    assertIae(() -> g.tolerance(101), "tolerance must be <= 100, was 101.0");
    assertIae(() -> g.longWindow(1), "longWindow must be in [2, 10000], was 1");
    assertThatThrownBy(() -> a.window(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("window must not be null");
    assertThatThrownBy(() -> a.latencyThreshold(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("latencyThreshold must not be null");
  }

  @Test
  void limitsThatContradictEachOtherAreRefusedAtBuild() {
    assertIae(
        () -> AdaptiveLimit.gradient().minLimit(10).maxLimit(5).initialLimit(5).build(),
        "minLimit must be <= maxLimit (5), was 10");
    assertIae(
        () -> AdaptiveLimit.aimd().minLimit(30).build(),
        "initialLimit must be in [minLimit, maxLimit] = [30, 200], was 20");
    assertIae(
        () -> AdaptiveLimit.aimd().maxLimit(10).build(),
        "initialLimit must be in [minLimit, maxLimit] = [1, 10], was 20");
  }

  @Test
  void anOptionOfTheOtherAlgorithmIsRefusedNamingBoth() {
    assertThatThrownBy(() -> AdaptiveLimit.gradient().latencyThreshold(Duration.ofMillis(50)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the algorithm was already set to gradient(); latencyThreshold(PT0.05S) is an option"
                + " of aimd()");
    assertThatThrownBy(() -> AdaptiveLimit.aimd().tolerance(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the algorithm was already set to aimd(); tolerance(2.0) is an option of gradient()");
    assertThatThrownBy(() -> AdaptiveLimit.aimd().longWindow(5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("longWindow(5)");
  }

  @Test
  void aBulkheadConfigRefusesAFixedAndAnAdaptiveLimitOnOneBuilderNamingBoth() {
    AdaptiveLimit limit = AdaptiveLimit.aimd().build();
    assertThatThrownBy(() -> BulkheadConfig.builder().maxConcurrentCalls(10).adaptiveLimit(limit))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the limit was already set by maxConcurrentCalls(10); adaptiveLimit("
                + limit
                + ") would replace it");
    assertThatThrownBy(() -> BulkheadConfig.builder().adaptiveLimit(limit).maxConcurrentCalls(10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the limit was already set by adaptiveLimit("
                + limit
                + "); maxConcurrentCalls(10) would replace it");
    assertThat(
            BulkheadConfig.builder()
                .maxConcurrentCalls(5)
                .maxConcurrentCalls(6)
                .build()
                .maxConcurrentCalls())
        .as("the same setter again replaces")
        .isEqualTo(6);
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void anAdaptiveConfigStartsAtTheInitialLimitAndItsBuilderMaySwitchToAFixedOne() {
    AdaptiveLimit limit = AdaptiveLimit.gradient().initialLimit(12).build();
    TestTicker ticker = new TestTicker();
    BulkheadConfig config = BulkheadConfig.builder().adaptiveLimit(limit).ticker(ticker).build();
    assertThat(config.maxConcurrentCalls()).isEqualTo(12);
    assertThat(config.maxWaiters()).isEqualTo(12);
    assertThat(config.adaptiveLimit()).isEqualTo(limit);
    assertThat(config.ticker()).isSameAs(ticker);
    assertThat(config.toBuilder().build()).isEqualTo(config);
    assertThat(config.toString()).endsWith(", adaptiveLimit=" + limit + "}");
    BulkheadConfig fixed = config.toBuilder().maxConcurrentCalls(30).build();
    assertThat(fixed.adaptiveLimit()).isNull();
    assertThat(fixed.maxConcurrentCalls()).isEqualTo(30);
    assertThat(Bulkhead.of("fixed", fixed).stats().maxConcurrentCalls()).isEqualTo(30);
    assertThatThrownBy(() -> BulkheadConfig.builder().adaptiveLimit(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("adaptiveLimit must not be null");
    assertThatThrownBy(() -> BulkheadConfig.builder().ticker(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ticker must not be null");
  }

  private static void assertIae(Runnable r, String message) {
    assertThatThrownBy(r::run).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }
}
