package dev.ballast.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two setters that choose the same thing in different ways are refused on one builder, naming the
 * first; one setter called again replaces its value; a builder from toBuilder() may change them.
 */
final class ConflictingSettingsTest {

  @Test
  void aSecondTripRuleIsRefusedNamingTheFirst() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().countWindow(50).consecutiveFailures(3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "trip rule was already set to countWindow(50); consecutiveFailures(3) would replace it");
    assertThatThrownBy(
            () ->
                CircuitBreakerConfig.builder()
                    .leakyBucket(5, Duration.ofSeconds(2))
                    .timeWindow(Duration.ofSeconds(30)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "trip rule was already set to leakyBucket(5, PT2S); timeWindow(PT30S) would replace it");
    assertThatThrownBy(
            () ->
                CircuitBreakerConfig.builder()
                    .timeWindow(Duration.ofSeconds(30))
                    .leakyBucket(5, Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("trip rule was already set to timeWindow(PT30S)");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().consecutiveFailures(3).countWindow(10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("trip rule was already set to consecutiveFailures(3)");
  }

  @Test
  void theSameTripRuleSetAgainReplacesItsValue() {
    CircuitBreakerConfig c = CircuitBreakerConfig.builder().countWindow(50).countWindow(80).build();
    assertThat(c.tripRule()).isEqualTo(CircuitBreakerConfig.TripRule.FAILURE_RATE_OVER_CALLS);
    assertThat(c.windowCalls()).isEqualTo(80);
  }

  @Test
  void aRefusedTripRuleLeavesTheBuilderAsItWas() {
    CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder().consecutiveFailures(3);
    assertThatThrownBy(() -> b.countWindow(10)).isInstanceOf(IllegalStateException.class);
    CircuitBreakerConfig c = b.build();
    assertThat(c.tripRule()).isEqualTo(CircuitBreakerConfig.TripRule.CONSECUTIVE_FAILURES);
    assertThat(c.windowCalls()).isEqualTo(100);
  }

  @Test
  void aBuilderFromToBuilderMayChangeTheTripRule() {
    CircuitBreakerConfig counted = CircuitBreakerConfig.builder().countWindow(50).build();
    CircuitBreakerConfig timed = counted.toBuilder().timeWindow(Duration.ofSeconds(30)).build();
    assertThat(timed.tripRule()).isEqualTo(CircuitBreakerConfig.TripRule.FAILURE_RATE_OVER_TIME);
    assertThatThrownBy(() -> counted.toBuilder().timeWindow(Duration.ofSeconds(30)).countWindow(5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("trip rule was already set to timeWindow(PT30S)");
  }

  @Test
  void tickerAndSchedulerOnOneBuilderAreRefusedEitherWay() {
    TestTicker ticker = new TestTicker();
    TestScheduler scheduler = new TestScheduler(new TestTicker());
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().ticker(ticker).scheduler(scheduler))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("time source was already set to ticker(")
        .hasMessageContaining("scheduler(");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().scheduler(scheduler).ticker(ticker))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("time source was already set to scheduler(")
        .hasMessageContaining("ticker(");
  }

  @Test
  void aBuilderFromToBuilderMayChangeTheTimeSource() {
    TestTicker first = new TestTicker();
    TestTicker second = new TestTicker();
    CircuitBreakerConfig scheduled =
        CircuitBreakerConfig.builder().scheduler(new TestScheduler(first)).build();
    CircuitBreakerConfig ticked = scheduled.toBuilder().ticker(second).build();
    assertThat(ticked.ticker()).isSameAs(second);
    assertThat(ticked.timer()).as("the scheduler went with the ticker it set").isNull();
    assertThat(CircuitBreakerConfig.builder().ticker(first).ticker(second).build().ticker())
        .isSameAs(second);
  }
}
