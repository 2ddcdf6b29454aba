package dev.ballast.retry;

import static dev.ballast.retry.Retries.config;
import static dev.ballast.retry.Retries.ms;
import static dev.ballast.retry.Retries.nanos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.BackOffHint;
import dev.ballast.Handshake;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.retry.Retries.Recorder;
import dev.ballast.testlog.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A retry that listens to the other side: it waits at least an outcome's back-off hint. */
@SuppressWarnings("NullAway") // passes null on purpose
final class BackOffHintTest {
  private static final Instant NOW = Instant.parse("2026-12-06T06:00:00Z");

  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final Recorder events = new Recorder();

  /** What an HTTP client returns: a status and its Retry-After. */
  record Answer(int status, @Nullable String retryAfter) {}

  private static final BackOffHint FROM_ANSWER =
      (result, error) ->
          result instanceof Answer a ? Handshake.hint(a.status(), a.retryAfter(), NOW) : null;

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  private Retry retry(BackOffHint hint, Duration longest) {
    Retry retry =
        Retry.of(
            "hinted",
            config(scheduler)
                .backoff(Backoff.fixed(ms(100)))
                .maxAttempts(4)
                .retryOnResult(r -> r instanceof Answer a && a.status() >= 429)
                .waitForRetryAfter(longest)
                .backOffHint(hint)
                .build());
    retry.addListener(events);
    return retry;
  }

  /** Returns the given answers in turn, the last one again and again. */
  private static final class Server {
    private final Answer[] answers;
    private final AtomicInteger calls = new AtomicInteger();

    Server(Answer... answers) {
      this.answers = answers;
    }

    Answer call() {
      return answers[Math.min(calls.getAndIncrement(), answers.length - 1)];
    }
  }

  @Test
  void theRetryWaitsTheLongerOfItsDelayAndTheHint() {
    Retry retry = retry(FROM_ANSWER, Duration.ofSeconds(30));
    Server server = new Server(new Answer(503, "7"), new Answer(429, null), new Answer(200, null));
    long t0 = ticker.read();
    assertThat(retry.get(server::call)).isEqualTo(new Answer(200, null));
    // 7 s from the header, then the backoff's 100 ms for a 429 naming no wait (a hint of zero).
    assertThat(events.delays).containsExactly(Duration.ofSeconds(7).toNanos(), nanos(100));
    assertThat(ticker.read() - t0).isEqualTo(Duration.ofSeconds(7).toNanos() + nanos(100));
  }

  @Test
  void aHintOverTheBoundEndsTheRetryAtOnceWithTheOutcome() {
    Retry retry = retry(FROM_ANSWER, Duration.ofSeconds(30));
    Server server = new Server(new Answer(503, "3600"), new Answer(200, null));
    long t0 = ticker.read();
    assertThat(retry.get(server::call)).isEqualTo(new Answer(503, "3600"));
    assertThat(server.calls).hasValue(1);
    assertThat(ticker.read()).isEqualTo(t0);
    assertThat(retry.stats().failuresWithoutRetry()).isEqualTo(1);
    assertThat(LogCapture.lines(Retry.class.getName()))
        .filteredOn(l -> l.message().startsWith("name=hinted gave up"))
        .singleElement()
        .satisfies(l -> assertThat(l.message()).contains("reason=backOffHint"));
  }

  @Test
  void theHintNeverDecidesWhetherAnOutcomeIsRetried() {
    AtomicInteger asked = new AtomicInteger();
    Retry retry =
        retry(
            (r, e) -> {
              asked.incrementAndGet();
              return Duration.ofSeconds(1);
            },
            Duration.ofSeconds(30));
    Server server = new Server(new Answer(200, "5"));
    assertThat(retry.get(server::call).status()).isEqualTo(200);
    assertThat(asked).as("not asked about an outcome that is not retried").hasValue(0);
  }

