package dev.ballast.governor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.ballast.TestTicker;
import dev.ballast.governor.Decision.Reason;
import dev.ballast.governor.Decision.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

final class GovernorTest {
  final TestTicker ticker = new TestTicker();

  Governor governor(GovernorConfig.Builder b) {
    return Governor.of("g", b.ticker(ticker).build());
  }

  @Test
  void scalingUpIsFreeAndScalingDownIsSlowEachDirectionWithItsOwnRate() {
    Governor g = Governor.of("g", GovernorConfig.builder().ticker(ticker).build());

    for (int i = 0; i < 20; i++) {
      assertThat(g.decide("scale-up")).isSameAs(Decision.ALLOW);
    }
    assertThat(g.decide("scale-up").verdict()).isEqualTo(Verdict.DELAY);
    assertThat(g.decide("scale-down")).isSameAs(Decision.ALLOW);
    assertThat(g.decide("scale-down")).isSameAs(Decision.ALLOW);

    Decision third = g.decide("scale-down");
    assertThat(third.verdict()).isEqualTo(Verdict.DELAY);
    assertThat(third.reason()).isEqualTo(Reason.RATE);
    assertThat(third.action()).isEqualTo("scale-down");
    assertThat(third.untilNanos() - ticker.read()).isEqualTo(Duration.ofMinutes(5).toNanos());

    ticker.advance(Duration.ofMinutes(5).minusNanos(1));
    assertThat(g.decide("scale-down").verdict()).isEqualTo(Verdict.DELAY);
    ticker.advanceNanos(1);
    assertThat(g.decide("scale-down")).isSameAs(Decision.ALLOW);
    ticker.advance(Duration.ofSeconds(3));
    assertThat(g.decide("scale-up"))
        .as("one scale-up per 3 s after the burst")
        .isSameAs(Decision.ALLOW);
    assertThat(g.stats().allowed()).isEqualTo(24);
    assertThat(g.stats().delays()).isEqualTo(3);
  }

  @Test
  void resistanceGrowsWithTheDistanceFromTheBandOnBothSidesTheUShapedCurve() {
    GovernorConfig.Builder b =
        GovernorConfig.builder()
            .action("resize", 10, Duration.ofMinutes(10))
            .band(10, 20)
            .resistance(4)
            .confirmBeyond(1)
            .refuseBeyond(2);
    // how many actions fit in one period for each resulting state
    int inside = allowedInOnePeriod(governor(b), 15);
    int nearBelow = allowedInOnePeriod(governor(b), 9.5); // 0.05 widths out: cost 1.2
    int farBelow = allowedInOnePeriod(governor(b), 5); // 0.5 widths: cost 3
    int farAbove = allowedInOnePeriod(governor(b), 25); // 0.5 widths: cost 3
    int edge = allowedInOnePeriod(governor(b), 30); // 1 width: cost 5

    assertThat(inside).isEqualTo(10);
    assertThat(nearBelow).isEqualTo(8);
    assertThat(farBelow).isEqualTo(3);
    assertThat(farAbove).isEqualTo(farBelow);
    assertThat(edge).isEqualTo(2);

    Governor g = governor(b);
    g.decide("resize", 5);
    g.decide("resize", 5);
    g.decide("resize", 5);
    assertThat(g.decide("resize", 5).reason()).isEqualTo(Reason.RESISTANCE);
    assertThat(g.decide("resize", 35).verdict()).isEqualTo(Verdict.CONFIRM);
    assertThat(g.decide("resize", 35).reason()).isEqualTo(Reason.FAR_FROM_BAND);
    Decision refused = g.decide("resize", 41);
    assertThat(refused.verdict()).isEqualTo(Verdict.REFUSE);
    assertThat(refused.reason()).isEqualTo(Reason.BEYOND_LIMIT);
    assertThat(refused.detail()).contains("41.0", "[10.0, 20.0]");
  }

