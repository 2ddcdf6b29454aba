package dev.ballast.retry;

import static dev.ballast.retry.Retries.config;
import static dev.ballast.retry.Retries.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Cancellable;
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
                            + " windowMs=10000 budgetExhaustedTotal=1;"
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
}
