package dev.ballast.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.circuitbreaker.CircuitBreaker;
import java.util.List;
import org.junit.jupiter.api.Test;

final class HealthTableTest {

  @Test
  void theScenarioIsATableWithAHeadlineAndOneRowPerComponent() {
    assertThat(Scenario.snapshot().toTable())
        .isEqualTo(
            """
            instance OVERLOADED (live: yes, ready: no) at 2026-12-06T09:00:00Z
            STATUS      PATTERN         NAME       STATE      FIGURES
            UP          boundedqueue    jobs       ACCEPTING  size=3 capacity=100 enqueues=10 \
            rejections=0 failureRejections=0 drops=0 evictions=0
            OVERLOADED  bulkhead        db         FULL       inFlight=2 maxConcurrentCalls=2 \
            waiting=0 calls=42 rejections=1
            DEGRADED    circuitbreaker  inventory  OPEN       windowFailureRate=0 \
            windowSlowCallRate=0 windowCalls=0 windowFailures=0 rejections=1 \
            timeUntilProbeMillis=17200 lastTripFailureRate=0.6 lastTripSlowCallRate=0 \
            lastTripAgeMillis=12800
            UP          loadshedder     api        ACCEPTING  windowMeanMillis=40 targetMillis=100 \
            windowSamples=20 calls=20 rejections=0
            """);
  }

  @Test
  void aNameWithLineBreaksStaysOnOneRowAndALongOneIsCutSoTheColumnsLineUp() {
    String longName = "x".repeat(40);
    HealthSnapshot s =
        HealthSnapshot.of(
            List.of(
                Bulkhead.ofDefaults("two\nlines\u2028"),
                Bulkhead.ofDefaults(longName),
                CircuitBreaker.ofDefaults("never-tripped")),
            HealthSnapshotTest.CLOCK);
    List<String> lines = s.toTable().lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(2)).contains(" two\\u000alines\\u2028 ");
    assertThat(lines.get(3)).contains(" " + "x".repeat(31) + "~ ").doesNotContain("x".repeat(32));
    assertThat(lines.get(4)).contains("lastTripFailureRate=- ").endsWith("lastTripAgeMillis=-");
    int stateColumn = lines.get(1).indexOf("STATE");
    assertThat(lines.subList(2, 5))
        .extracting(l -> l.substring(stateColumn - 2, stateColumn))
        .containsOnly("  ");
    assertThat(lines.subList(2, 5)).extracting(l -> l.charAt(stateColumn)).doesNotContain(' ');
  }

  @Test
  void aFractionIsRoundedToThreeDecimalsAndAWholeNumberLosesItsPoint() {
    assertThat(Table.value(2.0 / 3)).isEqualTo("0.667");
    assertThat(Table.value(17200.0)).isEqualTo("17200");
    assertThat(Table.value(0.0)).isEqualTo("0");
    assertThat(Table.value(1e-9)).isEqualTo("0");
    assertThat(Table.value(42L)).isEqualTo("42");
    assertThat(Table.value(Double.NaN)).isEqualTo("-");
  }
}
