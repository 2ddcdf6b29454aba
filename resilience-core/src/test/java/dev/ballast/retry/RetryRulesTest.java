package dev.ballast.retry;

import static dev.ballast.retry.Retries.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.CheckedCallable;
import dev.ballast.RejectedException;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.retry.Retries.Recorder;
import dev.ballast.retry.Retries.TestRejection;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Which exceptions are retried: "retry X except Y", and the rule for Errors. */
final class RetryRulesTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final AtomicInteger attempts = new AtomicInteger();

  private RetryConfig.Builder base() {
    return config(scheduler).backoff(Backoff.fixed(Duration.ZERO)).maxAttempts(5);
  }

  /** A call that throws what {@code thrown} makes, counting attempts. */
  private CheckedCallable<String, Throwable> throwing(Supplier<? extends Throwable> thrown) {
    return () -> {
      attempts.incrementAndGet();
      throw thrown.get();
    };
  }

  private int attemptsOf(Retry retry, Supplier<? extends Throwable> thrown) {
    attempts.set(0);
    assertThatThrownBy(() -> retry.call(throwing(thrown))).isInstanceOf(Throwable.class);
    return attempts.get();
  }

  @Test
  void anAbortTypeEndsTheRetryAtOnceEvenWhereTheRetryRuleMatches() {
    Retry retry =
        Retry.of(
            "abort",
            base().retryOn(IOException.class).abortOn(FileNotFoundException.class).build());
    Recorder events = new Recorder();
    retry.addListener(events);
    assertThat(attemptsOf(retry, () -> new IOException("reset"))).isEqualTo(5);
    assertThat(attemptsOf(retry, () -> new FileNotFoundException("gone"))).isEqualTo(1);
    RetryStats s = retry.stats();
    assertThat(s.failuresAfterRetry()).isEqualTo(1);
    assertThat(s.failuresWithoutRetry()).isEqualTo(1);
    // An abort is not a give-up: the outcome was never one to retry.
    assertThat(events.events).filteredOn(e -> e.startsWith("give up")).hasSize(1);
  }

  @Test
  void anAbortPredicateEndsTheRetryAtOnceAndAddsToAbortTypes() {
    Retry retry =
        Retry.of(
            "abort",
            base()
                .abortWhen(t -> t.getMessage() != null && t.getMessage().contains("fatal"))
                .abortOn(IllegalArgumentException.class)
                .build());
    assertThat(attemptsOf(retry, () -> new IOException("transient"))).isEqualTo(5);
    assertThat(attemptsOf(retry, () -> new IOException("fatal: disk"))).isEqualTo(1);
    assertThat(attemptsOf(retry, () -> new IllegalArgumentException("bad"))).isEqualTo(1);
  }

  @Test
  void anAbortEndsARetryOfALaterAttemptWithTheEarlierFailuresSuppressed() {
    Retry retry = Retry.of("abort", base().abortOn(FileNotFoundException.class).build());
    AtomicInteger n = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      if (n.incrementAndGet() < 3) {
                        throw new IOException("try " + n.get());
                      }
                      throw new FileNotFoundException("gone");
                    }))
        .isInstanceOf(FileNotFoundException.class)
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
    assertThat(n).hasValue(3);
    assertThat(retry.stats().failuresAfterRetry()).isEqualTo(1);
  }

  @Test
  void anAbortedRejectionIsPassedThroughEvenWhenTheRetryWouldWaitForIt() {
    Retry retry =
        Retry.of(
            "abort",
            base()
                .retryOnOverload(true)
                .waitForRetryAfter(Duration.ofSeconds(5))
                .abortWhen(
                    t -> t instanceof RejectedException r && r.component().equals("dependency"))
                .build());
    assertThat(
            attemptsOf(
                retry,
                () -> new TestRejection(RejectedException.Reason.OVERLOAD, Duration.ofMillis(1))))
        .isEqualTo(1);
    assertThat(retry.stats().rejections()).isEqualTo(1);
  }

  @Test
  void anAbortPredicateThatThrowsEndsTheRetryAndIsLogged() {
    Retry retry =
        Retry.of(
            "abort",
            base()
                .abortWhen(
                    t -> {
                      throw new IllegalStateException("abort bug");
                    })
                .build());
    assertThat(attemptsOf(retry, () -> new IOException("x"))).isEqualTo(1);
    assertThat(retry.stats().failuresWithoutRetry()).isEqualTo(1);
  }

  @Test
  void theAbortRuleHoldsForAsyncCalls() {
    Retry retry =
        Retry.of(
            "abort", base().executor(Runnable::run).abortOn(FileNotFoundException.class).build());
    CompletableFuture<String> out =
        retry
            .<String>callAsync(
                () -> {
                  attempts.incrementAndGet();
                  return CompletableFuture.failedFuture(new FileNotFoundException("gone"));
                })
            .toCompletableFuture();
    assertThat(out).isCompletedExceptionally();
    assertThat(attempts).hasValue(1);
  }

  @Test
  void aRetryPredicateIsNeverAskedAboutAnErrorSoErrorsStayUnretried() {
    AtomicInteger asked = new AtomicInteger();
    Retry retry =
        Retry.of(
            "errors",
            base()
                .retryWhen(
                    t -> {
                      asked.incrementAndGet();
                      return true;
                    })
                .build());
    assertThat(attemptsOf(retry, () -> new AssertionError("bug"))).isEqualTo(1);
    assertThat(asked).hasValue(0);
    assertThat(attemptsOf(retry, () -> new IllegalStateException("flaky"))).isEqualTo(5);
  }

  @Test
  void throwableCoversExceptionsButNotErrors() {
    Retry retry = Retry.of("errors", base().retryOn(Throwable.class).build());
    assertThat(attemptsOf(retry, () -> new IOException("io"))).isEqualTo(5);
    assertThat(attemptsOf(retry, () -> new StackOverflowError())).isEqualTo(1);
  }

  @Test
  void anErrorIsRetriedWhenRetryOnNamesItsType() {
    Retry retry =
        Retry.of("errors", base().retryOn(IOException.class, AssertionError.class).build());
    assertThat(attemptsOf(retry, () -> new AssertionError("flaky check"))).isEqualTo(5);
    assertThat(attemptsOf(retry, () -> new IOException("io"))).isEqualTo(5);
    assertThat(attemptsOf(retry, () -> new OutOfMemoryError())).isEqualTo(1);
    Retry all = Retry.of("errors", base().retryOn(Error.class).build());
    assertThat(attemptsOf(all, () -> new OutOfMemoryError())).isEqualTo(5);
    assertThat(attemptsOf(all, () -> new IOException("io"))).isEqualTo(1);
  }

  @Test
  void anInterruptedExceptionIsNeverRetriedEvenByAPredicateThatSaysYes() {
    Retry retry = Retry.of("interrupts", base().retryWhen(t -> true).build());
    assertThat(attemptsOf(retry, () -> new InterruptedException("stop"))).isEqualTo(1);
  }

  @Test
  void theDefaultAbortRuleMatchesNothing() {
    RetryConfig d = RetryConfig.defaults();
    for (Throwable t :
        new Throwable[] {
          new IOException(), new IllegalStateException(), new AssertionError(), new Throwable()
        }) {
      assertThat(d.abortOn().test(t)).as("%s", t).isFalse();
    }
  }

  @Test
  void severalResultPredicatesRetryAResultAnyOfThemMatches() {
    Retry retry =
        Retry.of(
            "results",
            base()
                .retryOnResult(r -> "empty".equals(r))
                .retryOnResult(r -> "stale".equals(r))
                .build());
    for (String retried : new String[] {"empty", "stale"}) {
      AtomicInteger n = new AtomicInteger();
      assertThat(retry.get(() -> n.incrementAndGet() == 1 ? retried : "fresh")).isEqualTo("fresh");
      assertThat(n).as(retried).hasValue(2);
    }
    AtomicInteger n = new AtomicInteger();
    assertThat(retry.get(() -> "fine " + n.incrementAndGet())).isEqualTo("fine 1");
    var rule = retry.config().retryOnResult();
    assertThat(rule).isNotNull();
    if (rule != null) {
      assertThat(rule.test("stale")).isTrue();
      assertThat(rule.test("other")).isFalse();
    }
  }
}
