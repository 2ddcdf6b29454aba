package dev.ballast.retry;

import static dev.ballast.retry.Retries.config;
import static dev.ballast.retry.Retries.ms;
import static dev.ballast.retry.Retries.nanos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.Ticker;
import dev.ballast.retry.Retries.Flaky;
import dev.ballast.retry.Retries.Recorder;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class RetryTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);

  private Retry fixed(long millis, int attempts) {
    return Retry.of(
        "r", config(scheduler).backoff(Backoff.fixed(ms(millis))).maxAttempts(attempts).build());
  }

  @Test
  void retriesAFailingCallUntilItSucceeds() throws IOException {
    Retry retry = fixed(10, 3);
    Flaky call = new Flaky(2);
    long t0 = ticker.read();
    assertThat(retry.call(call)).isEqualTo("ok");
    assertThat(call.attempts()).isEqualTo(3);
    assertThat(ticker.read() - t0).isEqualTo(nanos(20));
    RetryStats s = retry.stats();
    assertThat(s.successesAfterRetry()).isEqualTo(1);
    assertThat(s.retries()).isEqualTo(2);
    assertThat(s.calls()).isEqualTo(1);
  }

  @Test
  void stopsAtMaxAttemptsWithTheLastFailureAndTheEarlierOnesSuppressed() {
    Retry retry = fixed(10, 3);
    Flaky call = new Flaky(5);
    assertThatThrownBy(() -> retry.call(call))
        .isInstanceOf(IOException.class)
        .hasMessage("boom 3")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .extracting(Throwable::getMessage)
                    .containsExactly("boom 1", "boom 2"));
    assertThat(call.attempts()).isEqualTo(3);
    RetryStats s = retry.stats();
    assertThat(s.failuresAfterRetry()).isEqualTo(1);
    assertThat(s.retries()).isEqualTo(2);
  }

  @Test
  void maxAttemptsOfOneNeverRetries() {
    Retry retry = fixed(10, 1);
    Flaky call = new Flaky(1);
    assertThatThrownBy(() -> retry.call(call)).hasMessage("boom 1");
    assertThat(call.attempts()).isEqualTo(1);
    assertThat(retry.stats().failuresWithoutRetry()).isEqualTo(1);
    assertThat(retry.stats().retries()).isZero();
  }

  @Test
  void exponentialDelaysGrowByTheMultiplierUpToTheCap() {
    Retry retry =
        Retry.of(
            "exp",
            config(scheduler)
                .maxAttempts(7)
                .backoff(Backoff.exponential(ms(100), 2.0, Duration.ofSeconds(1)))
                .build());
    Recorder r = new Recorder();
    retry.addListener(r);
    long t0 = ticker.read();
    assertThatThrownBy(() -> retry.call(new Flaky(100))).hasMessage("boom 7");
    assertThat(r.delays)
        .containsExactly(nanos(100), nanos(200), nanos(400), nanos(800), nanos(1000), nanos(1000));
    assertThat(ticker.read() - t0).isEqualTo(nanos(3500));
  }

  @Test
  void jitteredDelaysAreExactlyReproducibleWithASeededRandom() {
    Retry retry =
        Retry.of(
            "jitter",
            config(scheduler)
                .maxAttempts(6)
                .random(new Random(7))
                .backoff(Backoff.exponential(ms(100), 2.0, ms(1000)).withJitter(0.5))
                .build());
    Recorder r = new Recorder();
    retry.addListener(r);
    long t0 = ticker.read();
    assertThatThrownBy(() -> retry.call(new Flaky(100))).isInstanceOf(IOException.class);

    Random same = new Random(7);
    List<Long> expected = new ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      long d = Math.min(nanos(1000), nanos(100) << (n - 1));
      long lo = d - d / 2;
      expected.add(lo + same.nextLong(d - lo + 1));
    }
    assertThat(r.delays).containsExactlyElementsOf(expected);
    assertThat(ticker.read() - t0).isEqualTo(expected.stream().mapToLong(Long::longValue).sum());
    assertThat(r.delays).allSatisfy(d -> assertThat(d).isPositive());
  }

  @Test
  void defaultsAreThreeAttemptsAndHalfJitteredExponentialBackoff() {
    RetryConfig d = RetryConfig.defaults();
    assertThat(d.maxAttempts()).isEqualTo(3);
    assertThat(d.maxDuration()).isNull();
    assertThat(d.backoff())
        .isEqualTo(Backoff.exponential(ms(100), 2.0, Duration.ofSeconds(10)).withJitter(0.5));
    assertThat(d.retryOnOverload()).isFalse();
    assertThat(d.maxRetryAfter()).isNull();
    assertThat(d.budgetWindow()).isNull();
    assertThat(d.countCalls()).isFalse();
    assertThat(Retry.ofDefaults("d").config()).isSameAs(d);
  }

  @Test
  void maxDurationStopsARetryWhoseWaitWouldEndPastIt() {
    // Each attempt takes 10 ms and fails; waits are 100 ms. Attempt 3's wait would start at
    // 230 ms and end at 330 ms.
    Retry retry =
        Retry.of(
            "bounded",
            config(scheduler)
                .maxAttempts(10)
                .backoff(Backoff.fixed(ms(100)))
                .maxDuration(ms(300))
                .build());
    AtomicInteger attempts = new AtomicInteger();
    Recorder r = new Recorder();
    retry.addListener(r);
    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      ticker.advanceMillis(10);
                      throw new IOException("slow failure " + attempts.incrementAndGet());
                    }))
        .hasMessage("slow failure 3");
    assertThat(attempts).hasValue(3);
    assertThat(r.events).last().asString().startsWith("give up after 3");
    assertThat(retry.stats().failuresAfterRetry()).isEqualTo(1);
  }

  @Test
  void aWaitEndingExactlyAtMaxDurationIsAllowed() {
    // Attempt 1 at 0..10 ms, wait to 110, attempt 2 to 120, wait ends at 220: allowed with 220.
    for (long bound : new long[] {219, 220}) {
      Retry retry =
          Retry.of(
              "edge",
              config(scheduler)
                  .maxAttempts(3)
                  .backoff(Backoff.fixed(ms(100)))
                  .maxDuration(ms(bound))
                  .build());
      AtomicInteger attempts = new AtomicInteger();
      assertThatThrownBy(
              () ->
                  retry.call(
                      () -> {
                        attempts.incrementAndGet();
                        ticker.advanceMillis(10);
                        throw new IOException("x");
                      }))
          .isInstanceOf(IOException.class);
      assertThat(attempts).hasValue(bound == 219 ? 2 : 3);
    }
  }

  @Test
  void retriesOnAResultAndReturnsTheLastResultWhenAttemptsRunOut() {
    Retry retry =
        Retry.of(
            "result",
            config(scheduler)
                .backoff(Backoff.fixed(ms(5)))
                .maxAttempts(4)
                .retryOnResult(r -> r instanceof String s && s.startsWith("busy"))
                .build());
    AtomicInteger n = new AtomicInteger();
    Recorder r = new Recorder();
    retry.addListener(r);
    assertThat(retry.call(() -> "busy " + n.incrementAndGet())).isEqualTo("busy 4");
    assertThat(r.events).last().isEqualTo("give up after 4 result");
    assertThat(retry.stats().failuresAfterRetry()).isEqualTo(1);

    AtomicInteger m = new AtomicInteger();
    assertThat(retry.call(() -> m.incrementAndGet() < 3 ? "busy" : "done")).isEqualTo("done");
    assertThat(m).hasValue(3);
    assertThat(retry.stats().successesAfterRetry()).isEqualTo(1);
  }

  @Test
  void checkedExceptionsPassThroughUnchanged() {
    Retry retry = fixed(1, 2);
    FileNotFoundException thrown = new FileNotFoundException("gone");
    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      throw thrown;
                    }))
        .isSameAs(thrown);
  }

  /** An Error of the test's own. */
  static final class TestError extends Error {
    private static final long serialVersionUID = 1L;

    TestError() {
      super("test error");
    }
  }

  @Test
  void errorsAreNotRetriedByDefault() {
    Retry retry = fixed(1, 3);
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      attempts.incrementAndGet();
                      throw new TestError();
                    }))
        .isInstanceOf(TestError.class);
    assertThat(attempts).hasValue(1);
    assertThat(retry.stats().failuresWithoutRetry()).isEqualTo(1);
  }

  @Test
  void anInterruptedExceptionIsNeverRetriedEvenWhenAsked() {
    Retry retry =
        Retry.of("i", config(scheduler).backoff(Backoff.fixed(ms(1))).retryWhen(t -> true).build());
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      attempts.incrementAndGet();
                      throw new InterruptedException("stop");
                    }))
        .isInstanceOf(InterruptedException.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void retryOnNarrowsWhatIsRetriedAndAddsUp() {
    Retry retry =
        Retry.of(
            "narrow",
            config(scheduler)
                .backoff(Backoff.fixed(ms(1)))
                .maxAttempts(5)
                .retryOn(IOException.class)
                .retryWhen(t -> "retry me".equals(t.getMessage()))
                .build());
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      int n = attempts.incrementAndGet();
                      if (n == 1) {
                        throw new IOException("io");
                      }
                      if (n == 2) {
                        throw new IllegalStateException("retry me");
                      }
                      throw new IllegalStateException("not retried");
                    }))
        .hasMessage("not retried")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .extracting(Throwable::getMessage)
                    .containsExactly("io", "retry me"));
    assertThat(attempts).hasValue(3);
    assertThat(retry.stats().failuresAfterRetry()).isEqualTo(1);
    assertThat(retry.stats().retries()).isEqualTo(2);
  }

  @Test
  void aThrowingRetryPredicateEndsTheRetryWithTheCallersFailure() {
    Retry retry =
        Retry.of(
            "p",
            config(scheduler)
                .retryWhen(
                    t -> {
                      throw new IllegalStateException("predicate bug");
                    })
                .build());
    IOException thrown = new IOException("mine");
    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      throw thrown;
                    }))
        .isSameAs(thrown);
    assertThat(retry.stats().failuresWithoutRetry()).isEqualTo(1);
  }

  @Test
  void aThrowingResultPredicateReturnsTheResult() {
    Retry retry =
        Retry.of(
            "p",
            config(scheduler)
                .countCalls(true)
                .retryOnResult(
                    r -> {
                      throw new IllegalStateException("predicate bug");
                    })
                .build());
    assertThat(retry.call(() -> "fine")).isEqualTo("fine");
    assertThat(retry.stats().successesWithoutRetry()).isEqualTo(1);
    assertThat(retry.stats().retries()).isZero();
  }

  @Test
  void firstAttemptSuccessesAreCountedOnlyWhenAsked() throws IOException {
    Retry quiet = fixed(1, 3);
    Retry counting =
        Retry.of(
            "counting", config(scheduler).backoff(Backoff.fixed(ms(1))).countCalls(true).build());
    for (Retry r : List.of(quiet, counting)) {
      for (int i = 0; i < 5; i++) {
        r.call(() -> "ok");
      }
      r.get(() -> "ok");
      r.run(() -> {});
      assertThat(r.call(new Flaky(1))).isEqualTo("ok");
    }
    assertThat(quiet.stats().callsCounted()).isFalse();
    assertThat(quiet.stats().successesWithoutRetry()).isZero();
    assertThat(quiet.stats().calls()).isEqualTo(1);
    assertThat(counting.stats().callsCounted()).isTrue();
    assertThat(counting.stats().successesWithoutRetry()).isEqualTo(7);
    assertThat(counting.stats().calls()).isEqualTo(8);
    assertThat(counting.stats().successesAfterRetry()).isEqualTo(1);
  }

  @Test
  void getAndRunRetryLikeCall() {
    Retry retry = fixed(1, 3);
    AtomicInteger n = new AtomicInteger();
    assertThat(
            retry.get(
                () -> {
                  if (n.incrementAndGet() < 3) {
                    throw new IllegalStateException("again");
                  }
                  return "got";
                }))
        .isEqualTo("got");
    AtomicInteger m = new AtomicInteger();
    retry.run(
        () -> {
          if (m.incrementAndGet() < 2) {
            throw new IllegalStateException("again");
          }
        });
    assertThat(m).hasValue(2);
    AtomicInteger k = new AtomicInteger();
    assertThat(retry.decorate(() -> k.incrementAndGet() < 2 ? fail() : "decorated").get())
        .isEqualTo("decorated");
    assertThat(retry.stats().successesAfterRetry()).isEqualTo(3);
  }

  private static String fail() {
    throw new IllegalStateException("again");
  }

  @Test
  void aSharedExceptionInstanceIsNeverSuppressedIntoItself() {
    Retry retry = fixed(1, 4);
    IOException shared = new IOException("shared");
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(
              () ->
                  retry.call(
                      () -> {
                        throw shared;
                      }))
          .isSameAs(shared);
    }
    assertThat(shared.getSuppressed()).isEmpty();
  }

  @Test
  void suppressedExceptionsAreBounded() {
    Retry retry = fixed(1, 30);
    IOException last = new IOException("last");
    for (int call = 0; call < 3; call++) {
      AtomicInteger n = new AtomicInteger();
      assertThatThrownBy(
              () ->
                  retry.call(
                      () -> {
                        int i = n.incrementAndGet();
                        throw i == 30 ? last : new IOException("early " + i);
                      }))
          .isSameAs(last);
    }
    assertThat(last.getSuppressed()).hasSize(Attempts.MAX_SUPPRESSED);
    assertThat(last.getSuppressed()[0]).hasMessage("early 1");
  }

  @Test
  void aZeroDelayRetriesAtOnce() throws IOException {
    Retry retry = fixed(0, 3);
    long t0 = ticker.read();
    assertThat(retry.get(() -> "x")).isEqualTo("x");
    Flaky f = new Flaky(2);
    assertThat(retry.call(f)).isEqualTo("ok");
    assertThat(ticker.read()).isEqualTo(t0);
  }

  @Test
  void namedForLogsAndPipelines() {
    Retry retry = Retry.ofDefaults("inventory");
    assertThat(retry.name()).isEqualTo("inventory");
    assertThat(retry).hasToString("retry[inventory]");
  }

  @Test
  void getRunAndCallAsyncMeasureMaxDurationFromTheirFirstAttempt() {
    // Attempts fail at once; waits are 100 ms; the bound is 500 ms: attempts at 0, 100, ...,
    // 500 ms, and the wait after the sixth would end past the bound.
    Retry retry =
        Retry.of(
            "bounded",
            config(scheduler)
                .maxAttempts(10)
                .backoff(Backoff.fixed(ms(100)))
                .maxDuration(ms(500))
                .build());
    AtomicInteger got = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry.get(
                    () -> {
                      throw new IllegalStateException("get " + got.incrementAndGet());
                    }))
        .hasMessage("get 6");
    AtomicInteger ran = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry.run(
                    () -> {
                      throw new IllegalStateException("run " + ran.incrementAndGet());
                    }))
        .hasMessage("run 6");
    AtomicInteger async = new AtomicInteger();
    CompletableFuture<String> out =
        retry
            .<String>callAsync(
                () ->
                    CompletableFuture.failedFuture(
                        new IOException("async " + async.incrementAndGet())))
            .toCompletableFuture();
    for (int i = 0; i < 10; i++) {
      ticker.advance(ms(100));
    }
    assertThat(out.handle((r, e) -> e).join()).hasMessage("async 6");
    assertThat(retry.stats().failuresAfterRetry()).isEqualTo(3);
  }

  /** A scheduler on the test's ticker that refuses every wait. */
  private Scheduler refusingEveryWait() {
    return new Scheduler() {
      @Override
      public Ticker ticker() {
        return ticker;
      }

      @Override
      public Cancellable schedule(Runnable task, long delayNanos) {
        throw new IllegalStateException("refuses waits");
      }

      @Override
      public void sleep(long delayNanos) {
        throw new IllegalStateException("refuses waits");
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void aZeroDelayRetriesWithoutAskingTheSchedulerToWait() throws IOException {
    Retry retry =
        Retry.of(
            "at once",
            RetryConfig.builder()
                .scheduler(refusingEveryWait())
                .executor(Runnable::run)
                .backoff(Backoff.fixed(Duration.ZERO))
                .build());
    assertThat(retry.call(new Flaky(2))).isEqualTo("ok");
    assertThat(retry.get(new Flaky(2)::callUnchecked)).isEqualTo("ok");
    Flaky run = new Flaky(2);
    retry.run(run::callUnchecked);
    assertThat(run.attempts()).isEqualTo(3);
    AtomicInteger n = new AtomicInteger();
    CompletableFuture<String> async =
        retry
            .<String>callAsync(
                () ->
                    n.incrementAndGet() < 3
                        ? CompletableFuture.failedFuture(new IOException("again"))
                        : CompletableFuture.completedFuture("ok"))
            .toCompletableFuture();
    assertThat(async).isCompletedWithValue("ok");
    assertThat(retry.stats().successesAfterRetry()).isEqualTo(4);
  }

  /** The test's scheduler, seen through a ticker that counts its readings. */
  private Scheduler countingReads(AtomicLong reads) {
    Ticker counting =
        () -> {
          reads.incrementAndGet();
          return ticker.read();
        };
    return new Scheduler() {
      @Override
      public Ticker ticker() {
        return counting;
      }

      @Override
      public Cancellable schedule(Runnable task, long delayNanos) {
        return scheduler.schedule(task, delayNanos);
      }

      @Override
      public void sleep(long delayNanos) throws InterruptedException {
        scheduler.sleep(delayNanos);
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void theClockIsReadOnlyWhenMaxDurationNeedsIt() throws IOException {
    AtomicLong reads = new AtomicLong();
    Retry untimed =
        Retry.of(
            "untimed",
            RetryConfig.builder()
                .scheduler(countingReads(reads))
                .executor(Runnable::run)
                .backoff(Backoff.fixed(ms(1)))
                .build());
    assertThat(untimed.call(() -> "ok")).isEqualTo("ok");
    assertThat(untimed.get(() -> "ok")).isEqualTo("ok");
    untimed.run(() -> {});
    assertThat(untimed.call(new Flaky(1))).isEqualTo("ok");
    assertThat(
            untimed.callAsync(() -> CompletableFuture.completedFuture("ok")).toCompletableFuture())
        .isCompletedWithValue("ok");
    assertThat(reads).hasValue(0);

    Retry timed =
        Retry.of(
            "timed",
            RetryConfig.builder()
                .scheduler(countingReads(reads))
                .backoff(Backoff.fixed(ms(1)))
                .maxDuration(Duration.ofSeconds(1))
                .build());
    assertThat(timed.call(() -> "ok")).isEqualTo("ok");
    assertThat(reads).hasValue(1); // the first attempt's start
  }

  @Test
  void statsNameEveryCount() throws IOException {
    Retry retry =
        Retry.of("stats", config(scheduler).backoff(Backoff.fixed(ms(1))).countCalls(true).build());
    retry.call(() -> "ok");
    assertThat(retry.call(new Flaky(1))).isEqualTo("ok");
    assertThatThrownBy(() -> retry.call(new Flaky(5))).isInstanceOf(IOException.class);
    assertThat(retry.stats())
        .hasToString(
            "RetryStats{calls=3, callsCounted=true, successesWithoutRetry=1,"
                + " successesAfterRetry=1, failuresWithoutRetry=0, failuresAfterRetry=1,"
                + " rejections=0, budgetRefusals=0, retries=3}");
  }
}
