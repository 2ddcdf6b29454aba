package dev.ballast.timeout;

import static dev.ballast.timeout.Fakes.blockFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ballast.Pipeline;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.testlog.LogCapture;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

final class NestedDeadlineTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final ExecutorService pool = Fakes.namedPool("nested-test-");

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(Thread.interrupted()).as("interrupt flag after the test").isFalse();
  }

  private Timeout interrupting(String name, Duration d) {
    return Timeout.of(name, TimeoutConfig.builder(d).scheduler(scheduler).build());
  }

  private Timeout abandoning(String name, Duration d) {
    return Timeout.of(
        name,
        TimeoutConfig.builder(d)
            .scheduler(scheduler)
            .mode(Timeout.Mode.ABANDON)
            .executor(pool)
            .build());
  }

  @Test
  void anInnerTimeoutNeverWaitsPastTheOuterDeadlineAndTheOuterOneReportsIt() {
    Timeout total = interrupting("total", Duration.ofSeconds(1));
    Timeout attempt = interrupting("attempt", Duration.ofSeconds(5));
    Pipeline p = Pipeline.of(total, attempt);
    assertThat(p).hasToString("timeout[total](timeout[attempt](call))");
    assertThatThrownBy(
            () ->
                p.call(
                    () -> {
                      assertThat(scheduler.pending())
                          .as("the inner timeout leaves it to the outer timer")
                          .isEqualTo(1);
                      return blockFor(ticker, Duration.ofSeconds(3));
                    }))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class,
            e -> {
              assertThat(e.component()).isEqualTo("total");
              assertThat(e.duration()).isEqualTo(Duration.ofSeconds(1));
              assertThat(e.getCause()).isInstanceOf(InterruptedException.class);
            });
    assertThat(ticker.read() - 1_000_000_000L).isEqualTo(Duration.ofSeconds(3).toNanos());
    assertThat(total.stats().timeouts()).isEqualTo(1);
    assertThat(attempt.stats().failures()).as("the inner passed the call's answer on").isEqualTo(1);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void anInnerTimeoutWithTheSameDeadlineAsTheOuterLeavesItToTheOuter() {
    Timeout total = interrupting("total", Duration.ofSeconds(1));
    Timeout attempt = interrupting("attempt", Duration.ofSeconds(1));
    assertThatThrownBy(
            () ->
                total.call(
                    () ->
                        attempt.call(
                            () -> {
                              assertThat(scheduler.pending())
                                  .as("one timer: the outer one")
                                  .isEqualTo(1);
                              return blockFor(ticker, Duration.ofSeconds(3));
                            })))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class, e -> assertThat(e.component()).isEqualTo("total"));
    assertThat(total.stats().timeouts()).isEqualTo(1);
    assertThat(attempt.stats().failures()).isEqualTo(1);
    assertThat(attempt.stats().timeouts()).isZero();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void anInnerCallThatReturnsBeforeTheOuterDeadlineIsCountedAsTheInnersSuccess() throws Exception {
    Timeout total = interrupting("total", Duration.ofSeconds(1));
    Timeout attempt = interrupting("attempt", Duration.ofSeconds(5));

    String r = total.call(() -> attempt.call(() -> blockFor(ticker, Duration.ofMillis(100))));

    assertThat(r).isEqualTo("done");
    assertThat(attempt.stats().successes()).isEqualTo(1);
    assertThat(attempt.stats().calls()).isEqualTo(1);
    assertThat(total.stats().successes()).isEqualTo(1);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void anInnerTimeoutWhoseDeadlineComesFirstFiresItself() {
    Timeout total = interrupting("total", Duration.ofSeconds(5));
    Timeout attempt = interrupting("attempt", Duration.ofSeconds(1));
    assertThatThrownBy(
            () -> total.call(() -> attempt.call(() -> blockFor(ticker, Duration.ofSeconds(2)))))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class, e -> assertThat(e.component()).isEqualTo("attempt"));
    assertThat(attempt.stats().timeouts()).isEqualTo(1);
    assertThat(total.stats().failures()).isEqualTo(1);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void theOuterDeadlineIsRestoredAfterAnInnerCall() throws Exception {
    Timeout total = interrupting("total", Duration.ofSeconds(1));
    Timeout attempt = interrupting("attempt", Duration.ofMillis(100));
    assertThatThrownBy(
            () ->
                total.call(
                    () -> {
                      attempt.call(() -> blockFor(ticker, Duration.ofMillis(50)));
                      return blockFor(ticker, Duration.ofSeconds(2));
                    }))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class, e -> assertThat(e.component()).isEqualTo("total"));
    // With no timeout around it, the inner one runs on its own deadline again.
    assertThat(attempt.call(() -> blockFor(ticker, Duration.ofMillis(50)))).isEqualTo("done");
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void anAbandoningTimeoutInsideAnInterruptingOneStopsWaitingAtTheOuterDeadline() {
    Timeout total = interrupting("total", Duration.ofSeconds(1));
    Timeout legacy = abandoning("legacy", Duration.ofSeconds(5));
    CompletableFuture<Void> release = new CompletableFuture<>();
    assertThatThrownBy(
            () ->
                Pipeline.of(total, legacy)
                    .call(
                        () -> {
                          ticker.advance(Duration.ofSeconds(3)); // the outer timer fires here
                          release.join();
                          return "late";
                        }))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class,
            e -> {
              assertThat(e.component()).isEqualTo("total");
              assertThat(e.getCause()).isInstanceOf(CancellationException.class);
            });
    assertThat(legacy.stats().abandonedRunning()).isEqualTo(1);
    release.complete(null);
    await().atMost(Duration.ofSeconds(5)).until(() -> legacy.stats().abandonedRunning() == 0);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void theDeadlineTravelsToTheExecutorThreadOfAnAbandoningTimeout() throws Exception {
    Timeout total = abandoning("total", Duration.ofSeconds(1));
    Timeout attempt = interrupting("attempt", Duration.ofSeconds(5));
    AtomicReference<Throwable> onWorker = new AtomicReference<>();
    CompletableFuture<Void> innerDone = new CompletableFuture<>();
    assertThatThrownBy(
            () ->
                total.call(
                    () -> {
                      try {
                        return attempt.call(() -> blockFor(ticker, Duration.ofSeconds(3)));
                      } catch (Throwable t) {
                        onWorker.set(t);
                        throw t;
                      } finally {
                        innerDone.complete(null);
                      }
                    }))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class, e -> assertThat(e.component()).isEqualTo("total"));
    innerDone.get(5, TimeUnit.SECONDS);
    assertThat(onWorker.get())
        .as("the inner call on the worker was cut at the outer deadline, and says so")
        .isInstanceOfSatisfying(
            TimeoutExceededException.class,
            e -> {
              assertThat(e.component()).isEqualTo("total");
              assertThat(e.duration()).isEqualTo(Duration.ofSeconds(1));
            });
    assertThat(attempt.stats().timeouts()).isEqualTo(1);
    assertThat(total.stats().timeouts()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> total.stats().abandonedRunning() == 0);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void anAbandoningTimeoutOnTheWorkerOfAnotherStopsWaitingAtTheSameDeadlineAndNamesTheOuter()
      throws Exception {
    Timeout total = abandoning("total", Duration.ofSeconds(1));
    Timeout legacy = abandoning("legacy", Duration.ofSeconds(1));
    CompletableFuture<Void> release = new CompletableFuture<>();
    AtomicReference<Throwable> onWorker = new AtomicReference<>();
    CompletableFuture<Void> innerDone = new CompletableFuture<>();
    assertThatThrownBy(
            () ->
                total.call(
                    () -> {
                      try {
                        return legacy.call(
                            () -> {
                              ticker.advance(Duration.ofSeconds(3)); // both timers fire here
                              release.join();
                              return "late";
                            });
                      } catch (Throwable t) {
                        onWorker.set(t);
                        throw t;
                      } finally {
                        innerDone.complete(null);
                      }
                    }))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class, e -> assertThat(e.component()).isEqualTo("total"));
    try {
      // No interrupt reaches a worker: the inner wait ends by its own timer, at the outer deadline.
      innerDone.get(5, TimeUnit.SECONDS);
    } finally {
      release.complete(null);
    }
    assertThat(onWorker.get())
        .isInstanceOfSatisfying(
            TimeoutExceededException.class,
            e -> {
              assertThat(e.component()).isEqualTo("total");
              assertThat(e.duration()).isEqualTo(Duration.ofSeconds(1));
            });
    await().atMost(Duration.ofSeconds(5)).until(() -> legacy.stats().abandonedRunning() == 0);
    await().atMost(Duration.ofSeconds(5)).until(() -> total.stats().abandonedRunning() == 0);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void theWorkersThreadGetsItsOwnDeadlineBackWhenTheWorkEnds() throws Exception {
    // A direct executor makes the caller's thread the worker's, where a leftover would show.
    Timeout inline =
        Timeout.of(
            "inline",
            TimeoutConfig.builder(Duration.ofSeconds(1))
                .scheduler(scheduler)
                .mode(Timeout.Mode.ABANDON)
                .executor(Runnable::run)
                .build());
    Timeout attempt = interrupting("attempt", Duration.ofSeconds(5));

    assertThat(inline.call(() -> "right here")).isEqualTo("right here");

    assertThat(attempt.call(() -> blockFor(ticker, Duration.ofSeconds(2)))).isEqualTo("done");
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void anAsyncCallWithTheSameDeadlineAsTheOuterNamesTheOuter() {
    Timeout total = interrupting("total", Duration.ofSeconds(1));
    Timeout quotes = interrupting("quotes", Duration.ofSeconds(1));
    CompletableFuture<String> call = new CompletableFuture<>();
    AtomicReference<CompletionStage<String>> stage = new AtomicReference<>();
    assertThatThrownBy(
            () ->
                total.call(
                    () -> {
                      stage.set(quotes.callAsync(() -> call));
                      return blockFor(ticker, Duration.ofSeconds(2));
                    }))
        .isInstanceOf(TimeoutExceededException.class);
    CompletableFuture<String> out = Objects.requireNonNull(stage.get()).toCompletableFuture();
    assertThat(out.handle((r, e) -> e).join())
        .isInstanceOfSatisfying(
            TimeoutExceededException.class, e -> assertThat(e.component()).isEqualTo("total"));
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void anAsyncSupplierThatThrowsLeavesNoDeadlineOnTheThread() throws Exception {
    Timeout quotes = interrupting("quotes", Duration.ofSeconds(1));
    Timeout attempt = interrupting("attempt", Duration.ofSeconds(5));
    CompletionStage<String> failed =
        quotes.callAsync(
            () -> {
              throw new IllegalStateException("no connection");
            });
    assertThat(failed.toCompletableFuture()).isCompletedExceptionally();

    assertThat(attempt.call(() -> blockFor(ticker, Duration.ofSeconds(2)))).isEqualTo("done");
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void anAsyncCallStartedUnderASyncTimeoutEndsAtTheOuterDeadline() {
    Timeout total = interrupting("total", Duration.ofSeconds(1));
    Timeout quotes = interrupting("quotes", Duration.ofSeconds(5));
    CompletableFuture<String> call = new CompletableFuture<>();
    AtomicReference<CompletionStage<String>> stage = new AtomicReference<>();
    assertThatThrownBy(
            () ->
                total.call(
                    () -> {
                      stage.set(quotes.callAsync(() -> call));
                      return blockFor(ticker, Duration.ofSeconds(2));
                    }))
        .isInstanceOf(TimeoutExceededException.class);
    CompletionStage<String> started = stage.get();
    assertThat(started).isNotNull();
    CompletableFuture<String> out = Objects.requireNonNull(started).toCompletableFuture();
    assertThat(out).isCompletedExceptionally();
    assertThat(out.handle((r, e) -> e).join())
        .isInstanceOfSatisfying(
            TimeoutExceededException.class, e -> assertThat(e.component()).isEqualTo("total"));
    assertThat(call).isCancelled();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void deadlinesOnDifferentTickersAreNotCompared() throws Exception {
    TestTicker otherTicker = new TestTicker();
    TestScheduler otherScheduler = new TestScheduler(otherTicker);
    Timeout elsewhere =
        Timeout.of(
            "elsewhere",
            TimeoutConfig.builder(Duration.ofMillis(1)).scheduler(otherScheduler).build());
    Timeout attempt = interrupting("attempt", Duration.ofSeconds(5));
    String r =
        elsewhere.call(
            () ->
                attempt.call(
                    () -> {
                      assertThat(scheduler.pending()).isEqualTo(1);
                      return blockFor(ticker, Duration.ofSeconds(2));
                    }));
    assertThat(r).isEqualTo("done");
    assertThat(otherScheduler.pending()).isZero();
  }

  @Test
  void anOuterDeadlineOnAnotherTickerIsLoggedOnceNamingBothTimeouts() throws Exception {
    LogCapture.clear();
    TestTicker otherTicker = new TestTicker();
    Timeout elsewhere =
        Timeout.of(
            "elsewhere",
            TimeoutConfig.builder(Duration.ofSeconds(10))
                .scheduler(new TestScheduler(otherTicker))
                .build());
    Timeout attempt = interrupting("attempt", Duration.ofSeconds(5));
    Timeout quotes = interrupting("quotes", Duration.ofSeconds(5));
    for (int i = 0; i < 3; i++) {
      elsewhere.call(() -> attempt.call(() -> "sync"));
      elsewhere.call(() -> attempt.callAsync(() -> CompletableFuture.completedFuture("async")));
    }
    assertThat(
            LogCapture.lines(Timeout.class.getName()).stream()
                .filter(l -> l.level() == Level.WARN)
                .map(LogCapture.Line::message))
        .containsExactly(
            "name=attempt runs inside timeout 'elsewhere', whose scheduler has another ticker: the"
                + " outer deadline is not enforced on this timeout's calls (give both timeouts"
                + " schedulers on one ticker)");
    Timeout legacy = abandoning("legacy", Duration.ofSeconds(5));
    elsewhere.call(() -> legacy.call(() -> "abandoning"));
    elsewhere.call(() -> quotes.call(() -> "sync"));
    assertThat(
            LogCapture.lines(Timeout.class.getName()).stream()
                .filter(l -> l.level() == Level.WARN)
                .map(LogCapture.Line::message))
        .as("once per inner timeout, whatever its mode")
        .hasSize(3)
        .anySatisfy(m -> assertThat(m).startsWith("name=legacy runs inside timeout 'elsewhere'"))
        .anySatisfy(m -> assertThat(m).startsWith("name=quotes runs inside timeout 'elsewhere'"));
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void timeoutsOnOneTickerLogNothingAboutTickers() throws Exception {
    LogCapture.clear();
    Timeout total = interrupting("total", Duration.ofSeconds(5));
    Timeout attempt = interrupting("attempt", Duration.ofSeconds(1));
    assertThat(total.call(() -> attempt.call(() -> "fine"))).isEqualTo("fine");
    assertThat(LogCapture.lines(Timeout.class.getName())).isEmpty();
  }
}
