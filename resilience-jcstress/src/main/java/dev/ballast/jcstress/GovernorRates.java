package dev.ballast.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ballast.governor.Governor;
import dev.ballast.governor.GovernorConfig;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The governor's rate of one action kind, one CAS'd {@code long}: two engines asking at once for
 * the last action the period allows, on a ticker that stands still so that nothing is refilled
 * during the race.
 */
public final class GovernorRates {

  private GovernorRates() {}

  /** Two ask for the last of three actions a minute: exactly one is allowed, the other delayed. */
  @JCStressTest
  @Outcome(
      id = {"1, 0, 3", "0, 1, 3"},
      expect = ACCEPTABLE,
      desc = "one allowed, the other delayed; three allowed in all")
  @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "both allowed: four actions in a minute")
  @Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "both delayed with an action free")
  @Outcome(expect = FORBIDDEN, desc = "the allowed count disagrees with who was allowed")
  @State
  public static class TwoAskForTheLast {
    private final Governor governor =
        Governor.of(
            "jcstress",
            GovernorConfig.builder()
                .action("scale-up", 3, Duration.ofMinutes(1))
                .ticker(new ManualTicker())
                .build());

    public TwoAskForTheLast() {
      governor.decide("scale-up");
      governor.decide("scale-up");
    }

    @Actor
    public void first(III_Result r) {
      r.r1 = governor.decide("scale-up").allowed() ? 1 : 0;
    }

    @Actor
    public void second(III_Result r) {
      r.r2 = governor.decide("scale-up").allowed() ? 1 : 0;
    }

    @Arbiter
    public void allowed(III_Result r) {
      r.r3 = (int) governor.stats().allowed();
    }
  }
}
