package dev.ballast.testkit;

import java.util.SplittableRandom;

/**
 * Which calls a {@link FaultInjector} faults, by their number from 1: every call, every N-th, or a
 * seeded random choice. Implementations are pure functions of the number, so they are thread-safe
 * and a run is reproducible whichever threads make the calls.
 */
@FunctionalInterface
interface FaultSchedule {
  /** Faults every call. */
  FaultSchedule EVERY_CALL = number -> true;

  /** The increment of {@link SplittableRandom}'s own sequence: spaces the per-call seeds apart. */
  long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  boolean faultOn(long callNumber);

  /** Faults the calls numbered {@code n}, {@code 2n}, ...; refuses {@code n < 1}. */
  static FaultSchedule everyNth(String parameter, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(parameter + " must be >= 1, was " + n);
    }
    return number -> number % n == 0;
  }

  /**
   * Faults each call with {@code probability}, as a pure function of {@code seed} and the call's
   * number; refuses a probability outside {@code [0, 1]}.
   */
  static FaultSchedule withProbability(String parameter, double probability, long seed) {
    checkProbability(parameter, probability);
    // A fresh generator per call, seeded from the call's number, keeps the choice a pure
    // function of (seed, number): no shared generator to lock, and the same calls fail
    // whichever threads make them.
    return number -> new SplittableRandom(seed + number * GOLDEN_GAMMA).nextDouble() < probability;
  }

  /** Refuses a probability outside {@code [0, 1]}, NaN included. */
  static void checkProbability(String parameter, double probability) {
    if (!(probability >= 0.0 && probability <= 1.0)) {
      throw new IllegalArgumentException(parameter + " must be in [0, 1], was " + probability);
    }
  }
}
