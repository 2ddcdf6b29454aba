package dev.ballast.circuitbreaker;

import static dev.ballast.circuitbreaker.Breakers.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.OutcomeClassifier;
import dev.ballast.TestTicker;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

final class ClassificationTest {
  private final TestTicker ticker = new TestTicker();

  private CircuitBreaker breaker(OutcomeClassifier classifier) {
    return CircuitBreaker.of(
        "cls", config(ticker).countWindow(10).minimumCalls(10).classifier(classifier).build());
  }

  private static void throwing(CircuitBreaker b, Throwable t) {
    try {
      b.call(
          () -> {
            if (t instanceof Error e) {
              throw e;
            }
            if (t instanceof RuntimeException r) {
              throw r;
            }
            throw (Exception) t;
          });
    } catch (Throwable expected) {
      assertThat(expected).isSameAs(t);
    }
  }

  @Test
  void everyThrowableIsAFailureByDefaultErrorsIncluded() {
    CircuitBreaker b = breaker(OutcomeClassifier.defaults());
    throwing(b, new IOException());
    throwing(b, new IllegalStateException());
    throwing(b, new AssertionError());
    assertThat(b.stats().windowFailures()).isEqualTo(3);
  }

  @Test
  void failureOnNarrowsWhichExceptionsCount() {
    CircuitBreaker b = breaker(OutcomeClassifier.builder().failureOn(IOException.class).build());
    throwing(b, new FileNotFoundException());
    throwing(b, new IllegalArgumentException()); // the dependency answered: a success
    assertThat(b.stats().windowFailures()).isEqualTo(1);
    assertThat(b.stats().windowCalls()).isEqualTo(2);
  }

  @Test
  void ignoredExceptionsAreNotCounted() {
    CircuitBreaker b =
        breaker(OutcomeClassifier.builder().ignore(UncheckedIOException.class).build());
    throwing(b, new UncheckedIOException(new IOException()));
    assertThat(b.stats().windowCalls()).isZero();
    throwing(b, new TimeoutException());
    assertThat(b.stats().windowFailures()).isEqualTo(1);
  }

  @Test
  @SuppressWarnings("NullAway") // returns null on purpose
  void resultPredicateAddsFailuresWithoutChangingExceptions() {
    CircuitBreaker b = breaker(OutcomeClassifier.builder().failureOnResult(r -> r == null).build());
    assertThat(b.call(() -> (String) null)).isNull();
    b.call(() -> "fine");
    throwing(b, new IOException());
    assertThat(b.stats().windowFailures()).isEqualTo(2);
    assertThat(b.stats().windowCalls()).isEqualTo(3);
  }

  @Test
  void throwingPredicatesNeverLoseTheCallersOutcome() {
    CircuitBreaker b =
        breaker(
            OutcomeClassifier.builder()
                .ignoreWhen(
                    t -> {
                      throw new IllegalStateException("predicate bug");
                    })
                .failureWhen(
                    t -> {
                      throw new IllegalStateException("predicate bug");
                    })
                .failureOnResult(
                    r -> {
                      throw new IllegalStateException("predicate bug");
                    })
                .build());
    assertThat(b.call(() -> "result")).isEqualTo("result");
    IOException mine = new IOException("mine");
    assertThatThrownBy(
            () ->
                b.call(
                    () -> {
                      throw mine;
                    }))
        .isSameAs(mine);
    // defaults apply: the result counts as a success, the exception as a failure
    assertThat(b.stats().windowCalls()).isEqualTo(2);
    assertThat(b.stats().windowFailures()).isEqualTo(1);
  }
}
