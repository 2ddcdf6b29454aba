package dev.ballast.testkit;

import java.io.IOException;
import java.util.BitSet;
import java.util.concurrent.Callable;

/** Helpers shared by the tests of the fault injectors. */
final class FaultFixtures {
  private FaultFixtures() {}

  /** The fault the tests inject: a fresh one each time. */
  static IOException reset() {
    return new IOException("connection reset");
  }

  /** The call's result, or the simple name of what it threw. */
  static String outcome(Callable<String> call) {
    try {
      return call.call();
    } catch (Exception e) {
      return e.getClass().getSimpleName();
    }
  }

  /** What the call throws; fails the test when it returns. */
  static Throwable catchFault(Callable<?> call) {
    try {
      call.call();
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("expected a fault");
  }

  /** Makes {@code calls} calls and sets bit i when call i + 1 threw {@link IOException}. */
  static BitSet faultPattern(Callable<String> call, int calls) {
    BitSet faults = new BitSet(calls);
    for (int i = 0; i < calls; i++) {
      if (outcome(call).equals("IOException")) {
        faults.set(i);
      }
    }
    return faults;
  }

  /** A null for a parameter the type system says is non-null. */
  @SuppressWarnings({"NullAway", "TypeParameterUnusedInFormals"}) // passes null on purpose
  static <T> T nullValue() {
    return null;
  }
}
