package dev.ballast.retry;

import static dev.ballast.retry.Retries.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.CheckedCallable;
import dev.ballast.OutcomeClassifier;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.testlog.LogCapture;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A retry that takes its retry rule from an OutcomeClassifier: it retries FAILUREs only. */
final class ClassifierTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final AtomicInteger attempts = new AtomicInteger();

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  private RetryConfig.Builder base() {
    return config(scheduler).backoff(Backoff.fixed(Duration.ZERO)).maxAttempts(4);
  }

  private int attemptsOf(Retry retry, Supplier<? extends Throwable> thrown) {
    attempts.set(0);
    CheckedCallable<String, Throwable> call =
        () -> {
          attempts.incrementAndGet();
          throw thrown.get();
        };
    assertThatThrownBy(() -> retry.call(call)).isInstanceOf(Throwable.class);
    return attempts.get();
  }

  @Test
  void retriesWhatTheClassifierCallsAFailureAndNothingElse() {
    OutcomeClassifier inventory =
        OutcomeClassifier.builder()
            .failureOn(IOException.class)
            .ignore(FileNotFoundException.class)
            .build();
    Retry retry = Retry.of("classified", base().classifier(inventory).build());
    assertThat(attemptsOf(retry, IOException::new)).isEqualTo(4);
    assertThat(attemptsOf(retry, FileNotFoundException::new)).isEqualTo(1); // IGNORED
    assertThat(attemptsOf(retry, TimeoutException::new)).isEqualTo(1); // SUCCESS: answered
    assertThat(retry.config().classifier()).isSameAs(inventory);
  }

  @Test
  void anErrorIsNeverRetriedThroughAClassifierThoughItCallsItAFailure() {
    Retry retry = Retry.of("errors", base().classifier(OutcomeClassifier.defaults()).build());
    assertThat(attemptsOf(retry, () -> new AssertionError("bug"))).isEqualTo(1);
    assertThat(attemptsOf(retry, IllegalStateException::new)).isEqualTo(4);
  }

  @Test
  void retriesTheResultsAClassifierThatInspectsResultsCallsFailures() throws Exception {
    OutcomeClassifier emptyIsFailure =
        OutcomeClassifier.builder().failureOnResult(r -> "".equals(r)).build();
    Retry retry = Retry.of("results", base().classifier(emptyIsFailure).build());
    AtomicInteger n = new AtomicInteger();
    assertThat(retry.call(() -> n.incrementAndGet() < 3 ? "" : "full")).isEqualTo("full");
    assertThat(n.get()).isEqualTo(3);
    assertThat(retry.stats().successesAfterRetry()).isEqualTo(1);
  }

  @Test
  void abortRulesStillEndTheRetryFirst() {
    Retry retry =
        Retry.of(
            "abort",
            base()
                .classifier(OutcomeClassifier.defaults())
                .abortOn(FileNotFoundException.class)
                .build());
    assertThat(attemptsOf(retry, FileNotFoundException::new)).isEqualTo(1);
    assertThat(attemptsOf(retry, IOException::new)).isEqualTo(4);
  }

  @Test
  void aClassifierAndARetryRuleChoosingTheSameThingAreRefusedNamingBoth() {
    OutcomeClassifier c = OutcomeClassifier.defaults();
    assertThatThrownBy(() -> RetryConfig.builder().retryOn(IOException.class).classifier(c))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("classifier")
        .hasMessageContaining("retryOn");
    assertThatThrownBy(() -> RetryConfig.builder().retryWhen(e -> true).classifier(c))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("retryWhen");
    assertThatThrownBy(() -> RetryConfig.builder().classifier(c).retryOn(IOException.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "retryOn conflicts with classifier, already set: both choose the exceptions to retry");
    assertThatThrownBy(() -> RetryConfig.builder().classifier(c).retryWhen(e -> true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("retryWhen");
    RetryConfig classified = RetryConfig.builder().classifier(c).build();
    assertThatThrownBy(() -> classified.toBuilder().retryOn(IOException.class))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aResultRuleConflictsOnlyWithAClassifierThatInspectsResults() {
    OutcomeClassifier inspecting =
        OutcomeClassifier.builder().failureOnResult(r -> r == null).build();
    assertThatThrownBy(() -> RetryConfig.builder().classifier(inspecting).retryOnResult(r -> true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("retryOnResult")
        .hasMessageContaining("classifier");
    assertThatThrownBy(() -> RetryConfig.builder().retryOnResult(r -> true).classifier(inspecting))
        .isInstanceOf(IllegalStateException.class);
    RetryConfig both =
        RetryConfig.builder()
            .classifier(OutcomeClassifier.defaults())
            .retryOnResult(r -> r == null)
            .build();
    assertThat(both.retryOnResult()).isNotNull();
  }

  @Test
  void theClassifierIsPartOfEqualityAndSurvivesToBuilder() {
    OutcomeClassifier c = OutcomeClassifier.builder().failureOn(IOException.class).build();
    RetryConfig config = RetryConfig.builder().classifier(c).build();
    assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
    assertThat(config).isNotEqualTo(RetryConfig.defaults());
    assertThat(RetryConfig.defaults().classifier()).isNull();
  }

  @Test
  void aClassifierPredicateThatThrowsIsLoggedAndTheExceptionNotRetried() {
    OutcomeClassifier broken =
        OutcomeClassifier.builder()
            .failureWhen(
                e -> {
                  throw new IllegalStateException("classifier bug");
                })
            .build();
    Retry retry = Retry.of("broken", base().classifier(broken).build());
    assertThat(attemptsOf(retry, IOException::new)).isEqualTo(1);
    assertThat(LogCapture.lines("dev.ballast.retry"))
        .extracting(LogCapture.Line::message)
        .contains("name=broken retryOn predicate threw on java.io.IOException; not retrying");
  }

  @Test
  void aClassifierPredicateThatRunsOutOfMemoryReachesTheCallerWithTheCallCounted() {
    OutOfMemoryError oom = new OutOfMemoryError("classifier");
    OutcomeClassifier broken =
        OutcomeClassifier.builder()
            .failureWhen(
                e -> {
                  throw oom;
                })
            .build();
    Retry retry = Retry.of("oom", base().classifier(broken).build());
    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      throw new IOException("call");
                    }))
        .isSameAs(oom);
    assertThat(retry.stats().failuresWithoutRetry()).isEqualTo(1);
    assertThat(retry.stats().calls()).isEqualTo(1);
  }
}
