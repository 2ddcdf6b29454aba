package dev.ballast;

import static dev.ballast.OutcomeClassifier.Outcome.FAILURE;
import static dev.ballast.OutcomeClassifier.Outcome.IGNORED;
import static dev.ballast.OutcomeClassifier.Outcome.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

final class OutcomeClassifierTest {

  /** A rejection as a policy of a user's own would throw it. */
  private static RejectedException rejection() {
    return new RejectedException("pool", RejectedException.Reason.OVERLOAD, null, "full", false) {
      private static final long serialVersionUID = 1L;
    };
  }

  @Test
  void byDefaultEveryThrowableIsAFailureAndEveryResultASuccess() {
    OutcomeClassifier c = OutcomeClassifier.defaults();
    assertThat(c.classifyError(new IOException())).isEqualTo(FAILURE);
    assertThat(c.classifyError(new IllegalStateException())).isEqualTo(FAILURE);
    assertThat(c.classifyError(new AssertionError())).isEqualTo(FAILURE);
    assertThat(c.classifyResult(null)).isEqualTo(SUCCESS);
    assertThat(c.classifyResult("")).isEqualTo(SUCCESS);
    assertThat(c.inspectsResults()).isFalse();
    assertThat(OutcomeClassifier.builder().build().inspectsResults()).isFalse();
  }

  @Test
  void aRejectionIsIgnoredWhateverTheRules() {
    assertThat(OutcomeClassifier.defaults().classifyError(rejection())).isEqualTo(IGNORED);
    OutcomeClassifier c = OutcomeClassifier.builder().failureWhen(t -> true).build();
    assertThat(c.classifyError(rejection())).isEqualTo(IGNORED);
  }

  @Test
  void failureOnCountsOnlyTheListedTypesAndTheOthersAsSuccesses() {
    OutcomeClassifier c = OutcomeClassifier.builder().failureOn(IOException.class).build();
    assertThat(c.classifyError(new FileNotFoundException())).isEqualTo(FAILURE); // a subtype
    assertThat(c.classifyError(new IllegalStateException())).isEqualTo(SUCCESS);
  }

  @Test
  void laterFailureRulesAddToEarlierOnes() {
    OutcomeClassifier c =
        OutcomeClassifier.builder()
            .failureOn(IOException.class)
            .failureWhen(t -> t instanceof TimeoutException)
            .build();
    assertThat(c.classifyError(new IOException())).isEqualTo(FAILURE);
    assertThat(c.classifyError(new TimeoutException())).isEqualTo(FAILURE);
    assertThat(c.classifyError(new IllegalStateException())).isEqualTo(SUCCESS);
  }

  @Test
  void ignoreRulesAddUpAndComeBeforeFailureRules() {
    OutcomeClassifier c =
        OutcomeClassifier.builder()
            .failureOn(IOException.class)
            .ignore(FileNotFoundException.class)
            .ignoreWhen(t -> "skip".equals(t.getMessage()))
            .build();
    assertThat(c.classifyError(new FileNotFoundException())).isEqualTo(IGNORED);
    assertThat(c.classifyError(new IOException("skip"))).isEqualTo(IGNORED);
    assertThat(c.classifyError(new IOException("down"))).isEqualTo(FAILURE);
    assertThat(c.classifyError(new IllegalStateException())).isEqualTo(SUCCESS);
  }

  @Test
  void resultRulesAddUpAndLeaveExceptionsAlone() {
    OutcomeClassifier c =
        OutcomeClassifier.builder()
            .failureOnResult(r -> r == null)
            .failureOnResult(r -> "".equals(r))
            .build();
    assertThat(c.inspectsResults()).isTrue();
    assertThat(c.classifyResult(null)).isEqualTo(FAILURE);
    assertThat(c.classifyResult("")).isEqualTo(FAILURE);
    assertThat(c.classifyResult("ok")).isEqualTo(SUCCESS);
    assertThat(c.classifyError(new IllegalStateException())).isEqualTo(FAILURE);
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void refusesRulesThatNameNoTypeByParameter() {
    assertThatThrownBy(() -> OutcomeClassifier.builder().failureOn())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("types");
    assertThatThrownBy(() -> OutcomeClassifier.builder().ignore(IOException.class, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("types[1]");
    assertThatThrownBy(() -> OutcomeClassifier.builder().failureWhen(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("predicate");
    assertThatThrownBy(() -> OutcomeClassifier.builder().failureOnResult(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("predicate");
  }
}
