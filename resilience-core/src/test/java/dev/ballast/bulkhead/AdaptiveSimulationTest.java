package dev.ballast.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.IntSummaryStatistics;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adaptive limit against a {@link SimulatedDependency} in virtual time: a dependency that
 * serves {@code C = 20} calls at once in 10 ms (with 10 % jitter) and queues the rest, offered
 * twice what it can serve (4,000 calls a second, Poisson) unless a test says otherwise. Windows of
 * 100 ms, every call timed, everything else at its default; AIMD's threshold is 13 ms (1.3 times
 * the base latency). Each run is deterministic (seeded), and both algorithms must pass every test.
 *
 * <p>The band: after it settled, the limit's mean over each 5 s lies in {@code [C, 1.4 C]} and
 * every reading (one each 100 ms) in {@code [0.7 C, 1.8 C]}. The limit sits a little above {@code
 * C} by design: the gradient's tolerance (1.2) and AIMD's threshold accept a short queue, which
 * keeps the dependency busy.
 */
final class AdaptiveSimulationTest {
  private static final long MS = 1_000_000L;
  private static final int C = 20;
  private static final double SATURATING = 4_000;

  static Stream<Arguments> algorithms() {
    return Stream.of(
        Arguments.of(
            "aimd",
            AdaptiveLimit.aimd()
                .latencyThreshold(Duration.ofMillis(13))
                .window(Duration.ofMillis(100))
                .sampling(1)),
        Arguments.of(
            "gradient", AdaptiveLimit.gradient().window(Duration.ofMillis(100)).sampling(1)));
  }

  private static SimulatedDependency run(
      AdaptiveLimit.Builder limit, int capacity, double arrivalsPerSecond) {
    return new SimulatedDependency(42, capacity, 10 * MS, arrivalsPerSecond)
        .guardedBy(limit.build());
  }

  private static IntSummaryStatistics limits(SimulatedDependency sim, double from, double to) {
    return sim.readings(from, to).stream()
        .mapToInt(SimulatedDependency.Reading::limit)
        .summaryStatistics();
  }

  /** Every 5 s mean in {@code [c, 1.4 c]}, every reading in {@code [0.7 c, 1.8 c]}. */
  private static void assertInBand(SimulatedDependency sim, int c, double from, double to) {
    for (double t = from; t < to; t += 5) {
      IntSummaryStatistics s = limits(sim, t, t + 5);
      assertThat(s.getAverage())
          .as("mean limit in [%s, %s) s", t, t + 5)
          .isBetween((double) c, 1.4 * c);
      assertThat(s.getMin())
          .as("lowest limit in [%s, %s) s", t, t + 5)
          .isGreaterThanOrEqualTo((int) (0.7 * c));
      assertThat(s.getMax())
          .as("highest limit in [%s, %s) s", t, t + 5)
          .isLessThanOrEqualTo((int) (1.8 * c));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("algorithms")
  void theLimitConvergesNearTheDependencysConcurrencyAndKeepsItBusy(
      String name, AdaptiveLimit.Builder limit) {
    SimulatedDependency sim = run(limit, C, SATURATING);
    sim.runUntilSecond(60);

    assertInBand(sim, C, 10, 60);
    // C calls of 10 ms at once serve 2,000 a second: the limit wastes under 10 % of it
    assertThat(sim.admitted).isGreaterThan((long) (0.9 * 2_000 * 60));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("algorithms")
  void theLimitConvergesFromAnInitialLimitFarAbove(String name, AdaptiveLimit.Builder limit) {
    SimulatedDependency sim = run(limit.initialLimit(150), C, SATURATING);
    sim.runUntilSecond(60);

    assertThat(limits(sim, 3, 5).getMax()).isLessThanOrEqualTo((int) (1.8 * C));
    assertInBand(sim, C, 10, 60);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("algorithms")
  void theLimitBacksOffWhenTheDependencysConcurrencyHalvesAndRecoversWhenItReturns(
      String name, AdaptiveLimit.Builder limit) {
    SimulatedDependency sim = run(limit, C, SATURATING);
    sim.runUntilSecond(60);
    sim.capacity(C / 2); // latency doubles at the same limit
    sim.runUntilSecond(120);
    sim.capacity(C);
    sim.runUntilSecond(180);

    assertThat(limits(sim, 62, 65).getMax()).as("backed off within 2 s").isLessThanOrEqualTo(18);
    assertInBand(sim, C / 2, 70, 120);
    assertInBand(sim, C, 130, 180);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("algorithms")
  void theLimitDoesNotDriftUpwardWhileLatencyStaysFlat(String name, AdaptiveLimit.Builder limit) {
    SimulatedDependency sim = run(limit, C, SATURATING);
    sim.runUntilSecond(600);

    double early = limits(sim, 20, 120).getAverage();
    double late = limits(sim, 500, 600).getAverage();
    assertThat(late).as("mean limit over the last 100 s").isLessThanOrEqualTo(early * 1.05);
    assertThat(limits(sim, 20, 600).getMax()).isLessThanOrEqualTo((int) (1.8 * C));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("algorithms")
  void aLimitTheCallersDoNotUseIsNotRaisedToTheMaximum(String name, AdaptiveLimit.Builder limit) {
    // 1,000 calls a second of 10 ms: about 10 in flight, half of what the dependency serves
    SimulatedDependency sim = run(limit, C, 1_000);
    sim.runUntilSecond(300);

    IntSummaryStatistics settled = limits(sim, 20, 300);
    assertThat(settled.getMax()).as("bounded by twice the peak in flight").isLessThanOrEqualTo(60);
    assertThat(limits(sim, 200, 300).getAverage())
        .isLessThanOrEqualTo(limits(sim, 20, 120).getAverage() * 1.05);
    assertThat(sim.refused).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("algorithms")
  void aDependencyWhoseLatencyNeverRisesGetsALimitBoundedByTheDemand(
      String name, AdaptiveLimit.Builder limit) {
    // no queue at any concurrency: latency gives no signal; 4,000 a second is about 40 in flight
    SimulatedDependency sim = run(limit, 100_000, SATURATING);
    sim.runUntilSecond(300);

    IntSummaryStatistics settled = limits(sim, 20, 300);
    assertThat(settled.getMax()).isLessThan(limit.build().maxLimit()).isLessThanOrEqualTo(150);
    assertThat(limits(sim, 200, 300).getAverage())
        .isLessThanOrEqualTo(limits(sim, 20, 120).getAverage() * 1.05);
  }
}
