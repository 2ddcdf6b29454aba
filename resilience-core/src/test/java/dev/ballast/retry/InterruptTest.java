package dev.ballast.retry;

import static dev.ballast.retry.Retries.config;
import static dev.ballast.retry.Retries.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ballast.Scheduler;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.retry.Retries.Flaky;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class InterruptTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);

  @AfterEach
  void clearFlag() {
    boolean unused = Thread.interrupted();
  }

  /** Interrupts the retrying thread as the wait is about to begin. */
  private static RetryListener interruptOnRetry() {
    return new RetryListener() {
      @Override
      public void onRetry(int attempt, long delayNanos, @Nullable Throwable cause) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Test
  void anInterruptDuringTheWaitStopsRetryingKeepsTheFlagAndThrowsTheLastFailure() {
    Retry retry = Retry.of("i", config(scheduler).backoff(Backoff.fixed(ms(100))).build());
    retry.addListener(interruptOnRetry());
    Flaky call = new Flaky(5);
    long t0 = ticker.read();
    assertThatThrownBy(() -> retry.call(call)).isInstanceOf(IOException.class).hasMessage("boom 1");
    assertThat(Thread.interrupted()).isTrue();
    assertThat(call.attempts()).isEqualTo(1);
    assertThat(ticker.read()).isEqualTo(t0);
    assertThat(retry.stats().failuresWithoutRetry()).isEqualTo(1);
    assertThat(retry.stats().retries()).isZero();
  }

  @Test
  void anInterruptedThreadDoesNotRetryEvenWithoutAWait() {
    Retry retry = Retry.of("i", config(scheduler).backoff(Backoff.fixed(Duration.ZERO)).build());
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      attempts.incrementAndGet();
                      Thread.currentThread().interrupt();
                      throw new IOException("interrupted I/O");
                    }))
        .hasMessage("interrupted I/O");
    assertThat(attempts).hasValue(1);
    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void anInterruptDuringTheWaitForAResultReturnsTheLastResult() {
    Retry retry =
        Retry.of(
            "i",
            config(scheduler)
                .backoff(Backoff.fixed(ms(100)))
                .retryOnResult(r -> "busy".equals(r))
                .build());
    retry.addListener(interruptOnRetry());
    assertThat(retry.call(() -> "busy")).isEqualTo("busy");
    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void aThreadBlockedInARealWaitIsInterruptedOutOfIt() throws Exception {
    Retry retry =
        Retry.of(
            "real",
            RetryConfig.builder()
                .scheduler(Scheduler.shared())
                .backoff(Backoff.fixed(Duration.ofHours(1)))
                .build());
    AtomicReference<@Nullable Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flagAfter = new AtomicBoolean();
    Thread caller =
        new Thread(
            () -> {
              try {
                retry.call(new Flaky(5));
              } catch (IOException e) {
                thrown.set(e);
              }
              flagAfter.set(Thread.currentThread().isInterrupted());
            },
            "retry-interrupt-test");
    caller.setDaemon(true);
    caller.start();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> caller.getState() == Thread.State.TIMED_WAITING);
    caller.interrupt();
    caller.join(5_000);
    assertThat(caller.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(IOException.class).hasMessage("boom 1");
    assertThat(flagAfter).isTrue();
  }
}
