package dev.ballast.timeout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.Scheduler;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** What a config and a stats snapshot say of themselves, and how configs hash. */
final class DescriptionTest {
  private final Scheduler scheduler = new TestScheduler(new TestTicker());

  /** An executor that says what it is. */
  private static final class Direct implements Executor {
    @Override
    public void execute(Runnable command) {
      command.run();
    }

    @Override
    public String toString() {
      return "direct";
    }
  }

  @Test
  void aConfigNamesEverySettingAndWhetherItsExecutorIsGivenOrPerTimeout() {
    TimeoutConfig perTimeout =
        TimeoutConfig.builder(Duration.ofMillis(250))
            .scheduler(scheduler)
            .mode(Timeout.Mode.ABANDON)
            .build();
    TimeoutConfig given = perTimeout.toBuilder().executor(new Direct()).stackTraces(true).build();

    assertThat(perTimeout)
        .hasToString(
            "TimeoutConfig{duration=PT0.25S, mode=ABANDON, scheduler="
                + scheduler
                + ", executor=per timeout, stackTraces=false}");
    assertThat(given)
        .hasToString(
            "TimeoutConfig{duration=PT0.25S, mode=ABANDON, scheduler="
                + scheduler
                + ", executor=direct, stackTraces=true}");
  }

  @Test
  void configsThatDifferInOneSettingAreNotEqual() {
    TimeoutConfig base = TimeoutConfig.builder(Duration.ofSeconds(1)).scheduler(scheduler).build();
    List<TimeoutConfig> others =
        List.of(
            base.toBuilder().duration(Duration.ofSeconds(2)).build(),
            base.toBuilder().scheduler(new TestScheduler(new TestTicker())).build(),
            base.toBuilder().mode(Timeout.Mode.ABANDON).build(),
            base.toBuilder().mode(Timeout.Mode.ABANDON).executor(new Direct()).build(),
            base.toBuilder().stackTraces(true).build());
    for (TimeoutConfig other : others) {
      assertThat(other).isNotEqualTo(base);
    }
    assertThat(base.toBuilder().build()).hasSameHashCodeAs(base);
    // Settings compared by value feed the hash (the others are compared by identity).
    assertThat(base.toBuilder().duration(Duration.ofSeconds(2)).build().hashCode())
        .isNotEqualTo(base.hashCode());
    assertThat(base.toBuilder().stackTraces(true).build().hashCode()).isNotEqualTo(base.hashCode());
  }

  @Test
  void statsNameEveryFigure() {
    TestTicker ticker = new TestTicker();
    Timeout timeout =
        Timeout.of(
            "described",
            TimeoutConfig.builder(Duration.ofSeconds(1))
                .scheduler(new TestScheduler(ticker))
                .build());
    timeout.call(() -> "ok");
    timeout.call(() -> "ok");

    assertThat(timeout.stats())
        .hasToString(
            "TimeoutStats{calls=2, successes=2, failures=0, rejections=0, timeouts=0,"
                + " abandonedRunning=0, duration=PT1S}");
  }
}
