package dev.ballast.circuitbreaker;

import static dev.ballast.circuitbreaker.Breakers.config;
import static dev.ballast.circuitbreaker.Breakers.fail;
import static dev.ballast.circuitbreaker.Breakers.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.BackOffHint;
import dev.ballast.Handshake;
import dev.ballast.TestTicker;
import dev.ballast.testlog.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * Handshaking in the breaker: an outcome that carries a back-off hint opens it for the hint (or the
 * longer of the hint and its own wait), an open-at-once outcome opens it whatever the trip rule,
 * and a broken hint function never costs the caller its outcome or the breaker its state.
 */
@SuppressWarnings("NullAway") // passes null on purpose
final class BackOffHintTest {
  private static final Instant NOW = Instant.parse("2026-12-06T06:00:00Z");

  /** What an HTTP client returns: a status and its Retry-After. */
  record Answer(int status, @Nullable String retryAfter) {}

  /** The hint an application writes for its HTTP answers. */
  private static final BackOffHint FROM_ANSWER =
      (result, error) ->
          result instanceof Answer a ? Handshake.hint(a.status(), a.retryAfter(), NOW) : null;

  /** Thrown by a dependency that will never serve this caller again. */
  static final class AccountBannedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  private final TestTicker ticker = new TestTicker();

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  private CircuitBreaker breaker(String name, CircuitBreakerConfig.Builder b) {
    return CircuitBreaker.of(name, b.build());
  }

  private CircuitBreakerConfig.Builder hinted() {
    // Own wait 10 s (Breakers.config); five failures in a row to trip.
    return config(ticker).consecutiveFailures(5).backOffHint(FROM_ANSWER, Duration.ofMinutes(5));
  }

  private static Answer answer(CircuitBreaker b, int status, @Nullable String retryAfter) {
    return b.call(() -> new Answer(status, retryAfter));
  }

  private static RuntimeException refusal(CircuitBreaker b) {
    try {
      b.run(() -> {});
    } catch (CircuitBreakerOpenException e) {
      return e;
    }
    throw new AssertionError("the breaker let the call through");
  }

  @Test
  void aHintOpensAClosedBreakerAtOnceForExactlyThatLong() {
    CircuitBreaker b = breaker("hinted", hinted());
    succeed(b, 3);

    Answer got = answer(b, 503, "3");

    assertThat(got.status()).as("the caller keeps its outcome").isEqualTo(503);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    CircuitBreakerStats stats = b.stats();
    assertThat(stats.openWait()).isEqualTo(Duration.ofSeconds(3));
    assertThat(stats.openWaitHint()).contains(Duration.ofSeconds(3));
    assertThat(stats.timeUntilProbe()).isEqualTo(Duration.ofSeconds(3));
    assertThat(stats.lastTrip()).as("a hint is not the trip rule").isEmpty();
    ticker.advance(Duration.ofSeconds(1));
    assertThat(((CircuitBreakerOpenException) refusal(b)).retryAfter())
        .contains(Duration.ofSeconds(2));

    ticker.advance(Duration.ofSeconds(2));
    succeed(b, 1); // the probe, after exactly the hint
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(b.stats().openWait()).isZero();
    assertThat(b.stats().openWaitHint()).isEmpty();
  }

  @Test
  void anAsynchronousCallsHintOpensTheBreakerToo() {
    CircuitBreaker b = breaker("async", hinted());
    CompletableFuture<Answer> out =
        b.callAsync(() -> CompletableFuture.completedFuture(new Answer(429, "4")))
            .toCompletableFuture();
    assertThat(out).isCompletedWithValue(new Answer(429, "4"));
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(b.stats().openWait()).isEqualTo(Duration.ofSeconds(4));
    CompletableFuture<Answer> refused =
        b.callAsync(() -> CompletableFuture.completedFuture(new Answer(200, null)))
            .toCompletableFuture();
    assertThat(refused).isCompletedExceptionally();
  }

