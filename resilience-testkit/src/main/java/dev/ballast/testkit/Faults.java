package dev.ballast.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Makes fake dependencies that misbehave on purpose: every N-th call fails, calls fail at a seeded
 * rate, every call fails, or every call is slow in virtual time.
 *
 * <p>Each fake is a {@link FaultyCallable}, a plain {@link Callable} that counts its calls and the
 * faults it injected. Nothing here needs Ballast: the fakes work with any resilience library.
 *
 * <pre>{@code
 * FaultyCallable<String> inventory =
 *     Faults.failEveryNth(3, () -> new IOException("connection reset"), () -> "42 in stock");
 * inventory.call(); // "42 in stock"
 * inventory.call(); // "42 in stock"
 * inventory.call(); // throws IOException
 * }</pre>
 *
 * <p>A fault is made by a {@code Supplier} each time it is thrown, so every failure carries its own
 * stack trace; it may supply any {@link Exception} or {@link Error}. Every factory checks its
 * arguments and names the parameter and the value it refuses. The factories are thread-safe and the
 * fakes they return are too.
 *
 * <p>For faults switched on and off at run time or for a scope, latency on the real clock, wrong
 * results, hangs, and {@code Supplier} or asynchronous calls, see {@link FaultInjector}; it picks
 * its calls by the same rules, so the same seed faults the same call numbers in both.
 */
public final class Faults {
  /** The increment of {@link SplittableRandom}'s own sequence: spaces the per-call seeds apart. */
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private Faults() {}

  /**
   * A fake whose calls number {@code n}, {@code 2n}, {@code 3n}, ... throw a fault, and whose other
   * calls return what {@code delegate} returns. With {@code n = 1} every call fails.
   *
   * @param n the period, at least 1
   * @param fault makes the exception or error to throw
   * @param delegate the real call
   * @param <T> the result type
   * @return the fake
   */
  public static <T extends @Nullable Object> FaultyCallable<T> failEveryNth(
      int n, Supplier<? extends Throwable> fault, Callable<T> delegate) {
    FaultyCallable.Schedule schedule = everyNth("n", n);
    notNull("fault", fault);
    notNull("delegate", delegate);
    return new FaultyCallable<>(
        "failEveryNth(n=" + n + ")", schedule, () -> throwFault(fault), delegate);
  }

  /**
   * A fake whose calls each throw a fault with the given probability, chosen by a {@link
   * SplittableRandom} seeded from {@code seed} and the call's number; other calls return what
   * {@code delegate} returns. The same seed picks the same call numbers every run, whatever the
   * threads; over many calls the share of faults tends to {@code probability}.
   *
   * @param probability the chance that a call fails, in {@code [0, 1]}
   * @param seed chooses which calls fail
   * @param fault makes the exception or error to throw
   * @param delegate the real call
   * @param <T> the result type
   * @return the fake
   */
  public static <T extends @Nullable Object> FaultyCallable<T> failWithProbability(
      double probability, long seed, Supplier<? extends Throwable> fault, Callable<T> delegate) {
    FaultyCallable.Schedule schedule = withProbability("probability", probability, seed);
    notNull("fault", fault);
    notNull("delegate", delegate);
    return new FaultyCallable<>(
        "failWithProbability(probability=" + probability + ", seed=" + seed + ")",
        schedule,
        () -> throwFault(fault),
        delegate);
  }

  /**
   * A fake whose every call throws a fault: a dependency that is down.
   *
   * @param fault makes the exception or error to throw
   * @param <T> the result type the fake pretends to have
   * @return the fake
   */
  public static <T extends @Nullable Object> FaultyCallable<T> alwaysFail(
      Supplier<? extends Throwable> fault) {
    notNull("fault", fault);
    return new FaultyCallable<>(
        "alwaysFail",
        number -> true,
        () -> throwFault(fault),
        () -> {
          throw new AssertionError("alwaysFail never calls through");
        });
  }

  /**
   * A fake whose every call takes {@code delay} of virtual time: it advances {@code ticker} by
   * {@code delay}, then returns what {@code delegate} returns. A component that times its calls on
   * the same ticker sees a slow call, and the test never sleeps. Each call counts as a fault.
   *
   * @param delay how long each call takes, zero or positive
   * @param ticker the virtual clock to advance
   * @param delegate the real call
   * @param <T> the result type
   * @return the fake
   */
  public static <T extends @Nullable Object> FaultyCallable<T> slow(
      Duration delay, ManualTicker ticker, Callable<T> delegate) {
    long nanos = nanos("delay", delay);
    notNull("ticker", ticker);
    notNull("delegate", delegate);
    return new FaultyCallable<>(
        "slow(delay=" + delay + ")", number -> true, () -> ticker.advanceNanos(nanos), delegate);
  }

  // The helpers below are shared with FaultInjector, so both kinds of fake choose their calls,
  // check their arguments and throw their faults the same way.

  /** Faults the calls numbered {@code n}, {@code 2n}, ...; refuses {@code n < 1}. */
  static FaultyCallable.Schedule everyNth(String parameter, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(parameter + " must be >= 1, was " + n);
    }
    return number -> number % n == 0;
  }

  /**
   * Faults each call with {@code probability}, as a pure function of {@code seed} and the call's
   * number; refuses a probability outside {@code [0, 1]}.
   */
  static FaultyCallable.Schedule withProbability(String parameter, double probability, long seed) {
    if (!(probability >= 0.0 && probability <= 1.0)) {
      throw new IllegalArgumentException(parameter + " must be in [0, 1], was " + probability);
    }
    // A fresh generator per call, seeded from the call's number, keeps the choice a pure
    // function of (seed, number): no shared generator to lock, and the same calls fail
    // whichever threads make them.
    return number -> new SplittableRandom(seed + number * GOLDEN_GAMMA).nextDouble() < probability;
  }

  /** {@code duration} in nanoseconds; refuses null, negative and too long. */
  static long nanos(String parameter, Duration duration) {
    notNull(parameter, duration);
    if (duration.isNegative()) {
      throw new IllegalArgumentException(parameter + " must not be negative, was " + duration);
    }
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          parameter + " is too long to count in nanoseconds, was " + duration, e);
    }
  }

  /** Throws what {@code fault} supplies, or IllegalStateException when it is not throwable. */
  static void throwFault(Supplier<? extends Throwable> fault) throws Exception {
    Throwable t = fault.get();
    if (t instanceof Exception e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(
        "fault must supply an Exception or an Error, supplied "
            + (t == null ? "null" : t.getClass().getName()),
        t);
  }

  static void notNull(String parameter, @Nullable Object value) {
    Objects.requireNonNull(value, () -> parameter + " must not be null, was null");
  }
}