  @Test
  void theHintOfAnExceptionStretchesTheWaitToo() throws Exception {
    Retry retry =
        Retry.of(
            "hinted",
            config(scheduler)
                .backoff(Backoff.fixed(ms(100)))
                .waitForRetryAfter(Duration.ofSeconds(10))
                .backOffHint(
                    (r, e) -> e instanceof IllegalStateException ? Duration.ofSeconds(2) : null)
                .build());
    retry.addListener(events);
    AtomicInteger n = new AtomicInteger();
    assertThat(
            retry.call(
                () -> {
                  if (n.incrementAndGet() == 1) {
                    throw new IllegalStateException("busy, come back in 2 s");
                  }
                  return "ok";
                }))
        .isEqualTo("ok");
    assertThat(events.delays).containsExactly(Duration.ofSeconds(2).toNanos());
  }

  @Test
  void anAsynchronousRetryWaitsForTheHintOnTheTimer() {
    Retry retry =
        Retry.of(
            "hinted-async",
            config(scheduler)
                .backoff(Backoff.fixed(ms(100)))
                .retryOnResult(r -> r instanceof Answer a && a.status() == 503)
                .waitForRetryAfter(Duration.ofSeconds(30))
                .backOffHint(FROM_ANSWER)
                .executor(Runnable::run)
                .build());
    Server server = new Server(new Answer(503, "5"), new Answer(200, null));
    CompletableFuture<Answer> out =
        retry
            .<Answer>callAsync(() -> CompletableFuture.completedFuture(server.call()))
            .toCompletableFuture();
    assertThat(server.calls).hasValue(1);
    ticker.advance(Duration.ofMillis(4_999));
    assertThat(server.calls).hasValue(1);
    ticker.advance(Duration.ofMillis(1));
    assertThat(out).isCompletedWithValue(new Answer(200, null));
  }

  @Test
  void aThrowingOrNegativeHintIsNoHintAndNeverLosesTheOutcome() {
    Retry throwing =
        retry(
            (r, e) -> {
              throw new IllegalStateException("hint bug");
            },
            Duration.ofSeconds(30));
    Server server = new Server(new Answer(503, "7"), new Answer(200, null));
    assertThat(throwing.get(server::call).status()).isEqualTo(200);
    assertThat(events.delays).containsExactly(nanos(100));
    assertThat(LogCapture.lines(Retry.class.getName()))
        .anySatisfy(
            l ->
                assertThat(l.message()).contains("backOffHint threw; the outcome carries no hint"));

    Retry negative = retry((r, e) -> Duration.ofSeconds(-1), Duration.ofSeconds(30));
    Server again = new Server(new Answer(503, "7"), new Answer(200, null));
    assertThat(negative.get(again::call).status()).isEqualTo(200);
    assertThat(LogCapture.lines(Retry.class.getName()))
        .anySatisfy(
            l ->
                assertThat(l.message())
                    .contains("backOffHint returned PT-1S, a negative back-off; no hint"));
  }

  @Test
  void aVirtualMachineErrorFromTheHintReachesTheCallerOnceTheCallIsCounted() {
    Retry retry =
        retry(
            (r, e) -> {
              throw new StackOverflowError("hint");
            },
            Duration.ofSeconds(30));
    Server server = new Server(new Answer(503, "7"));
    assertThatThrownBy(() -> retry.get(server::call)).isInstanceOf(StackOverflowError.class);
    assertThat(retry.stats().failuresWithoutRetry()).isEqualTo(1);
  }

  @Test
  void aHintNeedsTheBoundOfWaitForRetryAfter() {
    RetryConfig.Builder b = RetryConfig.builder().backOffHint(FROM_ANSWER);
    assertThatIllegalStateException()
        .isThrownBy(b::build)
        .withMessageContaining("backOffHint")
        .withMessageContaining("waitForRetryAfter");
    assertThatNullPointerException()
        .isThrownBy(() -> RetryConfig.builder().backOffHint(null))
        .withMessage("backOffHint must not be null");
    RetryConfig c = b.waitForRetryAfter(Duration.ofSeconds(5)).build();
    assertThat(c.backOffHint()).isSameAs(FROM_ANSWER);
    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(RetryConfig.defaults().backOffHint()).isNull();
  }
}
