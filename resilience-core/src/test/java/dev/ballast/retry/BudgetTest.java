package dev.ballast.retry;

import static dev.ballast.retry.Retries.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.retry.Retries.Recorder;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
    assertThat(s.budgetRefusals()).isGreaterThan(900);
    assertThat(s.budgetRefusals() + s.failuresAfterRetry()).isEqualTo(1000);
    assertThat(r.events).contains("budget exhausted");
  }

  @Test
  void theMinimumAllowsRetriesWhenTrafficIsLow() {
    Retry retry = budgeted(0.1, 2, Duration.ofSeconds(1), 2);
    for (int i = 0; i < 5; i++) {
      failingCall(retry);
    }
    assertThat(retry.stats().retries()).isEqualTo(2); // max(2/s * 1 s, 0.1 * 5)
    assertThat(retry.stats().budgetRefusals()).isEqualTo(3);
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
    assertThat(retry.stats().budgetRefusals()).isZero();
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
    assertThat(retry.stats().budgetRefusals()).isEqualTo(2);
    ticker.advance(Duration.ofMillis(100));
    for (int i = 0; i < 3; i++) {
      failingCall(retry);
    }
    assertThat(retry.stats().retries()).isEqualTo(2);
    assertThat(retry.stats().budgetRefusals()).isEqualTo(4);
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

  @Test
  void inTheFirstWindowEveryCallSinceTheBudgetWasMadeCounts() {
    // Buckets of 1 s. Ten calls succeed at once; the first failure comes 9 s later, still in the
    // first window: all eleven calls count, so 0.5 * 11 allows a retry.
    Retry retry = budgeted(0.5, 0, Duration.ofSeconds(10), 2);
    for (int i = 0; i < 10; i++) {
      retry.call(() -> "ok");
    }
    ticker.advance(Duration.ofSeconds(9));
    failingCall(retry);
    assertThat(retry.stats().retries()).isEqualTo(1);
    assertThat(retry.stats().budgetRefusals()).isZero();
  }

  /** An async attempt that fails at once, counted in {@link #attempts}. */
  private CompletionStage<String> failingStage() {
    attempts.incrementAndGet();
    return CompletableFuture.failedFuture(new IOException("down"));
  }

  @Test
  void anAsyncCallCountsTowardsTheBudgetBeforeItsRetryIsDecidedAsASyncCallDoes() {
    // Ratio 1, no minimum: a failing call is one call, which allows one retry.
    Retry sync = budgeted(1.0, 0, Duration.ofSeconds(10), 2);
    failingCall(sync);
    assertThat(sync.stats().retries()).isEqualTo(1);

    Retry async = budgeted(1.0, 0, Duration.ofSeconds(10), 2);
    CompletableFuture<String> out = async.callAsync(this::failingStage).toCompletableFuture();
    assertThat(out).isCompletedExceptionally();
    assertThat(async.stats().retries()).isEqualTo(1);
    assertThat(async.stats().budgetRefusals()).isZero();
  }

  @Test
  @SuppressWarnings("NullAway") // a supplier returning null on purpose
  void everyAsyncCallCountsTowardsTheBudgetHoweverItEnds() {
    // Ratio 0.25, no minimum: the fourth call, failing, is the first the budget allows to retry.
    Retry retry = budgeted(0.25, 0, Duration.ofSeconds(10), 2);
    assertThat(retry.callAsync(() -> CompletableFuture.completedFuture("ok")).toCompletableFuture())
        .isCompletedWithValue("ok");
    assertThat(retry.<String>callAsync(() -> null).toCompletableFuture())
        .isCompletedExceptionally();
    CompletableFuture<String> thrown =
        retry
            .<String>callAsync(
                () -> {
                  throw new IllegalStateException("supplier");
                })
            .toCompletableFuture();
    assertThat(thrown).isCompletedExceptionally();
    assertThat(retry.stats().retries()).isZero();
    assertThat(retry.callAsync(this::failingStage).toCompletableFuture())
        .isCompletedExceptionally();
    assertThat(retry.stats().retries()).isEqualTo(1);
  }

  @Test
  void anAsyncCallEndedByAPredicatesErrorCountsTowardsTheBudget() {
    // Ratio 0.5, no minimum: the call the predicate broke and the failing one make two calls,
    // which allow one retry.
    Retry retry =
        Retry.of(
            "budgeted",
            config(scheduler)
                .backoff(Backoff.fixed(Duration.ZERO))
                .maxAttempts(2)
                .retryWhen(
                    t -> {
                      if ("poison".equals(t.getMessage())) {
                        throw new StackOverflowError("predicate");
                      }
                      return true;
                    })
                .budget(0.5, 0, Duration.ofSeconds(10))
                .build());
    CompletableFuture<String> broken =
        retry
            .<String>callAsync(() -> CompletableFuture.failedFuture(new IOException("poison")))
            .toCompletableFuture();
    assertThat(broken.handle((r, e) -> e).join()).isInstanceOf(StackOverflowError.class);
    assertThat(retry.callAsync(this::failingStage).toCompletableFuture())
        .isCompletedExceptionally();
    assertThat(retry.stats().retries()).isEqualTo(1);
  }

  @Test
  void aCallEndedByAResultPredicatesErrorCountsTowardsTheBudget() {
    // Ratio 0.5, no minimum: the call the predicate broke and the failing one make two calls.
    Retry retry =
        Retry.of(
            "budgeted",
            config(scheduler)
                .backoff(Backoff.fixed(Duration.ZERO))
                .maxAttempts(2)
                .retryOnResult(
                    r -> {
                      if ("poison".equals(r)) {
                        throw new OutOfMemoryError("predicate");
                      }
                      return false;
                    })
                .budget(0.5, 0, Duration.ofSeconds(10))
                .build());
    assertThatThrownBy(() -> retry.call(() -> "poison")).isInstanceOf(OutOfMemoryError.class);
    failingCall(retry);
    assertThat(retry.stats().retries()).isEqualTo(1);
  }
}
