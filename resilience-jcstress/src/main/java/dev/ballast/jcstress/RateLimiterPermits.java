package dev.ballast.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ballast.Gate;
import dev.ballast.ratelimiter.RateLimiter;
import dev.ballast.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The rate limiter's one CAS'd value of state (a {@code long} without a warm-up, an immutable
 * object with one): two callers racing for the last permits of the bucket on a ticker that stands
 * still, so that no permit is refilled during the race and the limit is exact.
 */
public final class RateLimiterPermits {

  private RateLimiterPermits() {}

  /** A limiter of 3 permits a second on a standing ticker, {@code taken} permits already spent. */
  static RateLimiter burstOfThree(RateLimiterConfig.Mode mode, int taken) {
    RateLimiterConfig.Builder b =
        RateLimiterConfig.builder()
            .limitForPeriod(3)
            .period(Duration.ofSeconds(1))
            .mode(mode)
            .ticker(new ManualTicker());
    RateLimiter limiter = RateLimiter.of("jcstress", b.build());
    if (taken > 0) {
      long unused = limiter.tryAcquire(taken);
    }
    return limiter;
  }

  /** Two callers ask for the last permit: exactly one gets it, and the counts agree. */
  @JCStressTest
  @Outcome(
      id = {"1, 0, 3", "0, 1, 3"},
      expect = ACCEPTABLE,
      desc = "one admitted, the other refused; three permits granted")
  @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "both admitted: over the limit")
  @Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "both refused with a permit free")
  @Outcome(expect = FORBIDDEN, desc = "the granted count disagrees with who was admitted")
  @State
  public static class TwoAskForTheLast {
    private final RateLimiter limiter = burstOfThree(RateLimiterConfig.Mode.BURSTY, 2);

    @Actor
    public void first(III_Result r) {
      r.r1 = limiter.tryAcquire() == Gate.REFUSED ? 0 : 1;
    }

    @Actor
    public void second(III_Result r) {
      r.r2 = limiter.tryAcquire() == Gate.REFUSED ? 0 : 1;
    }

    @Arbiter
    public void granted(III_Result r) {
      r.r3 = (int) limiter.stats().permits();
    }
  }

  /** Two callers ask for two of the two permits left of three: exactly one gets them. */
  @JCStressTest
  @Outcome(
      id = {"1, 0, 3", "0, 1, 3"},
      expect = ACCEPTABLE,
      desc = "one admitted with two permits, the other refused")
  @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "both admitted: four of three permits")
  @Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "both refused with two permits free")
  @Outcome(expect = FORBIDDEN, desc = "the granted count disagrees with who was admitted")
  @State
  public static class TwoAskForTwoPermits {
    private final RateLimiter limiter = burstOfThree(RateLimiterConfig.Mode.BURSTY, 1);

    @Actor
    public void first(III_Result r) {
      r.r1 = limiter.tryAcquire(2) == Gate.REFUSED ? 0 : 1;
    }

    @Actor
    public void second(III_Result r) {
      r.r2 = limiter.tryAcquire(2) == Gate.REFUSED ? 0 : 1;
    }

    @Arbiter
    public void granted(III_Result r) {
      r.r3 = (int) limiter.stats().permits();
    }
  }

  /** Two callers race a cold paced limiter with a warm-up (its state an object): one goes. */
  @JCStressTest
  @Outcome(
      id = {"1, 0, 1", "0, 1, 1"},
      expect = ACCEPTABLE,
      desc = "one admitted, the other made to wait its cold interval")
  @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "both admitted: two calls in one interval")
  @Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "both refused with the first call free")
  @Outcome(expect = FORBIDDEN, desc = "the granted count disagrees with who was admitted")
  @State
  public static class TwoAskAWarmingLimiter {
    private final RateLimiter limiter =
        RateLimiter.of(
            "jcstress",
            RateLimiterConfig.builder()
                .limitForPeriod(3)
                .period(Duration.ofSeconds(1))
                .mode(RateLimiterConfig.Mode.SMOOTH)
                .warmUp(Duration.ofSeconds(1))
                .ticker(new ManualTicker())
                .build());

    @Actor
    public void first(III_Result r) {
      r.r1 = limiter.tryAcquire() == Gate.REFUSED ? 0 : 1;
    }

    @Actor
    public void second(III_Result r) {
      r.r2 = limiter.tryAcquire() == Gate.REFUSED ? 0 : 1;
    }

    @Arbiter
    public void granted(III_Result r) {
      r.r3 = (int) limiter.stats().permits();
    }
  }
}
