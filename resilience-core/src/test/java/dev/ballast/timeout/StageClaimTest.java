package dev.ballast.timeout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stage {@code callAsync} returns: the timer, the call and the caller race for it, and whoever
 * claims it first decides. A caller who wins is not counted; a caller who comes after the outcome
 * was decided gets that outcome, counted once.
 */
final class StageClaimTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final Timeout timeout =
      Timeout.of(
          "quotes", TimeoutConfig.builder(Duration.ofSeconds(1)).scheduler(scheduler).build());

  @AfterEach
  void noTimerLeftBehind() {
    assertThat(scheduler.pending()).as("timers still pending").isZero();
  }

  @Test
  void aCancelAfterTheDeadlineClaimedTheCallIsRefusedAndTheTimeoutDelivered() {
    AtomicReference<CompletionStage<String>> out = new AtomicReference<>();
    AtomicBoolean cancelled = new AtomicBoolean(true);
    timeout.addListener(
        new TimeoutListener() {
          @Override
          public void onTimeout(long durationNanos) {
            // the listener hears the timeout before the caller sees it; a cancel now comes late
            cancelled.set(Objects.requireNonNull(out.get()).toCompletableFuture().cancel(true));
          }
        });
    CompletableFuture<String> call = new CompletableFuture<>();
    out.set(timeout.callAsync(() -> call));
    ticker.advance(Duration.ofSeconds(1));
    CompletableFuture<String> f = Objects.requireNonNull(out.get()).toCompletableFuture();
    assertThat(cancelled).as("the late cancel was refused").isFalse();
    assertThat(f.isCancelled()).isFalse();
    assertThat(f.handle((r, e) -> e).join()).isInstanceOf(TimeoutExceededException.class);
    assertThat(call).isCancelled();
    assertThat(timeout.stats().timeouts()).isEqualTo(1);
    assertThat(timeout.stats().calls()).isEqualTo(1);
  }

  @Test
  void aCallerWhoCompletesTheStageFirstIsNotCountedAndTheCallRunsOn() {
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletableFuture<String> out = timeout.callAsync(() -> call).toCompletableFuture();
    assertThat(out.complete("from cache")).isTrue();
    assertThat(out).isCompletedWithValue("from cache");
    assertThat(scheduler.pending()).as("the timer is cancelled").isZero();
    call.complete("late");
    ticker.advance(Duration.ofSeconds(2));
    assertThat(call).as("not cancelled: the caller answered for it").isCompletedWithValue("late");
    assertThat(timeout.stats().calls()).isZero();
  }

  @Test
  void aCallerWhoFailsTheStageFirstIsNotCounted() {
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletableFuture<String> out = timeout.callAsync(() -> call).toCompletableFuture();
    assertThat(out.completeExceptionally(new IllegalStateException("gave up"))).isTrue();
    assertThat(scheduler.pending()).as("the timer is cancelled").isZero();
    assertThat(out.complete("too late")).isFalse();
    ticker.advance(Duration.ofSeconds(2));
    assertThat(timeout.stats().calls()).isZero();
  }

  @Test
  void aCallerWhoCancelsTheStageFirstStopsTheTimerAtOnceAndACancelAgainSaysSo() {
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletableFuture<String> out = timeout.callAsync(() -> call).toCompletableFuture();

    assertThat(out.cancel(true)).isTrue();
    assertThat(scheduler.pending()).as("the timer is cancelled").isZero();
    assertThat(out.cancel(true)).as("already cancelled, as CompletableFuture says").isTrue();

    assertThat(call).isCancelled();
    assertThat(timeout.stats().calls()).isZero();
  }

  @Test
  void failingTheStageAfterTheCallAnsweredChangesNothing() {
    CompletableFuture<String> call = CompletableFuture.completedFuture("quote");
    CompletableFuture<String> out = timeout.callAsync(() -> call).toCompletableFuture();
    assertThat(out.completeExceptionally(new IllegalStateException("gave up"))).isFalse();
    assertThat(out).isCompletedWithValue("quote");
    assertThat(timeout.stats().successes()).isEqualTo(1);
  }

  @Test
  void aCompletionThatFindsTheStageObtrudedSaysItChangedNothing() {
    // obtrudeValue completes the stage without claiming the call (see AsyncCall's notes); a later
    // completion claims it, yet must still answer as CompletableFuture does: it changed nothing.
    List<Predicate<CompletableFuture<String>>> completions =
        List.of(
            f -> f.complete("mine"),
            f -> f.completeExceptionally(new IllegalStateException("gave up")),
            f -> f.cancel(true));
    for (Predicate<CompletableFuture<String>> completion : completions) {
      CompletableFuture<String> out =
          timeout.callAsync(CompletableFuture<String>::new).toCompletableFuture();
      out.obtrudeValue("obtruded");

      assertThat(completion.test(out)).isFalse();
      assertThat(out).isCompletedWithValue("obtruded");
    }
    assertThat(timeout.stats().calls()).isZero();
  }

  @Test
  void completingTheStageAfterTheCallAnsweredChangesNothing() {
    CompletableFuture<String> call = CompletableFuture.completedFuture("quote");
    CompletableFuture<String> out = timeout.callAsync(() -> call).toCompletableFuture();
    assertThat(out.complete("other")).isFalse();
    assertThat(out.cancel(true)).isFalse();
    assertThat(out).isCompletedWithValue("quote");
    assertThat(timeout.stats().successes()).isEqualTo(1);
  }

  @Test
  void aCallWhoseStageThrowsWhenCancelledStillTimesOutAndIsCounted() {
    CompletableFuture<String> stubborn =
        new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            throw new IllegalStateException("cannot cancel");
          }
        };
    CompletableFuture<String> f = timeout.callAsync(() -> stubborn).toCompletableFuture();
    ticker.advance(Duration.ofSeconds(1));
    assertThat(f).isCompletedExceptionally();
    assertThat(f.handle((r, e) -> e).join()).isInstanceOf(TimeoutExceededException.class);
    assertThat(timeout.stats().timeouts()).isEqualTo(1);
  }
}
