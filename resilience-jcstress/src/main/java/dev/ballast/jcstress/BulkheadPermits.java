package dev.ballast.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ballast.Gate;
import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadConfig;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The bulkhead's permit slots (one CAS'd {@code long} per held permit, and the only count): two
 * callers racing for the last permit, two completions of one permit racing each other, a release
 * racing a caller, a waiter's timeout racing a release, and a partition borrowing the last
 * unreserved permit against a call without a partition.
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

  /**
   * How many permits can be taken now (asking {@code max + 1} times), all given back after: the
   * count a bulkhead that neither lost nor doubled a permit has free.
   */
  static int takeable(Gate gate, int max) {
    long[] held = new long[max + 1];
    int n = 0;
    for (int i = 0; i <= max; i++) {
      long p = gate.tryAcquire();
      if (p != Gate.REFUSED) {
        held[n++] = p;
      }
    }
    for (int i = 0; i < n; i++) {
      gate.release(held[i]);
    }
    return n;
  }

  /**
   * The one permit of a limit-1 bulkhead is released while another caller asks: either the caller
   * wins the freed permit or is refused, and afterwards exactly one permit is free again.
   */
  @JCStressTest
  @Outcome(
      id = {"1, 1", "0, 1"},
      expect = ACCEPTABLE,
      desc = "the caller admitted, or refused before the release; one permit free after")
  @Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "a permit lost: none free after")
  @Outcome(id = ".*, 2", expect = FORBIDDEN, desc = "a permit doubled: two free with limit 1")
  @Outcome(expect = FORBIDDEN, desc = "anything else")
  @State
  public static class ReleaseAgainstAsk {
    private final Bulkhead bulkhead =
        Bulkhead.of("jcstress", BulkheadConfig.builder().maxConcurrentCalls(1).build());
    private final long held = bulkhead.tryAcquire();
    private long got = Gate.REFUSED;

    @Actor
    public void release() {
      bulkhead.release(held);
    }

    @Actor
    public void ask(II_Result r) {
      got = bulkhead.tryAcquire();
      r.r1 = got == Gate.REFUSED ? 0 : 1;
    }

    @Arbiter
    public void free(II_Result r) {
      bulkhead.release(got);
      r.r2 = takeable(bulkhead, 1);
    }
  }

  /**
   * A waiter of a limit-1 bulkhead (wait 50 µs) times out as the permit is released: it is admitted
   * (the release handed it the permit) or refused (its wait ran out first), and in both cases
   * nobody is left waiting and exactly one permit is free afterwards (Failsafe lost permits here).
   */
  @JCStressTest
  @Outcome(
      id = {"1, 1, 0", "0, 1, 0"},
      expect = ACCEPTABLE,
      desc = "admitted, or timed out; one permit free after, nobody waiting")
  @Outcome(id = ".*, 0, .*", expect = FORBIDDEN, desc = "the permit lost to the timed-out waiter")
  @Outcome(id = ".*, 2, .*", expect = FORBIDDEN, desc = "a permit doubled: two free with limit 1")
  @Outcome(expect = FORBIDDEN, desc = "a waiter left in the waiting room")
  @State
  public static class TimeoutAgainstRelease {
    private final Bulkhead bulkhead =
        Bulkhead.of(
            "jcstress",
            BulkheadConfig.builder()
                .maxConcurrentCalls(1)
                .maxWait(Duration.ofNanos(50_000))
                .build());
    private final long held = bulkhead.tryAcquire();
    private long got = Gate.REFUSED;

    @Actor
    public void waiter(III_Result r) {
      got = bulkhead.tryAcquire();
      r.r1 = got == Gate.REFUSED ? 0 : 1;
    }

    @Actor
    public void release() {
      bulkhead.release(held);
    }

    @Arbiter
    public void free(III_Result r) {
      bulkhead.release(got);
      r.r2 = takeable(bulkhead, 1);
      r.r3 = bulkhead.stats().waiting();
    }
  }

  /**
   * A bulkhead of limit 2 with a borrowing partition of 1, the partition's own permit held: the
   * partition (borrowing) and a call without a partition race for the one unreserved permit.
   * Exactly one gets it: the global limit holds.
   */
  @JCStressTest
  @Outcome(
      id = {"1, 0, 2", "0, 1, 2"},
      expect = ACCEPTABLE,
      desc = "one admitted, the other refused; two in flight")
  @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "both admitted: 3 in flight, limit 2")
  @Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "both refused with the permit free")
  @Outcome(expect = FORBIDDEN, desc = "the in-flight count disagrees with who was admitted")
  @State
  public static class BorrowAgainstShared {
    private final Bulkhead bulkhead =
        Bulkhead.of(
            "jcstress",
            BulkheadConfig.builder().maxConcurrentCalls(2).partition("admin", 1, true).build());
    private final Gate admin = bulkhead.partition("admin");
    private final long own = admin.tryAcquire();

    @Actor
    public void borrower(III_Result r) {
      r.r1 = admin.tryAcquire() == Gate.REFUSED ? 0 : 1;
    }

    @Actor
    public void shared(III_Result r) {
      r.r2 = bulkhead.tryAcquire() == Gate.REFUSED ? 0 : 1;
    }

    @Arbiter
    public void inFlight(III_Result r) {
      r.r3 = own == Gate.REFUSED ? -1 : bulkhead.stats().inFlight();
    }
  }

  /**
   * The limit of a bulkhead of limit 3 with two permits held is lowered to 2 while a caller asks:
   * the caller may be admitted (before the change, leaving 3 in flight for a while) or refused;
   * once every permit is back, exactly 2 can be taken, and never 3.
   */
  @JCStressTest
  @Outcome(
      id = {"1, 2", "0, 2"},
      expect = ACCEPTABLE,
      desc = "admitted before the change or refused after it; the new limit of 2 after")
  @Outcome(id = ".*, 3", expect = FORBIDDEN, desc = "the old limit still admitting")
  @Outcome(expect = FORBIDDEN, desc = "a permit lost in the resize")
  @State
  public static class ShrinkAgainstAsk {
    private final Bulkhead bulkhead =
        Bulkhead.of("jcstress", BulkheadConfig.builder().maxConcurrentCalls(3).build());
    private final long a = bulkhead.tryAcquire();
    private final long b = bulkhead.tryAcquire();
    private long got = Gate.REFUSED;

    @Actor
    public void shrink() {
      bulkhead.changeMaxConcurrentCalls(2);
    }

    @Actor
    public void ask(II_Result r) {
      got = bulkhead.tryAcquire();
      r.r1 = got == Gate.REFUSED ? 0 : 1;
    }

    @Arbiter
    public void free(II_Result r) {
      bulkhead.release(a);
      bulkhead.release(b);
      bulkhead.release(got);
      r.r2 = takeable(bulkhead, 3);
    }
  }
}
