package dev.ballast.timeout;

import static dev.ballast.timeout.Fakes.blockFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.testlog.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * DESIGN, "Operators": a listener that throws leaves the timeout's figures consistent. A {@link
 * VirtualMachineError} reaches the caller (thrown on the sync path, as the exceptional completion
 * of the returned stage on the async path, which always completes); anything else is logged,
 * rate-limited and naming the timeout, and the caller's outcome is delivered unchanged.
 */
final class ThrowingListenerTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final Timeout timeout =
      Timeout.of(
          "shaky", TimeoutConfig.builder(Duration.ofSeconds(1)).scheduler(scheduler).build());

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  @AfterEach
  void consistent() {
    assertThat(scheduler.pending()).as("timers left pending").isZero();
    assertThat(Thread.interrupted()).as("interrupt flag after the test").isFalse();
  }

  /** Throws what {@code error} supplies from every event. */
  private static TimeoutListener throwing(Supplier<? extends Throwable> error) {
    return new TimeoutListener() {
      @Override
      public void onSuccess(long durationNanos) {
        sneaky(error.get());
      }

      @Override
      public void onFailure(long durationNanos, Throwable e) {
        sneaky(error.get());
      }

      @Override
      public void onTimeout(long durationNanos) {
        sneaky(error.get());
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static <X extends Throwable> void sneaky(Throwable t) throws X {
    throw (X) t;
  }

  private static Throwable failureOf(CompletionStage<?> stage) {
    CompletableFuture<?> f = stage.toCompletableFuture();
    assertThat(f).as("the returned stage completed").isCompletedExceptionally();
    return f.handle((r, e) -> e).join();
  }

  private List<LogCapture.Line> warnings() {
    return LogCapture.lines(Timeout.class.getName()).stream()
        .filter(l -> l.level() == Level.WARN)
        .toList();
  }

  @Test
  void aStackOverflowInASyncListenerReachesTheCallerAfterTheCallIsCounted() throws Exception {
    timeout.addListener(throwing(() -> new StackOverflowError("listener recursed")));
    assertThatThrownBy(() -> timeout.call(() -> "ok"))
        .isInstanceOf(StackOverflowError.class)
        .hasMessage("listener recursed");
    assertThatThrownBy(
            () ->
                timeout.call(
                    () -> {
                      throw new IOException("disk");
                    }))
        .isInstanceOf(StackOverflowError.class);
    assertThatThrownBy(() -> timeout.call(() -> blockFor(ticker, Duration.ofSeconds(2))))
        .isInstanceOf(StackOverflowError.class);
    assertThat(Thread.currentThread().isInterrupted())
        .as("the timeout's own interrupt was cleared first")
        .isFalse();
    TimeoutStats s = timeout.stats();
    assertThat(s.successes()).isEqualTo(1);
    assertThat(s.failures()).isEqualTo(1);
    assertThat(s.timeouts()).isEqualTo(1);
    assertThat(warnings()).as("a VirtualMachineError is not logged and hidden").isEmpty();
  }

  @Test
  void aStackOverflowInAnAsyncListenerCompletesTheReturnedStageWithIt() {
    timeout.addListener(throwing(() -> new StackOverflowError("listener recursed")));
    CompletableFuture<String> succeeds = new CompletableFuture<>();
    CompletionStage<String> first = timeout.callAsync(() -> succeeds);
    succeeds.complete("quote");
    assertThat(failureOf(first)).isInstanceOf(StackOverflowError.class);

    CompletableFuture<String> fails = new CompletableFuture<>();
    CompletionStage<String> second = timeout.callAsync(() -> fails);
    fails.completeExceptionally(new IOException("down"));
    assertThat(failureOf(second)).isInstanceOf(StackOverflowError.class);

    CompletableFuture<String> hangs = new CompletableFuture<>();
    CompletionStage<String> third = timeout.callAsync(() -> hangs);
    ticker.advance(Duration.ofSeconds(1)); // the timer fires on this thread
    assertThat(failureOf(third)).isInstanceOf(StackOverflowError.class);
    assertThat(hangs).as("the timed-out call is still cancelled").isCancelled();

    TimeoutStats s = timeout.stats();
    assertThat(s.successes()).isEqualTo(1);
    assertThat(s.failures()).isEqualTo(1);
    assertThat(s.timeouts()).isEqualTo(1);
  }

  @Test
  void aRuntimeExceptionInAListenerChangesNoOutcomeSyncOrAsync() throws Exception {
    timeout.addListener(throwing(() -> new IllegalStateException("listener bug")));
    assertThat(timeout.call(() -> "ok")).isEqualTo("ok");
    IOException disk = new IOException("disk");
    assertThatThrownBy(
            () ->
                timeout.call(
                    () -> {
                      throw disk;
                    }))
        .isSameAs(disk);
    assertThatThrownBy(() -> timeout.call(() -> blockFor(ticker, Duration.ofSeconds(2))))
        .isInstanceOf(TimeoutExceededException.class);

    CompletableFuture<String> succeeds = new CompletableFuture<>();
    CompletionStage<String> first = timeout.callAsync(() -> succeeds);
    succeeds.complete("quote");
    assertThat(first.toCompletableFuture()).isCompletedWithValue("quote");
    CompletableFuture<String> hangs = new CompletableFuture<>();
    CompletionStage<String> second = timeout.callAsync(() -> hangs);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(failureOf(second)).isInstanceOf(TimeoutExceededException.class);

    TimeoutStats s = timeout.stats();
    assertThat(s.successes()).isEqualTo(2);
    assertThat(s.failures()).isEqualTo(1);
    assertThat(s.timeouts()).isEqualTo(2);
    assertThat(warnings())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.message()).isEqualTo("name=shaky listener threw; ignored");
              assertThat(l.error()).hasMessage("listener bug");
            });
  }

  @Test
  void aListenerThatAlwaysThrowsLogsOneLinePerIntervalWithTheCountSuppressed() {
    timeout.addListener(throwing(() -> new IllegalStateException("listener bug")));
    for (int i = 0; i < 10_000; i++) {
      timeout.call(() -> "ok");
    }
    assertThat(warnings()).hasSize(1);
    assertThat(warnings().get(0).message()).startsWith("name=shaky ");
    ticker.advance(Duration.ofSeconds(59));
    timeout.call(() -> "ok");
    assertThat(warnings()).as("still inside the interval").hasSize(1);
    ticker.advance(Duration.ofSeconds(1));
    timeout.call(() -> "ok");
    assertThat(warnings())
        .hasSize(2)
        .last()
        .satisfies(
            l ->
                assertThat(l.message())
                    .isEqualTo(
                        "name=shaky listener threw; ignored (10000 more like this suppressed"
                            + " since the last such line)"));
    assertThat(timeout.stats().successes()).isEqualTo(10_002);
  }
}
