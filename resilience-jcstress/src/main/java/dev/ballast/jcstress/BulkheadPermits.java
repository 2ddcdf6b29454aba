package dev.ballast.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ballast.Gate;
import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadConfig;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The bulkhead's permit count and its permit slots (one CAS'd {@code long} per held permit): two
 * callers racing for the last permit, and two completions of one permit racing each other.
 */
public final class BulkheadPermits {

  private BulkheadPermits() {}

  /** A bulkhead of limit 2 that never waits, one permit already held. */
  static Bulkhead oneOfTwoHeld() {
    Bulkhead bulkhead =
        Bulkhead.of("jcstress", BulkheadConfig.builder().maxConcurrentCalls(2).build());
    long unused = bulkhead.tryAcquire();
    return bulkhead;
  }

  /** Two callers ask for the last permit: exactly one gets it, and the count agrees. */
  @JCStressTest
  @Outcome(
      id = {"1, 0, 2", "0, 1, 2"},
      expect = ACCEPTABLE,
      desc = "one caller admitted, the other refused; two permits in flight")
  @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "both admitted: over the limit")
  @Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "both refused with a permit free")
  @Outcome(expect = FORBIDDEN, desc = "the in-flight count disagrees with who was admitted")
  @State
  public static class TwoAskForTheLast {
    private final Bulkhead bulkhead = oneOfTwoHeld();

    @Actor
    public void first(III_Result r) {
      r.r1 = bulkhead.tryAcquire() == Gate.REFUSED ? 0 : 1;
    }

    @Actor
    public void second(III_Result r) {
      r.r2 = bulkhead.tryAcquire() == Gate.REFUSED ? 0 : 1;
    }

    @Arbiter
    public void inFlight(III_Result r) {
      r.r3 = bulkhead.stats().inFlight();
    }
  }

  /** One permit released twice at once: it is released once, the other permit stays held. */
  @JCStressTest
  @Outcome(id = "1", expect = ACCEPTABLE, desc = "released once: the other permit still held")
  @Outcome(id = "0", expect = FORBIDDEN, desc = "released twice: a permit not returned was freed")
  @Outcome(expect = FORBIDDEN, desc = "neither completion released it")
  @State
  public static class ReleaseTwice {
    private final Bulkhead bulkhead = oneOfTwoHeld();
    private final long permit = bulkhead.tryAcquire();

    @Actor
    public void first() {
      bulkhead.release(permit);
    }

    @Actor
    public void second() {
      bulkhead.release(permit);
    }

    @Arbiter
    public void inFlight(I_Result r) {
      r.r1 = bulkhead.stats().inFlight();
    }
  }
}
