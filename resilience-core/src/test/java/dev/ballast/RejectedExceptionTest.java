package dev.ballast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The constructor every refusal's subclass goes through validates like every builder. */
@SuppressWarnings("NullAway") // passes null on purpose
final class RejectedExceptionTest {

  /** A refusal as a pattern outside core would define one. */
  static final class Refusal extends RejectedException {
    private static final long serialVersionUID = 1L;

    Refusal(String component, Reason reason, @Nullable Duration retryAfter, String message) {
      super(component, reason, retryAfter, message, false);
    }

    Refusal(String component, Throwable cause) {
      super(component, Reason.OVERLOAD, null, component + " refused", cause, false);
    }
  }

  @Test
  void keepsWhatItWasGiven() {
    Refusal r =
        new Refusal("pool", RejectedException.Reason.OVERLOAD, Duration.ofMillis(250), "full");
    assertThat(r.component()).isEqualTo("pool");
    assertThat(r.reason()).isEqualTo(RejectedException.Reason.OVERLOAD);
    assertThat(r.retryAfter()).contains(Duration.ofMillis(250));
    assertThat(r).hasMessage("full").hasNoCause();
    assertThat(r.getStackTrace()).isEmpty();
    assertThat(new Refusal("pool", RejectedException.Reason.OVERLOAD, null, "full").retryAfter())
        .isEmpty();
    assertThat(
            new Refusal("pool", RejectedException.Reason.OVERLOAD, Duration.ZERO, "now")
                .retryAfter())
        .contains(Duration.ZERO);
  }

  @Test
  void refusesNullsNamingTheParameter() {
    assertThatThrownBy(() -> new Refusal(null, RejectedException.Reason.OVERLOAD, null, "m"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("component must not be null");
    assertThatThrownBy(() -> new Refusal("c", null, null, "m"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("reason must not be null");
    assertThatThrownBy(() -> new Refusal("c", RejectedException.Reason.OVERLOAD, null, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("message must not be null");
  }

  @Test
  void refusesABlankComponent() {
    assertThatThrownBy(() -> new Refusal(" ", RejectedException.Reason.OVERLOAD, null, "m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("component must not be blank, was ' '");
  }

  @Test
  void refusesANegativeRetryAfterInsteadOfTreatingItAsUnknown() {
    assertThatThrownBy(
            () ->
                new Refusal(
                    "c", RejectedException.Reason.DEPENDENCY_FAILURE, Duration.ofSeconds(-1), "m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retryAfter must be >= 0, was PT-1S");
  }

  @Test
  void aRetryAfterTooLongForNanosecondsSaturatesInsteadOfOverflowing() {
    Duration saturated = Duration.ofNanos(Long.MAX_VALUE);
    assertThat(
            new Refusal(
                    "c", RejectedException.Reason.DEPENDENCY_FAILURE, Duration.ofDays(200_000), "m")
                .retryAfter())
        .contains(saturated);
    assertThat(
            new Refusal(
                    "c",
                    RejectedException.Reason.DEPENDENCY_FAILURE,
                    ChronoUnit.FOREVER.getDuration(),
                    "m")
                .retryAfter())
        .contains(saturated);
    assertThat(
            new Refusal("c", RejectedException.Reason.DEPENDENCY_FAILURE, saturated, "m")
                .retryAfter())
        .contains(saturated);
  }

  @Test
  void recordsNoSuppressedExceptionsSoASharedInstanceNeverGrows() {
    Refusal shared = new Refusal("c", RejectedException.Reason.OVERLOAD, null, "m");
    for (int i = 0; i < 100; i++) {
      shared.addSuppressed(new IllegalStateException());
    }
    assertThat(shared.getSuppressed()).isEmpty();
  }

  @Test
  void carriesACauseWhenGivenOne() {
    IllegalStateException cause = new IllegalStateException("pool shut down");
    assertThat(new Refusal("c", cause)).hasCause(cause).hasMessage("c refused");
    assertThat(new Refusal("c", (Throwable) null)).hasNoCause();
  }
}
