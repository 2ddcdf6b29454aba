package dev.ballast.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.OutcomeClassifier;
import dev.ballast.testlog.LogCapture;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A fallback whose exception and result triggers follow an OutcomeClassifier's FAILUREs. */
final class ClassifierTest {
  private static final OutcomeClassifier INVENTORY =
      OutcomeClassifier.builder()
          .failureOn(IOException.class)
          .ignore(FileNotFoundException.class)
          .failureOnResult(r -> "".equals(r))
          .build();

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  private static <X extends Throwable> String fails(X e) throws X {
    throw e;
  }

  @Test
  void fallsBackOnWhatTheClassifierCallsAFailureAndNothingElse() throws Exception {
    Fallback<String> f =
        Fallback.of(
            "stock",
            FallbackConfig.<String>builder()
                .classifier(INVENTORY)
                .exceptionFallbackValue("cached")
                .resultFallbackValue("cached")
                .build());
    assertThat(f.apply(() -> fails(new IOException("down")))).isEqualTo("cached");
    assertThat(f.apply(() -> "")).isEqualTo("cached");
    assertThat(f.apply(() -> "12")).isEqualTo("12");
    FileNotFoundException ignored = new FileNotFoundException();
    assertThatThrownBy(() -> f.apply(() -> fails(ignored))).isSameAs(ignored);
    TimeoutException answered = new TimeoutException();
    assertThatThrownBy(() -> f.apply(() -> fails(answered))).isSameAs(answered);
    assertThat(f.stats().exceptionFallbacks()).isEqualTo(1);
    assertThat(f.stats().resultFallbacks()).isEqualTo(1);
    assertThat(f.config().classifier()).isSameAs(INVENTORY);
  }

  @Test
  void anErrorAndARejectionNeverReachTheExceptionTriggerThroughAClassifier() {
    Fallback<String> f =
        Fallback.of(
            "errors",
            FallbackConfig.<String>builder()
                .classifier(OutcomeClassifier.defaults())
                .exceptionFallbackValue("default")
                .build());
    AssertionError bug = new AssertionError("bug");
    assertThatThrownBy(() -> f.apply(() -> fails(bug))).isSameAs(bug);
    var rejection = Rejections.overload("bulkhead");
    assertThatThrownBy(() -> f.apply(() -> fails(rejection))).isSameAs(rejection);
    assertThat(f.stats().fallbacks()).isZero();
  }

  @Test
  void aSharedClassifierThatInspectsResultsNeedsNoResultFallback() {
    Fallback<String> f =
        Fallback.of(
            "shared",
            FallbackConfig.<String>builder()
                .classifier(INVENTORY)
                .rejectionFallbackValue("busy")
                .build());
    assertThat(f.apply(() -> "")).isEmpty();
    assertThat(f.apply(() -> fails(Rejections.overload("bulkhead")))).isEqualTo("busy");
  }

  @Test
  void aClassifierAndAnExceptionTriggerAreRefusedNamingBoth() {
    assertThatThrownBy(
            () ->
                FallbackConfig.<String>builder()
                    .onException(IOException.class)
                    .classifier(INVENTORY))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "classifier conflicts with onException, already set: both choose the exceptions that"
                + " trigger the exception fallback");
    assertThatThrownBy(
            () -> FallbackConfig.<String>builder().classifier(INVENTORY).onExceptionWhen(e -> true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("onExceptionWhen conflicts with classifier");
    assertThatThrownBy(
            () -> FallbackConfig.<String>builder().classifier(INVENTORY).onResult(String::isEmpty))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("onResult conflicts with classifier");
    FallbackConfig<String> exceptionsOnly =
        FallbackConfig.<String>builder()
            .classifier(OutcomeClassifier.defaults())
            .onResult(String::isEmpty)
            .resultFallbackValue("filled")
            .build();
    assertThat(Fallback.of("mixed", exceptionsOnly).apply(() -> "")).isEqualTo("filled");
  }

  @Test
  void aResultFallbackNeedsOnResultOrAClassifierThatInspectsResults() {
    assertThatThrownBy(
            () ->
                FallbackConfig.<String>builder()
                    .classifier(OutcomeClassifier.defaults())
                    .resultFallbackValue("x")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resultFallback")
        .hasMessageContaining("onResult");
  }

  @Test
  void aClassifierPredicateThatThrowsIsLoggedAndCountsAsNoMatch() {
    OutcomeClassifier broken =
        OutcomeClassifier.builder()
            .failureWhen(
                e -> {
                  throw new IllegalStateException("classifier bug");
                })
            .build();
    Fallback<String> f =
        Fallback.of(
            "broken",
            FallbackConfig.<String>builder()
                .classifier(broken)
                .exceptionFallbackValue("default")
                .build());
    IOException down = new IOException("down");
    assertThatThrownBy(() -> f.apply(() -> fails(down))).isSameAs(down);
    assertThat(LogCapture.lines("dev.ballast.fallback"))
        .extracting(LogCapture.Line::message)
        .containsExactly(
            "name=broken exception predicate threw on java.io.IOException; no fallback");
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
    Fallback<String> f =
        Fallback.of(
            "oom",
            FallbackConfig.<String>builder()
                .classifier(broken)
                .exceptionFallbackValue("default")
                .build());
    assertThatThrownBy(() -> f.apply(() -> fails(new IOException("down")))).isSameAs(oom);
    assertThat(f.stats().calls()).isEqualTo(1);
    assertThat(f.stats().fallbacks()).isZero();
  }

  @Test
  void theConfigComparesByIdentityOfItsPartsAndSurvivesToBuilder() {
    FallbackConfig<String> config =
        FallbackConfig.<String>builder().classifier(INVENTORY).exceptionFallbackValue("x").build();
    assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
    assertThatThrownBy(() -> config.toBuilder().onException(IOException.class))
        .isInstanceOf(IllegalStateException.class);
  }
}
