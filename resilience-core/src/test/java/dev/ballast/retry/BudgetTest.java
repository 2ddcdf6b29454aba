package dev.ballast.retry;

import static dev.ballast.retry.Retries.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.retry.Retries.Recorder;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class BudgetTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final AtomicLong attempts = new AtomicLong();

  private Retry budgeted(double ratio, int minPerSecond, Duration window, int maxAttempts) {
    return Retry.of(
        "budgeted",
        config(scheduler)
            .backoff(Backoff.fixed(Duration.ZERO))
            .maxAttempts(maxAttempts)
            .budget(ratio, minPerSecond, window)
            .build());
  }

  private void failingCall(Retry retry) {
    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      attempts.incrementAndGet();
                      throw new IOException("down");
                    }))
        .isInstanceOf(IOException.class);
  }

  @Test
  void anOutageCannotMultiplyTheLoad() {
    // 1,000 calls fail; without a budget three attempts each would make 3,000 attempts.
    Retry retry = budgeted(0.1, 1, Duration.ofSeconds(10), 3);
    Recorder r = new Recorder();
    retry.addListener(r);
    for (int i = 0; i < 1000; i++) {
      failingCall(retry);
    }
    RetryStats s = retry.stats();
    assertThat(s.retries()).isEqualTo(100); // max(1/s * 10 s, 0.1 * 1,000 calls)
    assertThat(attempts).hasValue(1100);
    assertThat(s.calls()).isEqualTo(1000);
    assertThat(s.budgetExhausted()).isGreaterThan(900);
    assertThat(s.budgetExhausted() + s.failuresAfterRetry()).isEqualTo(1000);
    assertThat(r.events).contains("budget exhausted");
  }

  @Test
  void theMinimumAllowsRetriesWhenTrafficIsLow() {
    Retry retry = budgeted(0.1, 2, Duration.ofSeconds(1), 2);
    for (int i = 0; i < 5; i++) {
      failingCall(retry);
    }
    assertThat(retry.stats().retries()).isEqualTo(2); // max(2/s * 1 s, 0.1 * 5)
    assertThat(retry.stats().budgetExhausted()).isEqualTo(3);
  }

  @Test
  void theBudgetComesBackAsTheWindowSlides() {
    Retry retry = budgeted(0.0, 1, Duration.ofSeconds(5), 2);
    for (int i = 0; i < 10; i++) {
      failingCall(retry);
    }
    assertThat(retry.stats().retries()).isEqualTo(5);
    ticker.advance(Duration.ofMillis(4_999));
    failingCall(retry);
    assertThat(retry.stats().retries()).isEqualTo(5); // the first bucket is still in the window
    ticker.advance(Duration.ofMillis(501));
    for (int i = 0; i < 10; i++) {
      failingCall(retry);
    }
    assertThat(retry.stats().retries()).isEqualTo(10);
  }

  @Test
  void successesCountTowardsTheRatio() {
    Retry retry = budgeted(0.5, 0, Duration.ofSeconds(10), 2);
    failingCall(retry);
    assertThat(retry.stats().retries()).isZero(); // 0.5 * 1 call < 1 retry
    for (int i = 0; i < 9; i++) {
      retry.call(() -> "ok");
    }
    for (int i = 0; i < 10; i++) {
      failingCall(retry);
    }
    // At the k-th of these failures 10 + k calls allow (10 + k) / 2 retries.
    assertThat(retry.stats().retries()).isEqualTo(10);
    assertThat(retry.stats().successesWithoutRetry()).isEqualTo(9);
  }

  @Test
  void callsBeforeTheFirstFailureOfAWindowAreNotCredited() {
    // Documented: the window's call count starts when its first retry is asked for, so a burst
    // of failures after a quiet spell gets the minimum and the ratio's share of later calls.
    Retry retry = budgeted(0.5, 0, Duration.ofSeconds(10), 2);
    ticker.advance(Duration.ofSeconds(30));
    for (int i = 0; i < 1000; i++) {
      retry.call(() -> "ok");
    }
    ticker.advance(Duration.ofSeconds(1));
    for (int i = 0; i < 4; i++) {
      failingCall(retry);
    }
    // The window counts from the first failure: 0.5 * 3 calls since then, not 0.5 * 1,004.
    assertThat(retry.stats().retries()).isEqualTo(1);
  }

  @Test
  void aRetryThatWillNotHappenTakesNothingFromTheBudget() {
    Retry retry =
        Retry.of(
            "budgeted",
            config(scheduler)
                .backoff(Backoff.fixed(Duration.ZERO))
                .maxAttempts(2)
                .retryOn(IOException.class)
                .budget(0.0, 1, Duration.ofSeconds(1))
                .build());
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(
              () ->
                  retry.call(
                      () -> {
                        throw new IllegalStateException("not retried");
                      }))
          .isInstanceOf(IllegalStateException.class);
    }
    assertThat(retry.stats().budgetExhausted()).isZero();
    failingCall(retry);
    assertThat(retry.stats().retries()).isEqualTo(1);
  }

  @Test
  void aWindowShorterThanASecondStillAllowsTheMinimumRoundedUpToOneRetryPerWindow() {
    // 5 retries per second over 100 ms windows is half a retry per window: rounded up to one.
    Retry retry = budgeted(0.0, 5, Duration.ofMillis(100), 2);
    for (int i = 0; i < 3; i++) {
      failingCall(retry);
    }
    assertThat(retry.stats().retries()).isEqualTo(1);
    assertThat(retry.stats().budgetExhausted()).isEqualTo(2);
    ticker.advance(Duration.ofMillis(100));
    for (int i = 0; i < 3; i++) {
      failingCall(retry);
    }
    assertThat(retry.stats().retries()).isEqualTo(2);
    assertThat(retry.stats().budgetExhausted()).isEqualTo(4);
  }

  @Test
  void aFractionalMinimumIsRoundedUpNeverDown() {
    // 3 per second over 1.5 s is 4.5 retries per window: the minimum is a floor, so 5.
    Retry retry = budgeted(0.0, 3, Duration.ofMillis(1500), 2);
    for (int i = 0; i < 10; i++) {
      failingCall(retry);
    }
    assertThat(retry.stats().retries()).isEqualTo(5);
  }
}