  @Test
  void aZeroHintOpensOnlyUntilTheNextRequestWhichProbes() {
    CircuitBreaker b = breaker("zero", hinted());
    answer(b, 429, "0");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(b.stats().openWait()).isZero();
    succeed(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void withHintAtLeastOwnWaitTheBreakerWaitsTheLongerOfTheTwo() {
    CircuitBreaker b = breaker("longer", hinted().hintAtLeastOwnWait(true));
    answer(b, 503, "3");
    assertThat(b.stats().openWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(b.stats().openWaitHint()).contains(Duration.ofSeconds(3));

    ticker.advance(Duration.ofSeconds(10));
    answer(b, 503, "30"); // the probe: the server asks for longer than the breaker's own wait
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(b.stats().openWait()).isEqualTo(Duration.ofSeconds(30));

    ticker.advance(Duration.ofSeconds(30));
    answer(b, 503, null); // a 503 naming no wait: the breaker's own
    assertThat(b.stats().openWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(b.stats().openWaitHint()).contains(Duration.ZERO);
  }

  @Test
  void aHintLongerThanTheCapIsCapped() {
    CircuitBreaker b =
        breaker("capped", config(ticker).backOffHint(FROM_ANSWER, Duration.ofSeconds(20)));
    answer(b, 503, "86400");
    assertThat(b.stats().openWait()).isEqualTo(Duration.ofSeconds(20));
    assertThat(b.stats().openWaitHint()).contains(Duration.ofSeconds(20));
  }

  @Test
  void aProbeThatCarriesAHintReopensForTheHintWhateverTheClassifierCallsIt() {
    CircuitBreaker b = breaker("probe", hinted());
    fail(b, 5);
    assertThat(b.stats().openWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(b.stats().openWaitHint()).isEmpty();
    ticker.advance(Duration.ofSeconds(10));

    answer(b, 503, "7"); // a success to the classifier, a "not now" to the breaker

    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(b.stats().openWait()).isEqualTo(Duration.ofSeconds(7));
    assertThat(b.stats().lastTrip()).as("the trip rule's trip is kept").isPresent();
  }

  @Test
  void anOutcomeWithoutAHintIsCountedAsBefore() {
    CircuitBreaker b = breaker("plain", hinted());
    answer(b, 200, "3"); // Retry-After on a 200 is no back-off
    answer(b, 500, "3");
    fail(b, 4);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(b.stats().openWaitHint()).isEmpty();
  }

  @Test
  void aHintChangesNothingWhereOutcomesAreNotCounted() {
    CircuitBreaker b = breaker("uncounted", hinted());
    b.disable();
    answer(b, 503, "3");
    assertThat(b.state()).as("disabled only measures").isEqualTo(CircuitBreakerState.DISABLED);

    b.reset();
    fail(b, 5);
    ticker.advance(Duration.ofSeconds(10));
    long probe = b.acquire();
    b.onResult(probe, new Answer(200, null));
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    long late = b.acquire();
    fail(b, 5);
    b.onResult(late, new Answer(503, "120")); // a call that began before the breaker opened
    assertThat(b.stats().openWait()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void anOpenAtOnceExceptionOpensForTheOwnWaitWhateverTheTripRule() {
    CircuitBreaker b =
        breaker(
            "banned",
            config(ticker)
                .countWindow(100)
                .minimumCalls(50)
                .openAtOnceOn(e -> e instanceof AccountBannedException));
    succeed(b, 10);
    assertThatThrownBy(
            () ->
                b.run(
                    () -> {
                      throw new AccountBannedException();
                    }))
        .isInstanceOf(AccountBannedException.class);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(b.stats().openWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(b.stats().openWaitHint()).isEmpty();
    assertThat(
            LogCapture.lines(CircuitBreaker.class.getName()).stream()
                .filter(l -> l.message().contains("name=banned from=CLOSED to=OPEN")))
        .singleElement()
        .satisfies(l -> assertThat(l.message()).endsWith("cause=\"outcome opens at once\""));
  }

  @Test
  void theTransitionLineShowsTheHint() {
    CircuitBreaker b = breaker("logged-hint", hinted());
    answer(b, 503, "3");
    List<LogCapture.Line> lines =
        LogCapture.lines(CircuitBreaker.class.getName()).stream()
            .filter(l -> l.message().contains("name=logged-hint"))
            .toList();
    assertThat(lines)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.WARN);
              assertThat(l.message())
                  .startsWith("name=logged-hint from=CLOSED to=OPEN")
                  .endsWith(" trips=1 waitMs=3000 hintMs=3000 cause=\"back-off hint\"");
            });
  }

  @Test
  void aThrowingHintFunctionLosesNeitherTheOutcomeNorTheCount() {
    AtomicInteger asked = new AtomicInteger();
    CircuitBreaker b =
        breaker(
            "broken-hint",
            config(ticker)
                .consecutiveFailures(2)
                .backOffHint(
                    (r, e) -> {
                      asked.incrementAndGet();
                      throw new IllegalStateException("hint bug");
                    },
                    Duration.ofMinutes(1)));
    assertThat(b.call(() -> "ok")).isEqualTo("ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    fail(b, 2); // still counted: the trip rule opens it
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(b.stats().openWaitHint()).isEmpty();
    assertThat(asked).hasValue(3);
    assertThat(LogCapture.lines(CircuitBreaker.class.getName()))
        .anySatisfy(
            l ->
                assertThat(l.message())
                    .contains("broken-hint")
                    .contains("backOffHint threw; the outcome carries no hint"));
  }

  @Test
  void aVirtualMachineErrorFromTheHintReachesTheCallerAfterTheOutcomeIsRecorded() {
    CircuitBreaker b =
        breaker(
            "fatal-hint",
            config(ticker)
                .consecutiveFailures(1)
                .backOffHint(
                    (r, e) -> {
                      throw new OutOfMemoryError("hint");
                    },
                    Duration.ofMinutes(1)));
    assertThatThrownBy(() -> fail(b, 1)).isInstanceOf(OutOfMemoryError.class);
    assertThat(b.state()).as("the failure was counted first").isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void aNegativeHintIsNoHintAndIsLogged() {
    CircuitBreaker b =
        breaker(
            "negative",
            config(ticker).backOffHint((r, e) -> Duration.ofSeconds(-1), Duration.ofMinutes(1)));
    assertThat(b.call(() -> "ok")).isEqualTo("ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(LogCapture.lines(CircuitBreaker.class.getName()))
        .anySatisfy(
            l ->
                assertThat(l.message())
                    .contains("backOffHint returned PT-1S, a negative back-off"));
  }

  @Test
  void aThrowingOpenAtOncePredicateDoesNotOpenTheBreaker() {
    CircuitBreaker b =
        breaker(
            "broken-open",
            config(ticker)
                .consecutiveFailures(3)
                .openAtOnceOn(
                    e -> {
                      throw new IllegalStateException("predicate bug");
                    }));
    fail(b, 2);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
    fail(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void badOptionsAreRefusedNamingTheOption() {
    CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();
    assertThatNullPointerException()
        .isThrownBy(() -> b.backOffHint(null, Duration.ofSeconds(1)))
        .withMessage("backOffHint must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> b.backOffHint(FROM_ANSWER, null))
        .withMessageContaining("backOffHintCap");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.backOffHint(FROM_ANSWER, Duration.ZERO))
        .withMessageContaining("backOffHintCap")
        .withMessageContaining("PT0S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.backOffHint(FROM_ANSWER, Duration.ofSeconds(-5)))
        .withMessageContaining("backOffHintCap");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.backOffHint(FROM_ANSWER, Duration.ofDays(366)))
        .withMessageContaining("backOffHintCap");
    assertThatNullPointerException()
        .isThrownBy(() -> b.openAtOnceOn(null))
        .withMessage("openAtOnceOn must not be null");
    assertThatIllegalStateException()
        .isThrownBy(() -> CircuitBreakerConfig.builder().hintAtLeastOwnWait(true).build())
        .withMessageContaining("hintAtLeastOwnWait")
        .withMessageContaining("backOffHint");
  }

  @Test
  void toBuilderKeepsTheHandshakeSettings() {
    CircuitBreakerConfig c = hinted().hintAtLeastOwnWait(true).openAtOnceOn(e -> false).build();
    CircuitBreakerConfig copy = c.toBuilder().build();
    assertThat(copy.backOffHint()).isSameAs(FROM_ANSWER);
    assertThat(copy.backOffHintCap()).isEqualTo(Duration.ofMinutes(5));
    assertThat(copy.hintAtLeastOwnWait()).isTrue();
    assertThat(copy.openAtOnceOn()).isSameAs(c.openAtOnceOn());
    assertThat(CircuitBreakerConfig.defaults().backOffHint()).isNull();
    assertThat(CircuitBreakerConfig.defaults().openAtOnceOn()).isNull();
  }
}
