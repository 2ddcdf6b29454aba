package dev.ballast.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

final class ConfigValidationTest {

  private static void rejects(Consumer<RetryConfig.Builder> setter, String message) {
    assertThatThrownBy(() -> setter.accept(RetryConfig.builder())).hasMessage(message);
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void everySetterNamesTheParameterAndTheValue() {
    rejects(b -> b.maxAttempts(0), "maxAttempts must be >= 1, was 0");
    rejects(b -> b.maxDuration(Duration.ZERO), "maxDuration must be > 0, was PT0S");
    rejects(
        b -> b.maxDuration(Duration.ofDays(400)), "maxDuration must be <= PT8760H, was PT9600H");
    rejects(b -> b.maxDuration(null), "maxDuration must not be null");
    rejects(b -> b.backoff(null), "backoff must not be null");
    rejects(b -> b.retryOn(), "types must name at least one type, was empty");
    rejects(b -> b.retryOn(java.io.IOException.class, null), "types[1] must not be null");
    rejects(b -> b.retryWhen(null), "predicate must not be null");
    rejects(b -> b.retryOnResult(null), "predicate must not be null");
    rejects(
        b -> b.waitForRetryAfter(Duration.ofMillis(-1)),
        "maxRetryAfter must be > 0, was PT-0.001S");
    rejects(
        b -> b.budget(-0.1, 1, Duration.ofSeconds(1)),
        "budgetRatio must be a finite number >= 0.0, was -0.1");
    rejects(
        b -> b.budget(Double.NaN, 1, Duration.ofSeconds(1)),
        "budgetRatio must be a finite number >= 0.0, was NaN");
    rejects(
        b -> b.budget(0.1, -1, Duration.ofSeconds(1)), "minRetriesPerSecond must be >= 0, was -1");
    rejects(
        b -> b.budget(0.0, 0, Duration.ofSeconds(1)),
        "budget allows no retry: ratio and minRetriesPerSecond are both 0 (use maxAttempts(1))");
    rejects(
        b -> b.budget(0.1, 1, Duration.ofMillis(9)), "budgetWindow must be >= 10 ms, was PT0.009S");
    rejects(b -> b.budget(0.1, 1, null), "budgetWindow must not be null");
    rejects(b -> b.random(null), "random must not be null");
    rejects(b -> b.scheduler(null), "scheduler must not be null");
    rejects(b -> b.executor(null), "executor must not be null");
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void theRetryNeedsANameAndAConfig() {
    assertThatThrownBy(() -> Retry.of(" ", RetryConfig.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> Retry.of(null, RetryConfig.defaults()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> Retry.of("x", null)).hasMessage("config must not be null");
  }

  @Test
  void toBuilderCopiesEverySetting() {
    RetryConfig c =
        RetryConfig.builder()
            .maxAttempts(7)
            .maxDuration(Duration.ofSeconds(3))
            .backoff(Backoff.fixed(Duration.ofMillis(5)))
            .retryOnOverload(true)
            .waitForRetryAfter(Duration.ofSeconds(2))
            .budget(0.2, 3, Duration.ofSeconds(30))
            .build();
    RetryConfig copy = c.toBuilder().build();
    assertThat(copy.maxAttempts()).isEqualTo(7);
    assertThat(copy.maxDuration()).isEqualTo(Duration.ofSeconds(3));
    assertThat(copy.backoff()).isEqualTo(Backoff.fixed(Duration.ofMillis(5)));
    assertThat(copy.retryOnOverload()).isTrue();
    assertThat(copy.maxRetryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(copy.budgetRatio()).isEqualTo(0.2);
    assertThat(copy.budgetMinRetriesPerSecond()).isEqualTo(3);
    assertThat(copy.budgetWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(copy.countCalls()).isTrue();
    assertThat(copy.retryOn()).isSameAs(RetryConfig.defaults().retryOn());
    assertThat(copy.retryOn().test(new java.io.IOException())).isTrue();
    assertThat(copy.retryOn().test(new Error())).isFalse();
  }

  @Test
  void aDurationTooLargeForNanosecondsIsRefusedNamingTheParameter() {
    for (Duration huge :
        new Duration[] {
          Duration.ofSeconds(Long.MAX_VALUE), java.time.temporal.ChronoUnit.FOREVER.getDuration()
        }) {
      assertThatThrownBy(() -> RetryConfig.builder().budget(0.1, 1, huge))
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessage("budgetWindow must be <= PT8760H, was " + huge);
      assertThatThrownBy(() -> RetryConfig.builder().maxDuration(huge))
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessage("maxDuration must be <= PT8760H, was " + huge);
      assertThatThrownBy(() -> RetryConfig.builder().waitForRetryAfter(huge))
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessage("maxRetryAfter must be <= PT8760H, was " + huge);
      assertThatThrownBy(() -> Backoff.fixed(huge))
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessage("delay must be <= PT8760H, was " + huge);
      assertThatThrownBy(() -> Backoff.exponential(huge, 2.0))
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessage("initial must be <= PT8760H, was " + huge);
      assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(1), 2.0, huge))
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessage("cap must be <= PT8760H, was " + huge);
      assertThatThrownBy(() -> Backoff.decorrelatedJitter(huge, huge))
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessage("base must be <= PT8760H, was " + huge);
    }
    Duration hugeNegative = Duration.ofSeconds(Long.MIN_VALUE);
    assertThatThrownBy(() -> RetryConfig.builder().budget(0.1, 1, hugeNegative))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("budgetWindow must be >= 10 ms, was " + hugeNegative);
    assertThatThrownBy(() -> RetryConfig.builder().maxDuration(hugeNegative))
        .hasMessage("maxDuration must be > 0, was " + hugeNegative);
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void theNewSettersNameTheParameterAndTheValue() {
    DelayFunction f = (attempt, result, error) -> null;
    rejects(b -> b.abortOn(), "types must name at least one type, was empty");
    rejects(b -> b.abortOn(java.io.IOException.class, null), "types[1] must not be null");
    rejects(b -> b.abortWhen(null), "predicate must not be null");
    rejects(b -> b.delayFunction(null, Duration.ofSeconds(1)), "delayFunction must not be null");
    rejects(b -> b.delayFunction(f, null), "delayFunctionCap must not be null");
    rejects(b -> b.delayFunction(f, Duration.ZERO), "delayFunctionCap must be > 0, was PT0S");
    rejects(
        b -> b.delayFunction(f, java.time.temporal.ChronoUnit.FOREVER.getDuration()),
        "delayFunctionCap must be <= PT8760H, was "
            + java.time.temporal.ChronoUnit.FOREVER.getDuration());
  }

  @Test
  void retryOnRefusesTypesItCouldNeverRetry() {
    rejects(
        b -> b.retryOn(java.io.IOException.class, Retries.TestRejection.class),
        "retryOn can never retry dev.ballast.retry.Retries$TestRejection:"
            + " rejections are retried by retryOnOverload or waitForRetryAfter");
    rejects(
        b -> b.retryOn(InterruptedException.class),
        "retryOn can never retry java.lang.InterruptedException: an interrupt is never retried");
  }

  @Test
  void buildRefusesARetryTypeThatAnAbortTypeCovers() {
    rejects(
        b ->
            b.retryOn(java.io.FileNotFoundException.class)
                .abortOn(java.io.IOException.class)
                .build(),
        "retryOn(java.io.FileNotFoundException) can never retry:"
            + " abortOn(java.io.IOException) ends the retry on it first");
    rejects(
        b -> b.abortOn(IllegalStateException.class).retryOn(IllegalStateException.class).build(),
        "retryOn(java.lang.IllegalStateException) can never retry:"
            + " abortOn(java.lang.IllegalStateException) ends the retry on it first");
    // "Retry X except Y", the other way round, is what abortOn is for.
    RetryConfig.builder()
        .retryOn(java.io.IOException.class)
        .abortOn(java.io.FileNotFoundException.class)
        .build();
  }

  @Test
  void buildRefusesABackoffWhoseFirstDelayIsLongerThanMaxDuration() {
    rejects(
        b ->
            b.backoff(Backoff.fixed(Duration.ofSeconds(2)))
                .maxDuration(Duration.ofSeconds(1))
                .build(),
        "backoff fixed(delay=PT2S, jitter=0.0) waits at least PT2S before the first retry,"
            + " longer than maxDuration PT1S: no retry could ever start");
    // Jitter can shorten the first delay: the shortest it can be is what counts.
    rejects(
        b ->
            b.maxDuration(Duration.ofMillis(100))
                .backoff(Backoff.exponential(Duration.ofMillis(400), 2.0).withJitter(0.5))
                .build(),
        "backoff exponential(initial=PT0.4S, multiplier=2.0, max=PT8760H, jitter=0.5)"
            + " waits at least PT0.2S before the first retry, longer than maxDuration PT0.1S:"
            + " no retry could ever start");
    rejects(
        b ->
            b.maxDuration(Duration.ofMillis(100))
                .backoff(Backoff.decorrelatedJitter(Duration.ofMillis(101), Duration.ofSeconds(1)))
                .build(),
        "backoff decorrelatedJitter(base=PT0.101S, max=PT1S) waits at least PT0.101S before the"
            + " first retry, longer than maxDuration PT0.1S: no retry could ever start");
    // The default backoff (100 ms, half jitter) waits at least 50 ms.
    rejects(
        b -> b.maxDuration(Duration.ofMillis(49)).build(),
        "backoff exponential(initial=PT0.1S, multiplier=2.0, max=PT10S, jitter=0.5) waits at"
            + " least PT0.05S before the first retry, longer than maxDuration PT0.049S:"
            + " no retry could ever start");
    // Allowed: a first delay equal to the bound, full jitter (which may draw 0), and a delay
    // function (which may ask for less than the backoff).
    RetryConfig.builder()
        .backoff(Backoff.fixed(Duration.ofSeconds(1)))
        .maxDuration(Duration.ofSeconds(1))
        .build();
    RetryConfig.builder()
        .backoff(Backoff.fixed(Duration.ofSeconds(2)).withFullJitter())
        .maxDuration(Duration.ofSeconds(1))
        .build();
    RetryConfig.builder()
        .backoff(Backoff.fixed(Duration.ofSeconds(2)))
        .maxDuration(Duration.ofSeconds(1))
        .delayFunction((attempt, result, error) -> Duration.ZERO, Duration.ofSeconds(1))
        .build();
  }

  @Test
  void aBudgetWindowOfExactlyTenMillisecondsIsAccepted() {
    RetryConfig c = RetryConfig.builder().budget(0.1, 1, Duration.ofMillis(10)).build();
    assertThat(c.budgetWindow()).isEqualTo(Duration.ofMillis(10));
    rejects(
        b -> b.budget(0.1, 1, Duration.ofNanos(9_999_999)),
        "budgetWindow must be >= 10 ms, was PT0.009999999S");
  }
}
