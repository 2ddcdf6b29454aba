package dev.ballast.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ballast.faultcounter.FaultCounter;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The fault counter's one CAS on its {@code emptyAt}: racing faults are each counted once, and a
 * reset racing a fault lands wholly before or wholly after it. The ticker stands still, so nothing
 * leaks during the race and the level is the count of faults since the last reset.
 */
public final class FaultCounterCas {

  private FaultCounterCas() {}

  /** A bucket of capacity 3 holding 2 faults, on a ticker that stands still. */
  static FaultCounter twoFaultsOfThree() {
    FaultCounter counter = FaultCounter.of(3, Duration.ofSeconds(1), new ManualTicker());
    boolean unused = counter.recordFault();
    boolean unused2 = counter.recordFault();
    return counter;
  }

  /**
   * Two faults race on a bucket at level 2 of capacity 3: the level ends at 4, and exactly the
   * fault that took it from 3 to 4 reports the overflow.
   */
  @JCStressTest
  @Outcome(
      id = {"0, 1, 4", "1, 0, 4"},
      expect = ACCEPTABLE,
      desc = "both faults counted once; the second to land overflowed")
  @Outcome(
      id = {".*, .*, 3", ".*, .*, [0-2]"},
      expect = FORBIDDEN,
      desc = "a fault lost: the level is below 4")
  @Outcome(
      id = ".*, .*, [5-9]",
      expect = FORBIDDEN,
      desc = "a fault counted twice: the level is above 4")
  @Outcome(
      expect = FORBIDDEN,
      desc = "the level is right but the overflow was reported by neither or by both faults")
  @State
  public static class TwoFaults {
    private final FaultCounter counter = twoFaultsOfThree();

    @Actor
    public void first(III_Result r) {
      r.r1 = counter.recordFault() ? 1 : 0;
    }

    @Actor
    public void second(III_Result r) {
      r.r2 = counter.recordFault() ? 1 : 0;
    }

    @Arbiter
    public void level(III_Result r) {
      r.r3 = (int) counter.level();
    }
  }

  /**
   * A reset races a fault on a bucket at level 2: the level ends at 0 (the fault landed first and
   * was emptied) or 1 (the reset landed first), never 3 (the fault's CAS overwrote the reset) or
   * anything else.
   */
  @JCStressTest
  @Outcome(id = "0", expect = ACCEPTABLE, desc = "the fault, then the reset emptied the bucket")
  @Outcome(id = "1", expect = ACCEPTABLE, desc = "the reset, then the fault on an empty bucket")
  @Outcome(
      id = "3",
      expect = FORBIDDEN,
      desc = "the fault's CAS wrote over the reset: a reset lost")
  @Outcome(expect = FORBIDDEN, desc = "a level no order of the two can give")
  @State
  public static class FaultAgainstReset {
    private final FaultCounter counter = twoFaultsOfThree();

    @Actor
    public void fault() {
      boolean unused = counter.recordFault();
    }

    @Actor
    public void reset() {
      counter.reset();
    }

    @Arbiter
    public void level(I_Result r) {
      r.r1 = (int) counter.level();
    }
  }
}
