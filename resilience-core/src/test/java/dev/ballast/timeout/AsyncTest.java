package dev.ballast.timeout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class AsyncTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final Timeout timeout =
      Timeout.of(
          "quotes", TimeoutConfig.builder(Duration.ofSeconds(1)).scheduler(scheduler).build());

  @AfterEach
  void noTimerLeftBehind() {
    assertThat(scheduler.pending()).as("timers still pending").isZero();
  }

  private static Throwable failureOf(CompletionStage<?> stage) {
    CompletableFuture<?> f = stage.toCompletableFuture();
    assertThat(f).isCompletedExceptionally();
    return f.handle((r, e) -> e).join();
  }

  @Test
  void completesWithTheResultAndCancelsTheTimerWhenTheCallFinishesInTime() {
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> out = timeout.callAsync(() -> call);
    assertThat(scheduler.pending()).isEqualTo(1);
    ticker.advance(Duration.ofMillis(999));
    call.complete("quote");
    assertThat(out.toCompletableFuture()).isCompletedWithValue("quote");
    assertThat(timeout.stats().successes()).isEqualTo(1);
  }

  @Test
  void failsAtTheDeadlineAndCancelsTheCallsFuture() {
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> out = timeout.callAsync(() -> call);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(failureOf(out))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class, e -> assertThat(e.component()).isEqualTo("quotes"));
    assertThat(call).isCancelled();
    assertThat(timeout.stats().timeouts()).isEqualTo(1);
    assertThat(timeout.stats().calls()).isEqualTo(1);
  }

  @Test
  void timesOutAStageThatCannotBeCancelled() {
    Uncancellable<String> call = new Uncancellable<>();
    CompletionStage<String> out = timeout.callAsync(() -> call);
    ticker.advance(Duration.ofSeconds(2));
    assertThat(failureOf(out)).isInstanceOf(TimeoutExceededException.class);
    call.complete("too late");
    assertThat(timeout.stats().successes()).isZero();
  }

  @Test
  void passesTheCallsFailureThroughUnwrapped() {
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> out = timeout.callAsync(() -> call.thenApply(s -> s));
    IOException failure = new IOException("down");
    call.completeExceptionally(failure);
    assertThat(failureOf(out)).isSameAs(failure);
    assertThat(timeout.stats().failures()).isEqualTo(1);
  }

  @Test
  void aThrowingOrNullSupplierFailsTheStage() {
    IllegalStateException boom = new IllegalStateException("boom");
    assertThat(
            failureOf(
                timeout.<String>callAsync(
                    () -> {
                      throw boom;
                    })))
        .isSameAs(boom);
    assertThat(failureOf(timeout.<String>callAsync(() -> null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("supplier returned a null stage");
    assertThat(timeout.stats().failures()).isEqualTo(2);
  }

  @Test
  void cancellingTheReturnedStageCancelsTheCallAndTheTimer() {
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> out = timeout.callAsync(() -> call);
    assertThat(out.toCompletableFuture().cancel(true)).isTrue();
    assertThat(call).isCancelled();
    ticker.advance(Duration.ofSeconds(2));
    assertThat(timeout.stats().calls()).as("a cancelled call is not counted").isZero();
  }

  @Test
  void aDeadlineThatPassesWhileTheSupplierStartsTheCallCancelsItAtOnce() {
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> out =
        timeout.callAsync(
            () -> {
              ticker.advance(Duration.ofSeconds(2)); // slow to even start
              return call;
            });
    assertThat(failureOf(out)).isInstanceOf(TimeoutExceededException.class);
    assertThat(call).isCancelled();
  }

  @Test
  void overridesTheDurationPerCall() {
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> out = timeout.callAsync(Duration.ofSeconds(5), () -> call);
    ticker.advance(Duration.ofSeconds(2));
    assertThat(out.toCompletableFuture()).isNotDone();
    ticker.advance(Duration.ofSeconds(3));
    assertThat(failureOf(out))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class,
            e -> assertThat(e.duration()).isEqualTo(Duration.ofSeconds(5)));
  }

  @Test
  void aCompletionExceptionIsUnwrapped() {
    IOException failure = new IOException("x");
    CompletionStage<String> out =
        timeout.callAsync(() -> CompletableFuture.failedFuture(new CompletionException(failure)));
    assertThat(failureOf(out)).isSameAs(failure);
  }

  /** A stage that refuses to be seen as a future, like some third-party stages. */
  static final class Uncancellable<T> extends CompletableFuture<T> {
    @Override
    public CompletableFuture<T> toCompletableFuture() {
      throw new UnsupportedOperationException();
    }
  }
}
