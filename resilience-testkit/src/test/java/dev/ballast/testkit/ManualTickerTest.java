package dev.ballast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.ballast.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

final class ManualTickerTest {

  @Test
  void startsAtZero() {
    assertThat(new ManualTicker().read()).isZero();
  }

  @Test
  void startsAtTheGivenOrigin() {
    assertThat(new ManualTicker(-5_000L).read()).isEqualTo(-5_000L);
  }

  @Test
  void movesOnlyWhenAdvanced() {
    ManualTicker ticker = new ManualTicker(100);

    assertThat(ticker.read()).isEqualTo(100);
    assertThat(ticker.read()).isEqualTo(100);
    assertThat(ticker.advance(Duration.ofMillis(3))).isEqualTo(3_000_100L);
    assertThat(ticker.advanceNanos(7)).isEqualTo(3_000_107L);
    assertThat(ticker.advance(Duration.ZERO)).isEqualTo(3_000_107L);
    assertThat(ticker.advanceNanos(0)).isEqualTo(3_000_107L);
    assertThat(ticker.read()).isEqualTo(3_000_107L);
  }

  @Test
  void servesAsBothTickerAndLongSupplier() {
    ManualTicker ticker = new ManualTicker();
    Ticker asTicker = ticker;
    LongSupplier asSupplier = ticker;

    ticker.advance(Duration.ofSeconds(2));

    assertThat(asTicker.read()).isEqualTo(2_000_000_000L);
    assertThat(asSupplier.getAsLong()).isEqualTo(2_000_000_000L);
  }

  @Test
  void rejectsNegativeDuration() {
    ManualTicker ticker = new ManualTicker();

    assertThatIllegalArgumentException()
        .isThrownBy(() -> ticker.advance(Duration.ofSeconds(-1)))
        .withMessage("duration must not be negative, was PT-1S");
    assertThat(ticker.read()).isZero();
  }

  @Test
  void rejectsNegativeNanos() {
    ManualTicker ticker = new ManualTicker();

    assertThatIllegalArgumentException()
        .isThrownBy(() -> ticker.advanceNanos(-1))
        .withMessage("nanos must not be negative, was -1");
    assertThat(ticker.read()).isZero();
  }

  @Test
  void rejectsNullDuration() {
    ManualTicker ticker = new ManualTicker();

    assertThatNullPointerException()
        .isThrownBy(() -> ticker.advance(nullDuration()))
        .withMessageContaining("duration");
  }

  @Test
  void rejectsAnAdvanceThatWouldOverflow() {
    ManualTicker ticker = new ManualTicker(Long.MAX_VALUE - 1);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> ticker.advanceNanos(2))
        .withMessageContaining("nanos")
        .withMessageContaining("overflow");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ticker.advance(Duration.ofSeconds(Long.MAX_VALUE)))
        .withMessageContaining("duration");
    assertThat(ticker.read()).isEqualTo(Long.MAX_VALUE - 1);
  }

  @Test
  @Tag("concurrency")
  void countsEveryAdvanceFromManyThreads() throws Exception {
    ManualTicker ticker = new ManualTicker();
    int threads = 8;
    int advancesPerThread = 1_000;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  long last = Long.MIN_VALUE;
                  for (int i = 0; i < advancesPerThread; i++) {
                    long now = ticker.advanceNanos(3);
                    assertThat(now).isGreaterThan(last);
                    last = now;
                  }
                  return last;
                }));
      }
      start.countDown();
      for (Future<Long> result : results) {
        assertThat(result.get()).isPositive();
      }
    } finally {
      pool.shutdown();
    }

    assertThat(ticker.read()).isEqualTo(3L * threads * advancesPerThread);
  }

  @SuppressWarnings("NullAway") // deliberately passes null to check the refusal
  private static Duration nullDuration() {
    return null;
  }
}
