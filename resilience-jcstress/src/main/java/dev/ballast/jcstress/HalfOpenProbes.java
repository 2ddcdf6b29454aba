package dev.ballast.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ballast.Gate;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.circuitbreaker.CircuitBreakerStats;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A half-open circuit breaker's probe permits, granted and completed through {@link Gate}'s permit
 * protocol by racing threads: exactly {@code halfOpenProbes} are granted, a probe's slot is given
 * back once, and a second completion of one probe permit is ignored (neither counted nor given
 * back).
 *
 * <p>Each state builds its breaker HALF_OPEN without waiting: a consecutive-failures rule of one
 * opens it on a failure, a manual ticker passes the wait, and the request that moves it to
 * HALF_OPEN takes the first probe, which the state keeps ({@code held}) or gives back.
 *
 * <p>The arbiters of the completion races read the period's figures as {@code state, granted,
 * successes}: the state as a number (0 HALF_OPEN, 1 CLOSED, 2 anything else), then the probes
 * granted and not given back, and the probe successes counted, both from {@link
 * CircuitBreaker#stats()} in HALF_OPEN.
 */
public final class HalfOpenProbes {

  private HalfOpenProbes() {}

  /** A breaker moved to HALF_OPEN, holding its first probe. */
  static final class HalfOpen {
    final CircuitBreaker breaker;
    final long held;

    HalfOpen(int probes, int successes) {
      ManualTicker ticker = new ManualTicker();
      breaker =
          CircuitBreaker.of(
              "jcstress",
              CircuitBreakerConfig.builder()
                  .consecutiveFailures(1)
                  .waitInOpen(Duration.ofSeconds(1))
                  .halfOpenProbes(probes)
                  .halfOpenSuccesses(successes)
                  .ticker(ticker)
                  .build());
      breaker.onError(breaker.acquire(), new IllegalStateException("opens the breaker"));
      ticker.advance(Duration.ofSeconds(1).toNanos());
      held = breaker.acquire();
      if (breaker.state() != CircuitBreakerState.HALF_OPEN) {
        throw new AssertionError("expected HALF_OPEN, was " + breaker.state());
      }
    }

    /** The probes the period granted and has not had given back. */
    int grantedProbes() {
      return (int) breaker.stats().windowCalls(); // in HALF_OPEN: probes let through
    }

    /** Writes {@code state, granted, successes} (class javadoc) to r1, r2, r3. */
    void figures(III_Result r) {
      CircuitBreakerStats stats = breaker.stats();
      CircuitBreakerState state = stats.state();
      r.r1 =
          state == CircuitBreakerState.HALF_OPEN ? 0 : state == CircuitBreakerState.CLOSED ? 1 : 2;
      r.r2 = (int) stats.windowCalls(); // in HALF_OPEN: probes granted, not given back
      r.r3 = (int) stats.windowSuccesses(); // in HALF_OPEN: probe successes
    }
  }

  /** 1 for a permit, 0 for a refusal. */
  static int granted(long permit) {
    return permit == Gate.REFUSED ? 0 : 1;
  }

  /**
   * Two threads ask for the last free probe of a period of two (the state holds the other): exactly
   * one gets it, and the period counts both probes granted. jcstress runs as many actors as the
   * machine has cores, so the race is two threads for the last probe rather than three for two.
   */
  @JCStressTest
  @Outcome(
      id = {"1, 0, 2", "0, 1, 2"},
      expect = ACCEPTABLE,
      desc = "exactly one of the two got the last probe; two granted")
  @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "both granted: one probe over the limit")
  @Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "both refused while a probe was free")
  @Outcome(expect = FORBIDDEN, desc = "the period's count of granted probes is wrong")
  @State
  public static class TwoAskForTheLast {
    private final HalfOpen h = new HalfOpen(2, 2);

    @Actor
    public void first(III_Result r) {
      r.r1 = granted(h.breaker.tryAcquire());
    }

    @Actor
    public void second(III_Result r) {
      r.r2 = granted(h.breaker.tryAcquire());
    }

    @Arbiter
    public void period(III_Result r) {
      r.r3 = h.grantedProbes();
    }
  }

  /**
   * The one probe is given back while another thread asks for it: the asker gets it exactly when
   * the give-back came first, and the period counts it as granted exactly when the asker got it.
   * Reads {@code asker granted, probes granted}.
   */
  @JCStressTest
  @Outcome(
      id = "1, 1",
      expect = ACCEPTABLE,
      desc = "given back, then asked: the asker got it; one granted")
  @Outcome(
      id = "0, 0",
      expect = ACCEPTABLE,
      desc = "asked, then given back: refused; the probe is free")
  @Outcome(
      id = "1, 0",
      expect = FORBIDDEN,
      desc = "the asker holds a probe the period does not count: the give-back freed its slot")
  @Outcome(
      id = "0, 1",
      expect = FORBIDDEN,
      desc = "refused, yet the probe is not free: the give-back was lost")
  @Outcome(expect = FORBIDDEN, desc = "the period's count of granted probes is wrong")
  @State
  public static class GiveBackWhileAsked {
    private final HalfOpen h = new HalfOpen(1, 1);

    @Actor
    public void giveBack() {
      h.breaker.release(h.held);
    }

    @Actor
    public void ask(II_Result r) {
      r.r1 = granted(h.breaker.tryAcquire());
    }

    @Arbiter
    public void period(II_Result r) {
      r.r2 = h.grantedProbes();
    }
  }

  /**
   * One probe permit completed with a success by two threads at once, in a period that closes on
   * its second success: the success is counted once and the breaker stays HALF_OPEN.
   */
  @JCStressTest
  @Outcome(
      id = "0, 1, 1",
      expect = ACCEPTABLE,
      desc = "HALF_OPEN, the probe granted, one success: the second completion ignored")
  @Outcome(
      id = "1, .*",
      expect = FORBIDDEN,
      desc = "CLOSED: one probe's success counted twice closed the breaker")
  @Outcome(expect = FORBIDDEN, desc = "the period's figures are wrong")
  @State
  public static class SuccessTwice {
    private final HalfOpen h = new HalfOpen(2, 2);

    @Actor
    public void first() {
      h.breaker.onResult(h.held, null);
    }

    @Actor
    public void second() {
      h.breaker.onResult(h.held, null);
    }

    @Arbiter
    public void figures(III_Result r) {
      h.figures(r);
    }
  }

  /** One probe permit given back by two threads at once: its slot comes back once. */
  @JCStressTest
  @Outcome(
      id = "0, 0, 0",
      expect = ACCEPTABLE,
      desc = "HALF_OPEN, no probe out: the second give-back ignored")
  @Outcome(
      id = "0, -1, 0",
      expect = FORBIDDEN,
      desc = "the probe given back twice: the period would grant one over its limit")
  @Outcome(expect = FORBIDDEN, desc = "the period's figures are wrong")
  @State
  public static class GiveBackTwice {
    private final HalfOpen h = new HalfOpen(2, 2);

    @Actor
    public void first() {
      h.breaker.release(h.held);
    }

    @Actor
    public void second() {
      h.breaker.release(h.held);
    }

    @Arbiter
    public void figures(III_Result r) {
      h.figures(r);
    }
  }

  /**
   * One probe permit completed with a success and given back at once: exactly one of the two takes
   * effect.
   */
  @JCStressTest
  @Outcome(
      id = "0, 1, 1",
      expect = ACCEPTABLE,
      desc = "the success won: counted, the probe stays granted")
  @Outcome(
      id = "0, 0, 0",
      expect = ACCEPTABLE,
      desc = "the give-back won: the probe is free, no success")
  @Outcome(
      id = "0, 0, 1",
      expect = FORBIDDEN,
      desc = "both took effect: the success counted and the probe given back")
  @Outcome(expect = FORBIDDEN, desc = "the period's figures are wrong")
  @State
  public static class SuccessAgainstGiveBack {
    private final HalfOpen h = new HalfOpen(2, 2);

    @Actor
    public void success() {
      h.breaker.onResult(h.held, null);
    }

    @Actor
    public void giveBack() {
      h.breaker.release(h.held);
    }

    @Arbiter
    public void figures(III_Result r) {
      h.figures(r);
    }
  }
}
