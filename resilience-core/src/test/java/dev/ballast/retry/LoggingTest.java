package dev.ballast.retry;

import static dev.ballast.retry.Retries.config;
import static dev.ballast.retry.Retries.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Cancellable;
import dev.ballast.CheckedCallable;
import dev.ballast.Scheduler;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.Ticker;
import dev.ballast.retry.Retries.Flaky;
import dev.ballast.retry.Retries.Thrower;
import dev.ballast.testlog.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

final class LoggingTest {
  private static final String LOGGER = Retry.class.getName();
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  private static List<LogCapture.Line> lines() {
    return LogCapture.lines(LOGGER).stream()
        .filter(l -> l.message().contains("name=logged"))
        .toList();
  }

  @Test
  void nothingIsLoggedPerCall() throws IOException {
    Retry retry = Retry.of("logged", config(scheduler).backoff(Backoff.fixed(ms(1))).build());
    for (int i = 0; i < 100; i++) {
      retry.call(() -> "ok");
      assertThat(retry.call(new Flaky(1))).isEqualTo("ok");
    }
    assertThat(lines()).isEmpty();
  }

  @Test
  void givingUpIsLoggedAtDebugWithTheAttemptsAndTheCause() {
    Retry retry =
        Retry.of("logged", config(scheduler).backoff(Backoff.fixed(ms(1))).maxAttempts(3).build());
    assertThatThrownBy(() -> retry.call(new Flaky(9))).isInstanceOf(IOException.class);
    assertThat(lines())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.DEBUG);
              assertThat(l.message())
                  .isEqualTo(
                      "name=logged gave up after 3 attempts reason=maxAttempts"
                          + " cause=java.io.IOException: boom 3");
            });
  }

  @Test
  void anExhaustedBudgetIsAWarningAtMostOncePerWindow() {
    Retry retry =
        Retry.of(
            "logged",
            config(scheduler)
                .backoff(Backoff.fixed(Duration.ZERO))
                .maxAttempts(2)
                .budget(0.0, 1, Duration.ofSeconds(10))
                .build());
    for (int i = 0; i < 50; i++) {
      assertThatThrownBy(() -> retry.call(new Flaky(9))).isInstanceOf(IOException.class);
    }
    List<LogCapture.Line> warnings = lines().stream().filter(l -> l.level() == Level.WARN).toList();
    assertThat(warnings)
        .singleElement()
        .satisfies(
            l ->
                assertThat(l.message())
                    .isEqualTo(
                        "name=logged retry budget exhausted: retries=10 allowed=10.0 calls=11"
                            + " windowMs=10000 budgetRefusalsTotal=1;"
                            + " failures go to callers without retry"));
    ticker.advance(Duration.ofSeconds(10));
    for (int i = 0; i < 50; i++) {
      assertThatThrownBy(() -> retry.call(new Flaky(9))).isInstanceOf(IOException.class);
    }
    assertThat(lines().stream().filter(l -> l.level() == Level.WARN)).hasSize(2);
  }

  @Test
  void aThrowingListenerIsLoggedWithTheRetrysName() throws IOException {
    Retry retry = Retry.of("logged", config(scheduler).backoff(Backoff.fixed(ms(1))).build());
    retry.addListener(new Thrower());
    assertThat(retry.call(new Flaky(1))).isEqualTo("ok");
    assertThat(lines())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.WARN);
              assertThat(l.message()).isEqualTo("name=logged listener threw; ignored");
              assertThat(l.error()).hasMessage("listener bug");
            });
  }

  @Test
  void aThrowingPredicateIsLogged() {
    Retry retry =
        Retry.of(
            "logged",
            config(scheduler)
                .retryWhen(
                    t -> {
                      throw new IllegalStateException("predicate bug");
                    })
                .build());
    assertThatThrownBy(() -> retry.call(new Flaky(1))).isInstanceOf(IOException.class);
    assertThat(lines())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.WARN);
              assertThat(l.message())
                  .isEqualTo(
                      "name=logged retryOn predicate threw on java.io.IOException; not retrying");
            });
  }

  private static List<LogCapture.Line> warnings() {
    return lines().stream().filter(l -> l.level() == Level.WARN).toList();
  }

  private void assertOneLineThenOneWithTheCount(Runnable call, String message) {
    for (int i = 0; i < 10_000; i++) {
      call.run();
    }
    assertThat(warnings())
        .singleElement()
        .satisfies(l -> assertThat(l.message()).isEqualTo(message));
    ticker.advance(Duration.ofSeconds(59));
    call.run();
    assertThat(warnings()).hasSize(1);
    ticker.advance(Duration.ofSeconds(1));
    call.run();
    assertThat(warnings())
        .hasSize(2)
        .last()
        .satisfies(
            l ->
                assertThat(l.message())
                    .isEqualTo(
                        message + " (10000 more like this suppressed since the last such line)"));
  }

  @Test
  void aListenerThatAlwaysThrowsLogsOneLineThenOnePerIntervalWithTheCount() {
    Retry retry =
        Retry.of("logged", config(scheduler).backoff(Backoff.fixed(Duration.ZERO)).build());
    retry.addListener(new Thrower());
    assertOneLineThenOneWithTheCount(
        () -> assertThat(retry.get(new Flaky(1)::callUnchecked)).isEqualTo("ok"),
        "name=logged listener threw; ignored");
  }

  @Test
  void aRetryPredicateThatAlwaysThrowsLogsOneLineThenOnePerIntervalWithTheCount() {
    Retry retry =
        Retry.of(
            "logged",
            config(scheduler)
                .retryWhen(
                    t -> {
                      throw new IllegalStateException("predicate bug");
                    })
                .build());
    assertOneLineThenOneWithTheCount(
        () -> assertThatThrownBy(() -> retry.call(new Flaky(1))).isInstanceOf(IOException.class),
        "name=logged retryOn predicate threw on java.io.IOException; not retrying");
  }

  @Test
  void aResultPredicateThatAlwaysThrowsLogsOneLineThenOnePerIntervalWithTheCount() {
    Retry retry =
        Retry.of(
            "logged",
            config(scheduler)
                .retryOnResult(
                    r -> {
                      throw new IllegalStateException("predicate bug");
                    })
                .build());
    assertOneLineThenOneWithTheCount(
        () -> assertThat(retry.call(() -> "fine")).isEqualTo("fine"),
        "name=logged retryOnResult predicate threw; returning the result");
  }

  @Test
  void anAbortPredicateThatAlwaysThrowsLogsOneLineThenOnePerIntervalWithTheCount() {
    Retry retry =
        Retry.of(
            "logged",
            config(scheduler)
                .abortWhen(
                    t -> {
                      throw new IllegalStateException("predicate bug");
                    })
                .build());
    assertOneLineThenOneWithTheCount(
        () -> assertThatThrownBy(() -> retry.call(new Flaky(1))).isInstanceOf(IOException.class),
        "name=logged abortOn predicate threw on java.io.IOException; not retrying");
  }

  @Test
  void aDelayFunctionThatAlwaysThrowsLogsOneLineThenOnePerIntervalWithTheCount() {
    Retry retry =
        Retry.of(
            "logged",
            config(scheduler)
                .backoff(Backoff.fixed(Duration.ZERO))
                .delayFunction(
                    (attempt, result, error) -> {
                      throw new IllegalStateException("function bug");
                    },
                    Duration.ofSeconds(1))
                .build());
    assertOneLineThenOneWithTheCount(
        () -> assertThat(retry.get(new Flaky(1)::callUnchecked)).isEqualTo("ok"),
        "name=logged delayFunction threw; using the backoff's delay");
  }

  /** A scheduler on the test's ticker that refuses every wait, as a closed one does. */
  private Scheduler refusing() {
    return new Scheduler() {
      @Override
      public Ticker ticker() {
        return ticker;
      }

      @Override
      public Cancellable schedule(Runnable task, long delayNanos) {
        throw new IllegalStateException("closed");
      }

      @Override
      public void sleep(long delayNanos) {
        throw new IllegalStateException("closed");
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void aSchedulerThatRefusesEveryWaitEndsEachRetryWithTheFailureAndLogsOneLinePerInterval() {
    Retry retry =
        Retry.of(
            "logged",
            RetryConfig.builder().scheduler(refusing()).backoff(Backoff.fixed(ms(1))).build());
    IOException down = new IOException("down");
    assertOneLineThenOneWithTheCount(
        () ->
            assertThatThrownBy(
                    () ->
                        retry.call(
                            () -> {
                              throw down;
                            }))
                .isSameAs(down),
        "name=logged scheduler refused a retry; giving up");
    assertThat(retry.stats().failuresWithoutRetry()).isEqualTo(10_002);
    CompletableFuture<String> async =
        retry.<String>callAsync(() -> CompletableFuture.failedFuture(down)).toCompletableFuture();
    assertThat(async.handle((r, e) -> e).join()).isSameAs(down);
  }

  private static List<String> debugLines() {
    return lines().stream().filter(l -> l.level() == Level.DEBUG).map(l -> l.message()).toList();
  }

  @Test
  void givingUpNamesWhatEndedTheRetry() {
    IOException down = new IOException("down");
    CheckedCallable<String, IOException> failing =
        () -> {
          throw down;
        };
    Retry bounded =
        Retry.of(
            "logged",
            config(scheduler)
                .backoff(Backoff.fixed(ms(100)))
                .maxAttempts(10)
                .maxDuration(ms(150))
                .build());
    assertThatThrownBy(() -> bounded.call(failing)).isSameAs(down);
    Retry interrupted = Retry.of("logged", config(scheduler).build());
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> interrupted.call(failing)).isSameAs(down);
    } finally {
      boolean unused = Thread.interrupted();
    }
    Retry stopped =
        Retry.of(
            "logged",
            config(scheduler)
                .delayFunction((attempt, result, error) -> ms(-1), Duration.ofSeconds(1))
                .build());
    assertThatThrownBy(() -> stopped.call(failing)).isSameAs(down);
    Retry budgeted =
        Retry.of(
            "logged",
            config(scheduler)
                .backoff(Backoff.fixed(Duration.ZERO))
                .maxAttempts(2)
                .budget(0.0, 1, Duration.ofSeconds(1))
                .build());
    assertThatThrownBy(() -> budgeted.call(failing)).isSameAs(down);
    assertThatThrownBy(() -> budgeted.call(failing)).isSameAs(down);
    Retry refused =
        Retry.of(
            "logged",
            RetryConfig.builder().scheduler(refusing()).backoff(Backoff.fixed(ms(1))).build());
    assertThatThrownBy(() -> refused.call(failing)).isSameAs(down);
    String cause = " cause=java.io.IOException: down";
    assertThat(debugLines())
        .containsExactly(
            "name=logged gave up after 2 attempts reason=maxDuration" + cause,
            "name=logged gave up after 1 attempt reason=interrupted" + cause,
            "name=logged gave up after 1 attempt reason=delayFunction" + cause,
            "name=logged gave up after 2 attempts reason=maxAttempts" + cause,
            "name=logged gave up after 1 attempt reason=budget" + cause,
            "name=logged gave up after 1 attempt reason=scheduler" + cause);
  }

  @Test
  void anExhaustedBudgetLogsTheFiguresOfTheWindowItCounts() {
    // Buckets of 1 s. Twenty calls succeed, then 30 s pass: the next window counts its calls
    // from its first failure, so that failure finds no call to take a share of and no retry.
    Retry retry =
        Retry.of(
            "logged",
            config(scheduler)
                .backoff(Backoff.fixed(Duration.ZERO))
                .maxAttempts(2)
                .budget(0.5, 0, Duration.ofSeconds(10))
                .build());
    for (int i = 0; i < 20; i++) {
      retry.call(() -> "ok");
    }
    ticker.advance(Duration.ofSeconds(30));
    assertThatThrownBy(() -> retry.call(new Flaky(9))).isInstanceOf(IOException.class);
    assertThat(warnings())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l.message())
                    .isEqualTo(
                        "name=logged retry budget exhausted: retries=0 allowed=0.0 calls=0"
                            + " windowMs=10000 budgetRefusalsTotal=1;"
                            + " failures go to callers without retry"));
  }

  @Test
  void aListenerThatThrowsWhenTheBudgetIsExhaustedIsLogged() {
    Retry retry =
        Retry.of(
            "logged",
            config(scheduler)
                .backoff(Backoff.fixed(Duration.ZERO))
                .maxAttempts(2)
                .budget(0.0, 1, Duration.ofSeconds(1))
                .build());
    // The window allows one retry: the first call takes it, the second is refused.
    assertThatThrownBy(() -> retry.call(new Flaky(9))).isInstanceOf(IOException.class);
    retry.addListener(
        new RetryListener() {
          @Override
          public void onBudgetExhausted() {
            throw new IllegalStateException("listener bug");
          }
        });
    LogCapture.clear();
    assertThatThrownBy(() -> retry.call(new Flaky(9))).isInstanceOf(IOException.class);
    assertThat(retry.stats().budgetRefusals()).isEqualTo(1);
    assertThat(warnings())
        .filteredOn(l -> !l.message().contains("retry budget exhausted"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.message()).isEqualTo("name=logged listener threw; ignored");
              assertThat(l.error()).hasMessage("listener bug");
            });
  }

  /** A listener that throws on one kind of event only. */
  private static RetryListener throwingOn(String event) {
    return new RetryListener() {
      @Override
      public void onRetry(int attempt, long delayNanos, @Nullable Throwable cause) {
        throwIf("retry");
      }

      @Override
      public void onGiveUp(int attempts, @Nullable Throwable cause) {
        throwIf("give up");
      }

      @Override
      public void onBudgetExhausted() {
        throwIf("budget exhausted");
      }

      private void throwIf(String heard) {
        if (heard.equals(event)) {
          throw new IllegalStateException("listener bug on " + heard);
        }
      }
    };
  }

  @Test
  void oneThrowingListenerAmongSeveralIsLoggedAndTheOthersStillHearEachEvent() {
    for (String event : List.of("retry", "give up", "budget exhausted")) {
      LogCapture.clear();
      Retry retry =
          Retry.of(
              "logged",
              config(scheduler)
                  .backoff(Backoff.fixed(Duration.ZERO))
                  .maxAttempts(2)
                  .budget(0.0, 1, Duration.ofSeconds(1))
                  .build());
      retry.addListener(throwingOn(event));
      Retries.Recorder after = new Retries.Recorder();
      retry.addListener(after);
      for (int i = 0; i < 2; i++) { // the first retried, the second refused by the budget
        assertThatThrownBy(() -> retry.call(new Flaky(9))).isInstanceOf(IOException.class);
      }
      assertThat(after.events).as(event).anyMatch(e -> e.startsWith(event));
      assertThat(warnings())
          .as(event)
          .filteredOn(l -> l.message().equals("name=logged listener threw; ignored"))
          .singleElement()
          .satisfies(l -> assertThat(l.error()).hasMessage("listener bug on " + event));
    }
  }

  @Test
  void anAsyncWaitTheSchedulerOrTheExecutorRefusesIsLogged() {
    IOException down = new IOException("down");
    Retry noTimer =
        Retry.of(
            "logged",
            RetryConfig.builder().scheduler(refusing()).backoff(Backoff.fixed(ms(1))).build());
    CompletableFuture<String> a =
        noTimer.<String>callAsync(() -> CompletableFuture.failedFuture(down)).toCompletableFuture();
    assertThat(a.handle((r, e) -> e).join()).isSameAs(down);
    assertThat(warnings())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.message()).isEqualTo("name=logged scheduler refused a retry; giving up");
              assertThat(l.error()).hasMessage("closed");
            });

    LogCapture.clear();
    Retry noThread =
        Retry.of(
            "logged",
            config(scheduler)
                .backoff(Backoff.fixed(ms(1)))
                .executor(
                    r -> {
                      throw new RejectedExecutionException("full");
                    })
                .build());
    CompletableFuture<String> b =
        noThread
            .<String>callAsync(() -> CompletableFuture.failedFuture(down))
            .toCompletableFuture();
    ticker.advance(ms(1));
    assertThat(b.handle((r, e) -> e).join()).isSameAs(down);
    assertThat(warnings())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.message()).isEqualTo("name=logged executor refused a retry; giving up");
              assertThat(l.error()).hasMessage("full");
            });
  }
}
