package dev.ballast.timeout;

import static dev.ballast.timeout.Fakes.blockFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.Together;
import dev.ballast.testlog.LogCapture;
import dev.ballast.testlog.ReconfigurationLog;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

final class ReconfigurationTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final Timeout timeout =
      Timeout.of(
          "inventory", TimeoutConfig.builder(Duration.ofSeconds(1)).scheduler(scheduler).build());

  @RegisterExtension final ReconfigurationLog log = new ReconfigurationLog(Timeout.class);

  @Test
  void theNewDurationTimesLaterCalls() {
    TimeoutConfig next = timeout.config().toBuilder().duration(Duration.ofMillis(100)).build();
    timeout.reconfigure(next);
    assertThat(timeout.config()).isSameAs(next);
    assertThat(timeout.duration()).isEqualTo(Duration.ofMillis(100));
    assertThatThrownBy(() -> timeout.call(() -> blockFor(ticker, Duration.ofMillis(200))))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class,
            e -> assertThat(e.duration()).isEqualTo(Duration.ofMillis(100)));
  }

  @Test
  void aCallRunningKeepsTheDeadlineItStartedWith() throws Exception {
    String r =
        timeout.call(
            () -> {
              timeout.reconfigure(
                  timeout.config().toBuilder().duration(Duration.ofMillis(1)).build());
              return blockFor(ticker, Duration.ofMillis(500));
            });
    assertThat(r).isEqualTo("done");
  }

  @Test
  void aConfigRestoresADurationAnOperatorChangedAndSaysSo() {
    TimeoutConfig original = timeout.config();
    timeout.changeDuration(Duration.ofMillis(100));
    LogCapture.clear();
    timeout.reconfigure(original);
    assertThat(timeout.duration()).isEqualTo(Duration.ofSeconds(1));
    assertThat(log.lines("inventory"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.INFO);
              assertThat(l.message())
                  .isEqualTo("name=inventory reconfigured duration=PT0.1S->PT1S");
            });
  }

  @Test
  void stackTracesApplyToTheNextTimeout() {
    timeout.reconfigure(timeout.config().toBuilder().stackTraces(true).build());
    assertThatThrownBy(() -> timeout.call(() -> blockFor(ticker, Duration.ofSeconds(2))))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class, e -> assertThat(e.getStackTrace()).isNotEmpty());
  }

  @Test
  void theSchedulerAndTheModeCannotChangeAndNothingDoes() {
    TimeoutConfig before = timeout.config();
    TimeoutConfig otherScheduler =
        before.toBuilder()
            .duration(Duration.ofSeconds(5))
            .scheduler(new TestScheduler(ticker))
            .build();
    assertThatThrownBy(() -> timeout.reconfigure(otherScheduler))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("timeout 'inventory': scheduler cannot change at run time (was ");
    TimeoutConfig abandon = before.toBuilder().mode(Timeout.Mode.ABANDON).build();
    assertThatThrownBy(() -> timeout.reconfigure(abandon))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "timeout 'inventory': mode cannot change at run time (was INTERRUPT, given ABANDON);"
                + " nothing was changed");
    assertThat(timeout.config()).isSameAs(before);
    assertThat(timeout.duration()).isEqualTo(Duration.ofSeconds(1));
    assertThat(log.lines("inventory")).isEmpty();
  }

  @Test
  @Tag("concurrency")
  void callsRacingReconfigurationsSeeOneDurationOrTheOther() throws Exception {
    List<TimeoutConfig> configs =
        List.of(
            timeout.config(),
            timeout.config().toBuilder().duration(Duration.ofMillis(5)).stackTraces(true).build());
    int perThread = 5_000;
    Together.whileRepeating(
        4,
        t -> {
          for (int i = 0; i < perThread; i++) {
            assertThat(timeout.call(() -> "ok")).isEqualTo("ok");
            assertThat(configs).contains(timeout.config());
            assertThat(timeout.duration()).isIn(Duration.ofSeconds(1), Duration.ofMillis(5));
          }
        },
        round -> timeout.reconfigure(configs.get(round % 2)));
    assertThat(timeout.stats().successes()).isEqualTo(4L * perThread);
    assertThat(scheduler.pending()).isZero();
  }
}
