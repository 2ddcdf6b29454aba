package dev.ballast.retry;

import static dev.ballast.retry.Retries.config;
import static dev.ballast.retry.Retries.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.retry.Retries.Flaky;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The one rule for user callbacks that throw: a VirtualMachineError reaches the caller (thrown on
 * the synchronous path, as the stage's exceptional completion on the asynchronous one) after the
 * counts are consistent; anything else is logged and the call carries on. A stage the retry returns
 * always completes.
 */
final class CallbackErrorTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final StackOverflowError overflow = new StackOverflowError("callback overflow");

  private RetryConfig.Builder zeroWait() {
    return config(scheduler).backoff(Backoff.fixed(Duration.ZERO)).maxAttempts(3);
  }

  private RetryListener overflowingOn(String event) {
    return new RetryListener() {
      @Override
      public void onRetry(int attempt, long delayNanos, @Nullable Throwable cause) {
        if (event.equals("retry")) {
          throw overflow;
        }
      }

      @Override
      public void onGiveUp(int attempts, @Nullable Throwable cause) {
        if (event.equals("giveUp")) {
          throw overflow;
        }
      }
    };
  }

  private static CompletableFuture<String> failed(AtomicInteger n) {
    return CompletableFuture.failedFuture(new IOException("fail " + n.incrementAndGet()));
  }

  private static @Nullable Throwable failure(CompletableFuture<?> out) {
    assertThat(out).as("the returned stage completes").isDone();
    return out.handle((r, e) -> e).join();
  }

  @Test
  void anAsyncListenerThatOverflowsTheStackCompletesTheStageWithTheError() {
    Retry retry = Retry.of("cb", zeroWait().build());
    retry.addListener(overflowingOn("retry"));
    AtomicInteger n = new AtomicInteger();
    CompletableFuture<String> out = retry.<String>callAsync(() -> failed(n)).toCompletableFuture();
    assertThat(out).isDone();
    assertThat(failure(out)).isSameAs(overflow);
    assertThat(n).hasValue(1);
    RetryStats s = retry.stats();
    assertThat(s.calls()).isEqualTo(1);
    assertThat(s.failuresWithoutRetry()).isEqualTo(1);
    assertThat(s.retries()).isZero();
  }

  @Test
  void anAsyncGiveUpListenerThatOverflowsCompletesTheStageAfterCounting() {
    Retry retry = Retry.of("cb", zeroWait().build());
    retry.addListener(overflowingOn("giveUp"));
    AtomicInteger n = new AtomicInteger();
    CompletableFuture<String> out = retry.<String>callAsync(() -> failed(n)).toCompletableFuture();
    assertThat(failure(out)).isSameAs(overflow);
    assertThat(n).hasValue(3);
    assertThat(retry.stats().failuresAfterRetry()).isEqualTo(1);
    assertThat(retry.stats().retries()).isEqualTo(2);
  }

  @Test
  void anAsyncRetryPredicateThatOverflowsCompletesTheStageWithTheError() {
    Retry retry =
        Retry.of(
            "cb",
            zeroWait()
                .retryWhen(
                    t -> {
                      throw overflow;
                    })
                .build());
    AtomicInteger n = new AtomicInteger();
    CompletableFuture<String> out = retry.<String>callAsync(() -> failed(n)).toCompletableFuture();
    assertThat(failure(out)).isSameAs(overflow);
    assertThat(retry.stats().calls()).isEqualTo(1);
    assertThat(retry.stats().failuresWithoutRetry()).isEqualTo(1);
  }

  @Test
  void anAsyncResultPredicateThatOverflowsCompletesTheStageWithTheError() {
    Retry retry =
        Retry.of(
            "cb",
            zeroWait()
                .countCalls(true)
                .retryOnResult(
                    r -> {
                      throw overflow;
                    })
                .build());
    CompletableFuture<String> out =
        retry.callAsync(() -> CompletableFuture.completedFuture("fine")).toCompletableFuture();
    assertThat(failure(out)).isSameAs(overflow);
    assertThat(retry.stats().calls()).isEqualTo(1);
    assertThat(retry.stats().failuresWithoutRetry()).isEqualTo(1);
  }

  @Test
  void anAsyncListenerOverflowAfterAWaitOnTheTimerStillCompletesTheStage() {
    Retry retry = Retry.of("cb", zeroWait().backoff(Backoff.fixed(ms(10))).build());
    retry.addListener(overflowingOn("giveUp"));
    AtomicInteger n = new AtomicInteger();
    CompletableFuture<String> out = retry.<String>callAsync(() -> failed(n)).toCompletableFuture();
    assertThat(out).isNotDone();
    ticker.advance(ms(10));
    assertThat(out).isNotDone();
    ticker.advance(ms(10));
    assertThat(failure(out)).isSameAs(overflow);
    assertThat(retry.stats().failuresAfterRetry()).isEqualTo(1);
  }

  @Test
  void aSyncListenerOverflowReachesTheCallerAfterTheCallIsCounted() {
    Retry retry = Retry.of("cb", zeroWait().build());
    retry.addListener(overflowingOn("retry"));
    Flaky call = new Flaky(5);
    assertThatThrownBy(() -> retry.call(call)).isSameAs(overflow);
    assertThat(call.attempts()).isEqualTo(1);
    RetryStats s = retry.stats();
    assertThat(s.calls()).isEqualTo(1);
    assertThat(s.failuresWithoutRetry()).isEqualTo(1);
    assertThat(s.retries()).isZero();
  }

  @Test
  void aSyncResultPredicateOutOfMemoryOnTheFirstAttemptReachesTheCallerCounted() {
    OutOfMemoryError oom = new OutOfMemoryError("predicate");
    Retry retry =
        Retry.of(
            "cb",
            zeroWait()
                .retryOnResult(
                    r -> {
                      throw oom;
                    })
                .build());
    assertThatThrownBy(() -> retry.call(() -> "fine")).isSameAs(oom);
    assertThatThrownBy(() -> retry.get(() -> "fine")).isSameAs(oom);
    assertThatThrownBy(() -> retry.run(() -> {})).isSameAs(oom);
    assertThat(retry.stats().calls()).isEqualTo(3);
    assertThat(retry.stats().failuresWithoutRetry()).isEqualTo(3);
  }

  @Test
  void aSyncRetryPredicateOverflowOnALaterAttemptIsCountedAsAFailureAfterRetry() {
    AtomicInteger asked = new AtomicInteger();
    Retry retry =
        Retry.of(
            "cb",
            zeroWait()
                .retryWhen(
                    t -> {
                      if (asked.incrementAndGet() == 2) {
                        throw overflow;
                      }
                      return true;
                    })
                .build());
    assertThatThrownBy(() -> retry.call(new Flaky(5))).isSameAs(overflow);
    RetryStats s = retry.stats();
    assertThat(s.failuresAfterRetry()).isEqualTo(1);
    assertThat(s.retries()).isEqualTo(1);
    assertThat(s.calls()).isEqualTo(1);
  }

  @Test
  void anErrorThatIsNotAVirtualMachineErrorIsLoggedAndTheCallCarriesOn() throws IOException {
    Retry retry = Retry.of("cb", zeroWait().build());
    retry.addListener(
        new RetryListener() {
          @Override
          public void onRetry(int attempt, long delayNanos, @Nullable Throwable cause) {
            throw new AssertionError("listener assertion");
          }
        });
    assertThat(retry.call(new Flaky(2))).isEqualTo("ok");
    AtomicInteger n = new AtomicInteger();
    CompletableFuture<String> out =
        retry
            .<String>callAsync(
                () ->
                    n.incrementAndGet() < 3
                        ? CompletableFuture.failedFuture(new IOException("again"))
                        : CompletableFuture.completedFuture("async ok"))
            .toCompletableFuture();
    assertThat(out).isCompletedWithValue("async ok");
    assertThat(retry.stats().successesAfterRetry()).isEqualTo(2);
  }
}