  private int allowedInOnePeriod(Governor g, double state) {
    int n = 0;
    while (g.decide("resize", state).allowed()) {
      n++;
    }
    return n;
  }

  @Test
  void aDivergentObservationRequiresAConfirmationThatIsUsedOnce() {
    Governor g = governor(GovernorConfig.builder().divergenceLimit(0.2));
    List<String> heard = new ArrayList<>();
    g.addListener(
        new GovernorListener() {
          @Override
          public void onConfirmationRequired(Decision d) {
            heard.add("required " + d.action());
          }

          @Override
          public void onConfirmed(ConfirmationToken t) {
            heard.add("confirmed by " + t.confirmedBy());
          }

          @Override
          public void onDivergence(double share) {
            heard.add("divergence " + share);
          }
        });

    g.observe(100, 85);
    assertThat(g.decide("scale-down")).isSameAs(Decision.ALLOW);
    g.observe(100, 50);
    Decision d = g.decide("scale-down", 49);
    assertThat(d.verdict()).isEqualTo(Verdict.CONFIRM);
    assertThat(d.reason()).isEqualTo(Reason.DIVERGENCE);
    ConfirmationToken token = Objects.requireNonNull(d.token());
    assertThat(token).isNotNull();
    assertThat(token.id()).hasSize(32);
    assertThat(g.decide("scale-down").token()).as("one pending token per kind").isSameAs(token);
    assertThatIllegalStateException()
        .isThrownBy(() -> g.decide("scale-down", 49, token))
        .withMessageContaining("not confirmed yet");

    assertThat(g.confirm(token.id(), "alice")).isSameAs(token);
    assertThatIllegalStateException()
        .isThrownBy(() -> g.confirm(token, "bob"))
        .withMessageContaining("already confirmed by alice");
    assertThat(g.decide("scale-down", 49, token)).isSameAs(Decision.ALLOW);
    assertThatIllegalStateException()
        .isThrownBy(() -> g.decide("scale-down", 49, token))
        .withMessageContaining(token.id())
        .withMessageContaining("already used");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> g.confirm(token.id(), "mallory"))
        .withMessageContaining("tokenId")
        .withMessageContaining(token.id());

    ConfirmationToken next = Objects.requireNonNull(g.decide("scale-down").token());
    assertThat(next).as("a fresh token once the last is used").isNotNull().isNotSameAs(token);
    assertThat(heard)
        .containsExactly(
            "divergence 0.5", "required scale-down", "confirmed by alice", "required scale-down");
    assertThat(g.stats().confirmations()).isEqualTo(1);
    assertThat(g.stats().confirmationRequests()).isEqualTo(3);

