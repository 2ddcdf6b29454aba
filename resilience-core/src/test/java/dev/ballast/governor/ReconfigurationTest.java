package dev.ballast.governor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.TestTicker;
import dev.ballast.Together;
import dev.ballast.governor.Decision.Verdict;
import dev.ballast.testlog.ReconfigurationLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

final class ReconfigurationTest {
  private final TestTicker ticker = new TestTicker();
  private final Governor governor =
      Governor.of(
          "autoscaler",
          GovernorConfig.builder()
              .ticker(ticker)
              .action("resize", 2, Duration.ofMinutes(10))
              .band(10, 20)
              .refuseBeyond(2)
              .confirmBeyond(1)
              .build());

  @RegisterExtension final ReconfigurationLog log = new ReconfigurationLog(Governor.class);

  @Test
  void aFasterRateKeepsWhatTheKindHasSpent() {
    assertThat(governor.decide("resize").verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(governor.decide("resize").verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(governor.decide("resize").verdict()).isEqualTo(Verdict.DELAY);
    GovernorConfig next =
        governor.config().toBuilder().action("resize", 4, Duration.ofMinutes(10)).build();
    governor.reconfigure(next);
    assertThat(governor.config()).isSameAs(next);
    assertThat(governor.decide("resize").verdict())
        .as("the two taken still fill the period")
        .isEqualTo(Verdict.DELAY);
    ticker.advance(Duration.ofMinutes(2).plusSeconds(30)); // one new interval, half an old one
    assertThat(governor.decide("resize").verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(log.lines("autoscaler"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.INFO);
              assertThat(l.message()).startsWith("name=autoscaler reconfigured actions=");
            });
  }

  @Test
  void aNewKindStartsWithItsWholeRateAndARemovedOneIsUnknown() {
    governor.reconfigure(
        governor.config().toBuilder()
            .withoutAction("resize")
            .action("restart", 1, Duration.ofMinutes(1))
            .build());
    assertThat(governor.decide("restart").verdict()).isEqualTo(Verdict.ALLOW);
    assertThatThrownBy(() -> governor.decide("resize"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("known: [restart, scale-down, scale-up]");
  }

  @Test
  void aWiderBandAppliesFromTheNextDecision() {
    assertThat(governor.decide("resize", 45).verdict()).isEqualTo(Verdict.REFUSE);
    governor.reconfigure(governor.config().toBuilder().band(10, 40).build());
    assertThat(governor.decide("resize", 45).verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void aPauseSurvivesAReconfiguration() {
    governor.pause("incident 42");
    governor.reconfigure(governor.config().toBuilder().resistance(2).build());
    assertThat(governor.decide("resize").verdict()).isEqualTo(Verdict.REFUSE);
  }

  @Test
  void theTickerCannotChangeAndNothingDoes() {
    GovernorConfig before = governor.config();
    assertThatThrownBy(
            () ->
                governor.reconfigure(
                    before.toBuilder().resistance(3).ticker(new TestTicker()).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("governor 'autoscaler': ticker cannot change at run time (was ");
    assertThat(governor.config()).isSameAs(before);
    assertThat(log.lines("autoscaler")).isEmpty();
  }

  @Test
  @Tag("concurrency")
  void decisionsRacingReconfigurationsNeverExceedTheFasterRate() throws Exception {
    GovernorConfig slow = governor.config();
    GovernorConfig fast = slow.toBuilder().action("resize", 100, Duration.ofMinutes(10)).build();
    List<GovernorConfig> configs = List.of(slow, fast);
    LongAdder allowed = new LongAdder();
    Together.whileRepeating(
        4,
        t -> {
          for (int i = 0; i < 5_000; i++) {
            if (governor.decide("resize").verdict() == Verdict.ALLOW) {
              allowed.increment();
            }
            assertThat(configs).contains(governor.config());
          }
        },
        round -> governor.reconfigure(configs.get(round % 2)));
    // Time stood still: one period holds at most the faster rate's 100 actions.
    assertThat(allowed.sum()).isBetween(2L, 100L);
    assertThat(governor.stats().allowed()).isEqualTo(allowed.sum());
  }
}
