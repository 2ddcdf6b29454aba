package dev.ballast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each check accepts its bounds and refuses what lies just beyond them, naming both. */
final class PreconditionsTest {

  @Test
  void atMostAcceptsTheLimitItselfAndRefusesAnythingLonger() {
    Duration max = Duration.ofSeconds(1);
    assertThat(Preconditions.atMost("tick", max, max)).isSameAs(max);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Preconditions.atMost("tick", max.plusNanos(1), max))
        .withMessage("tick must be <= PT1S, was PT1.000000001S");
  }

  @Test
  void positiveAcceptsOneAndTheShortestDuration() {
    assertThat(Preconditions.positive("n", 1)).isEqualTo(1);
    assertThat(Preconditions.positive("d", Duration.ofNanos(1))).isEqualTo(Duration.ofNanos(1));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Preconditions.positive("n", 0))
        .withMessage("n must be >= 1, was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Preconditions.positive("d", Duration.ZERO))
        .withMessage("d must be > 0, was PT0S");
  }

  @Test
  void fractionAndAtLeastAcceptTheirBounds() {
    assertThat(Preconditions.fraction("rate", 1.0)).isEqualTo(1.0);
    assertThat(Preconditions.atLeast("ratio", 0.5, 0.5)).isEqualTo(0.5);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Preconditions.fraction("rate", 0.0))
        .withMessage("rate must be in (0, 1], was 0.0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Preconditions.atLeast("ratio", Double.POSITIVE_INFINITY, 0.5))
        .withMessage("ratio must be a finite number >= 0.5, was Infinity");
  }
}