    g.observe(100, 95);
    assertThat(g.decide("scale-down").reason())
        .as("agreeing again: only the rate")
        .isEqualTo(Reason.RATE);
  }

  @Test
  void aForgedOrForeignTokenIsRefusedNamingIt() {
    Governor g = governor(GovernorConfig.builder().divergenceLimit(0));
    Governor other = governor(GovernorConfig.builder().divergenceLimit(0));
    other.observe(10, 9);
    ConfirmationToken foreign = Objects.requireNonNull(other.decide("scale-up").token());
    assertThat(foreign).isNotNull();
    other.confirm(foreign, "alice");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> g.decide("scale-up", 5, foreign))
        .withMessageContaining(foreign.id())
        .withMessageContaining("not issued by governor 'g'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> g.confirm(foreign, "alice"))
        .withMessageContaining("not issued");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> g.confirm("00000000000000000000000000000000", "eve"))
        .withMessageContaining("'00000000000000000000000000000000'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> other.decide("scale-down", 5, foreign))
        .withMessageContaining("confirms action 'scale-up', not 'scale-down'");
  }

  @Test
  void pauseRefusesEveryActionUntilResume() {
    Governor g = governor(GovernorConfig.builder());
    g.pause("incident 42");
    Decision d = g.decide("scale-up");
    assertThat(d.verdict()).isEqualTo(Verdict.REFUSE);
    assertThat(d.reason()).isEqualTo(Reason.PAUSED);
    assertThat(d.detail()).contains("incident 42");
    assertThat(g.stats().paused()).isTrue();
    assertThat(g.stats().rejections()).isEqualTo(1);

    g.resume();
    g.resume();
    assertThat(g.decide("scale-up")).isSameAs(Decision.ALLOW);
    assertThat(g.stats().paused()).isFalse();
  }

  @Test
  void aConfirmedTokenStillMeetsThePauseAndTheHardLimitAndIsKeptForLater() {
    Governor g = governor(GovernorConfig.builder().band(10, 20).divergenceLimit(0.1));
    g.observe(10, 5);
    ConfirmationToken token = Objects.requireNonNull(g.decide("scale-down", 9).token());
    assertThat(token).isNotNull();
    g.confirm(token, "alice");

    g.pause("change freeze");
    assertThat(g.decide("scale-down", 9, token).reason()).isEqualTo(Reason.PAUSED);
    g.resume();
    assertThat(g.decide("scale-down", -1, token).reason())
        .as("11 below the band, over a band width: refused whoever confirmed")
        .isEqualTo(Reason.BEYOND_LIMIT);
    assertThat(g.decide("scale-down", 9, token)).isSameAs(Decision.ALLOW);
    assertThat(token.confirmedBy()).as("used").isNull();
  }

  @Test
  void anActionCostingMoreThanAPeriodWaitsForEveryPermitInsteadOfForever() {
    Governor g =
        governor(
            GovernorConfig.builder()
                .action("resize", 2, Duration.ofMinutes(10))
                .band(10, 20)
                .resistance(10)
                .confirmBeyond(1)
                .refuseBeyond(1)); // 0.9 widths out: cost 10, five periods' worth
    assertThat(g.decide("resize", 1)).isSameAs(Decision.ALLOW);
    Decision next = g.decide("resize", 1);
    assertThat(next.reason()).isEqualTo(Reason.RESISTANCE);
    ticker.advanceNanos(next.untilNanos() - ticker.read());
    assertThat(g.decide("resize", 1)).isSameAs(Decision.ALLOW);
  }

  @Test
  void badInputIsRefusedNamingTheOptionAndTheValue() {
    GovernorConfig.Builder b = GovernorConfig.builder();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.action("scale-down", -2, Duration.ofMinutes(1)))
        .withMessage("permits of action 'scale-down' must be >= 1, was -2");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.action("x", 1, Duration.ofSeconds(-1)))
        .withMessageContaining("period")
        .withMessageContaining("-1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.band(20, 10))
        .withMessage("band must have min <= max, was [20.0, 10.0]");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.resistance(-1))
        .withMessage("resistance must be finite and >= 0, was -1.0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.confirmBeyond(2).refuseBeyond(1).build())
        .withMessage("confirmBeyond must be <= refuseBeyond (1.0), was 2.0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> GovernorConfig.builder().withoutAction("reboot"))
        .withMessageContaining("'reboot'");

    Governor g = Governor.ofDefaults("g");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> g.decide("reboot"))
        .withMessage(
            "action must be a kind the config knows, was 'reboot'; known: [scale-down, scale-up]");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> g.decide("scale-up", Double.NaN))
        .withMessageContaining("NaN");
    assertThat(g.stats().decisions()).as("misuse is not a decision").isZero();
  }

  @Test
  void theConfigRoundTripsThroughItsBuilder() {
    GovernorConfig c =
        GovernorConfig.builder().band(1, 2).action("x", 3, Duration.ofSeconds(4)).build();
    assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
    assertThat(GovernorConfig.defaults().actions())
        .containsEntry("scale-up", new GovernorConfig.Rate(20, Duration.ofMinutes(1)))
        .containsEntry("scale-down", new GovernorConfig.Rate(2, Duration.ofMinutes(10)));
    assertThat(c.toString()).contains("band=[1.0, 2.0]");
  }
}
