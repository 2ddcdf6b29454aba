package dev.ballast.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.Scheduler;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.Ticker;
import org.junit.jupiter.api.Test;

final class TimersTest {

  @Test
  void aGivenSchedulerIsTheTimerWhateverTheTicker() {
    TestTicker ticker = new TestTicker();
    TestScheduler given = new TestScheduler(ticker);
    assertThat(Timers.of(ticker, given)).isSameAs(given);
    assertThat(Timers.of(Ticker.system(), given)).isSameAs(given);
  }

  @Test
  void theSystemTickerWithoutASchedulerGetsTheSharedOne() {
    assertThat(Timers.of(Ticker.system(), null)).isSameAs(Scheduler.shared());
  }

  @Test
  void anotherTickerWithoutASchedulerGetsNoneSoItIsReadEveryCall() {
    assertThat(Timers.of(new TestTicker(), null)).isNull();
  }
}
