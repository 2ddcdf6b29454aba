package dev.ballast.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.testkit.ManualScheduler;
import dev.ballast.testkit.ManualTicker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BallastExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class BallastExtensionTest {
  private static @Nullable ManualTicker previousTicker;
  private static @Nullable ManualScheduler previousScheduler;

  private final ManualTicker constructorTicker;
  private @Nullable ManualScheduler beforeEachScheduler;

  BallastExtensionTest(ManualTicker ticker) {
    this.constructorTicker = ticker;
  }

  @BeforeEach
  void setUp(ManualScheduler scheduler) {
    beforeEachScheduler = scheduler;
  }

  @Test
  @Order(1)
  void injectsOneTickerAndASchedulerOnIt(ManualTicker ticker, ManualScheduler scheduler) {
    assertThat(scheduler.ticker()).isSameAs(ticker);
    assertThat(constructorTicker).isSameAs(ticker);
    assertThat(beforeEachScheduler).isSameAs(scheduler);

    AtomicBoolean fired = new AtomicBoolean();
    scheduler.schedule(() -> fired.set(true), Duration.ofSeconds(1).toNanos());
    ticker.advance(Duration.ofSeconds(1));

    assertThat(fired).isTrue();
    previousTicker = ticker;
    previousScheduler = scheduler;
  }

  @Test
  @Order(2)
  void givesEachTestAFreshPairAndClosesThePreviousScheduler(
      ManualTicker ticker, ManualScheduler scheduler) {
    assertThat(previousTicker).isNotNull().isNotSameAs(ticker);
    assertThat(previousScheduler).isNotNull().isNotSameAs(scheduler);
    assertThat(ticker.read()).isZero();
    assertThat(constructorTicker).isSameAs(ticker);

    ManualScheduler previous = Objects.requireNonNull(previousScheduler);
    assertThatThrownBy(() -> previous.schedule(() -> {}, 1))
        .isInstanceOf(IllegalStateException.class);
  }
}
