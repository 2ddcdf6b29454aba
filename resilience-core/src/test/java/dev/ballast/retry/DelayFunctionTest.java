package dev.ballast.retry;

import static dev.ballast.retry.Retries.config;
import static dev.ballast.retry.Retries.ms;
import static dev.ballast.retry.Retries.nanos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.RejectedException;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.retry.Retries.Flaky;
import dev.ballast.retry.Retries.Recorder;
import dev.ballast.retry.Retries.TestRejection;
import dev.ballast.testlog.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** The wait chosen from the outcome: a Retry-After from a response, or "stop". */
final class DelayFunctionTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final Recorder events = new Recorder();

  /** An HTTP-like response: a status and, maybe, a Retry-After in seconds. */
  record Response(int status, @Nullable Long retryAfterSeconds) {}

  /** The Retry-After of a 503 or 429, null (the backoff) for anything else. */
  private static final DelayFunction RETRY_AFTER =
      (attempt, result, error) ->
          result instanceof Response r && r.retryAfterSeconds() != null
              ? Duration.ofSeconds(r.retryAfterSeconds())
              : null;

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  private Retry retry(DelayFunction f, Duration cap) {
    Retry retry =
        Retry.of(
            "delays",
            config(scheduler)
                .backoff(Backoff.fixed(ms(100)))
                .maxAttempts(4)
                .retryOnResult(
                    r -> r instanceof Response s && (s.status() >= 500 || s.status() == 429))
                .delayFunction(f, cap)
                .build());
    retry.addListener(events);
    return retry;
  }

  /** Returns the given responses in turn, the last one again and again. */
  private static final class Server {
    private final Response[] responses;
    private final AtomicInteger calls = new AtomicInteger();

    Server(Response... responses) {
      this.responses = responses;
    }

    Response call() {
      int i = calls.getAndIncrement();
      return responses[Math.min(i, responses.length - 1)];
    }
  }

  @Test
  void aRetryAfterInTheResponseSetsTheWait() {
    Retry retry = retry(RETRY_AFTER, Duration.ofSeconds(30));
    Server server =
        new Server(new Response(503, 7L), new Response(503, null), new Response(200, null));
    long t0 = ticker.read();
    assertThat(retry.get(server::call)).isEqualTo(new Response(200, null));
    // 7 s from the header, then the backoff's 100 ms for a 503 without one.
    assertThat(events.delays).containsExactly(Duration.ofSeconds(7).toNanos(), nanos(100));
    assertThat(ticker.read() - t0).isEqualTo(Duration.ofSeconds(7).toNanos() + nanos(100));
    assertThat(retry.stats().successesAfterRetry()).isEqualTo(1);
  }

  @Test
  void aWaitLongerThanTheCapIsClampedToIt() {
    Retry retry = retry(RETRY_AFTER, Duration.ofSeconds(30));
    Server server = new Server(new Response(503, 3600L), new Response(200, null));
    assertThat(retry.get(server::call).status()).isEqualTo(200);
    assertThat(events.delays).containsExactly(Duration.ofSeconds(30).toNanos());
  }

  @Test
  void aDurationTooLargeForNanosecondsIsClampedToo() {
    Retry retry =
        retry((attempt, result, error) -> ChronoUnit.FOREVER.getDuration(), Duration.ofMinutes(1));
    Server server = new Server(new Response(503, null), new Response(200, null));
    assertThat(retry.get(server::call).status()).isEqualTo(200);
    assertThat(events.delays).containsExactly(Duration.ofMinutes(1).toNanos());
  }

  @Test
  void aNegativeDurationStopsTheRetryWithTheLastOutcome() {
    Retry retry =
        retry(
            (attempt, result, error) ->
                result instanceof Response r && r.status() == 501 ? DelayFunction.STOP : null,
            Duration.ofSeconds(1));
    Server server = new Server(new Response(503, null), new Response(501, null));
    assertThat(retry.get(server::call)).isEqualTo(new Response(501, null));
    assertThat(server.calls).hasValue(2);
    assertThat(events.events)
        .containsExactly("retry 2 after 100000000 result", "give up after 2 result");
    assertThat(retry.stats().failuresAfterRetry()).isEqualTo(1);
    assertThat(LogCapture.lines(Retry.class.getName()))
        .filteredOn(l -> l.message().startsWith("name=delays gave up"))
        .singleElement()
        .satisfies(l -> assertThat(l.message()).contains("reason=delayFunction"));

    Retry minusOne = retry((attempt, result, error) -> Duration.ofDays(-1), Duration.ofSeconds(1));
    Server down = new Server(new Response(503, null));
    assertThat(minusOne.get(down::call).status()).isEqualTo(503);
    assertThat(down.calls).hasValue(1);
  }

  @Test
  void zeroRetriesAtOnce() {
    Retry retry = retry((attempt, result, error) -> Duration.ZERO, Duration.ofSeconds(1));
    Server server = new Server(new Response(503, null), new Response(200, null));
    long t0 = ticker.read();
    assertThat(retry.get(server::call).status()).isEqualTo(200);
    assertThat(ticker.read()).isEqualTo(t0);
  }

  @Test
  void theFunctionSeesTheAttemptNumberAndTheExceptionOfAFailure() throws IOException {
    List<String> seen = new CopyOnWriteArrayList<>();
    Retry retry =
        Retry.of(
            "delays",
            config(scheduler)
                .maxAttempts(4)
                .delayFunction(
                    (attempt, result, error) -> {
                      seen.add(attempt + " " + result + " " + error);
                      return Duration.ofMillis(attempt);
                    },
                    Duration.ofSeconds(1))
                .build());
    retry.addListener(events);
    assertThat(retry.call(new Flaky(3))).isEqualTo("ok");
    assertThat(seen)
        .containsExactly(
            "1 null java.io.IOException: boom 1",
            "2 null java.io.IOException: boom 2",
            "3 null java.io.IOException: boom 3");
    assertThat(events.delays).containsExactly(nanos(1), nanos(2), nanos(3));
  }

  @Test
  void theFunctionIsNotAskedWhenNoRetryCanFollow() {
    AtomicInteger asked = new AtomicInteger();
    Retry retry =
        Retry.of(
            "delays",
            config(scheduler)
                .maxAttempts(2)
                .retryOn(IOException.class)
                .delayFunction(
                    (attempt, result, error) -> {
                      asked.incrementAndGet();
                      return null;
                    },
                    Duration.ofSeconds(1))
                .build());
    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      throw new IllegalStateException("not retried");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(asked).hasValue(0);
    assertThatThrownBy(() -> retry.call(new Flaky(9))).isInstanceOf(IOException.class);
    assertThat(asked).hasValue(1); // after attempt 1; attempt 2 was the last
  }

  @Test
  void aRejectionsRetryAfterStillStretchesTheWait() {
    Retry retry =
        Retry.of(
            "delays",
            config(scheduler)
                .waitForRetryAfter(Duration.ofSeconds(10))
                .delayFunction((attempt, result, error) -> ms(50), Duration.ofSeconds(1))
                .build());
    retry.addListener(events);
    AtomicInteger n = new AtomicInteger();
    assertThat(
            retry.get(
                () -> {
                  if (n.incrementAndGet() == 1) {
                    throw new TestRejection(RejectedException.Reason.OVERLOAD, ms(2000));
                  }
                  return "through";
                }))
        .isEqualTo("through");
    assertThat(events.delays).containsExactly(nanos(2000));
  }

  @Test
  void maxDurationStillBoundsTheWaitTheFunctionAsksFor() {
    Retry retry =
        Retry.of(
            "delays",
            config(scheduler)
                .maxDuration(Duration.ofSeconds(5))
                .delayFunction(
                    (attempt, result, error) -> Duration.ofSeconds(6), Duration.ofMinutes(1))
                .build());
    Flaky call = new Flaky(1);
    assertThatThrownBy(() -> retry.call(call)).isInstanceOf(IOException.class);
    assertThat(call.attempts()).isEqualTo(1);
  }

  @Test
  void aThrowingFunctionIsLoggedAndTheBackoffsDelayIsUsed() throws IOException {
    Retry retry =
        Retry.of(
            "delays",
            config(scheduler)
                .backoff(Backoff.fixed(ms(100)))
                .delayFunction(
                    (attempt, result, error) -> {
                      throw new IllegalStateException("parse error");
                    },
                    Duration.ofSeconds(1))
                .build());
    retry.addListener(events);
    assertThat(retry.call(new Flaky(1))).isEqualTo("ok");
    assertThat(events.delays).containsExactly(nanos(100));
    assertThat(LogCapture.lines(Retry.class.getName()))
        .filteredOn(l -> l.level() == Level.WARN && l.message().startsWith("name=delays"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.message())
                  .isEqualTo("name=delays delayFunction threw; using the backoff's delay");
              assertThat(l.error()).hasMessage("parse error");
            });
  }

  @Test
  void aFunctionThatOverflowsTheStackReachesTheCallerCountedAndCompletesAnAsyncStage() {
    StackOverflowError overflow = new StackOverflowError("delay overflow");
    Retry retry =
        Retry.of(
            "delays",
            config(scheduler)
                .delayFunction(
                    (attempt, result, error) -> {
                      throw overflow;
                    },
                    Duration.ofSeconds(1))
                .build());
    assertThatThrownBy(() -> retry.call(new Flaky(1))).isSameAs(overflow);
    assertThat(retry.stats().failuresWithoutRetry()).isEqualTo(1);
    CompletableFuture<String> out =
        retry
            .<String>callAsync(() -> CompletableFuture.failedFuture(new IOException("x")))
            .toCompletableFuture();
    assertThat(out).isCompletedExceptionally();
    assertThat(out.handle((r, e) -> e).join()).isSameAs(overflow);
    assertThat(retry.stats().failuresWithoutRetry()).isEqualTo(2);
    assertThat(retry.stats().calls()).isEqualTo(2);
  }

  @Test
  void anAsyncCallWaitsWhatTheFunctionSays() {
    Retry retry = retry(RETRY_AFTER, Duration.ofSeconds(30));
    Server server = new Server(new Response(429, 2L), new Response(200, null));
    CompletableFuture<Response> out =
        retry
            .callAsync(() -> CompletableFuture.completedFuture(server.call()))
            .toCompletableFuture();
    assertThat(out).isNotDone();
    ticker.advance(Duration.ofMillis(1999));
    assertThat(out).isNotDone();
    ticker.advance(Duration.ofMillis(1));
    assertThat(out).isCompletedWithValue(new Response(200, null));
  }
}
