package dev.ballast.testkit;

import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Shorthands for the common {@link FaultInjector}s: every N-th call fails, calls fail at a seeded
 * rate, every call fails, or every call is slow in virtual time. Each returns an injector that is
 * already {@linkplain FaultInjector#enabled() enabled}, so it is the same thing as the builder
 * spelled out, with the same decorators, counters and scopes:
 *
 * <pre>{@code
 * FaultInjector<String> everyThird =
 *     Faults.failEveryNth(3, () -> new IOException("connection reset"));
 * Callable<String> inventory = everyThird.decorateCallable(() -> "42 in stock");
 * inventory.call(); // "42 in stock"
 * inventory.call(); // "42 in stock"
 * inventory.call(); // throws IOException
 * everyThird.faults(); // 1
 * }</pre>
 *
 * <p>A fault is made by a {@code Supplier} each time it is thrown, so every failure carries its own
 * stack trace; it may supply any {@link Exception} or {@link Error}. Every factory checks its
 * arguments and names the parameter and the value it refuses. Nothing here needs Ballast: the
 * injectors decorate plain {@code Callable}s, {@code Supplier}s and asynchronous calls, so they
 * work with any resilience library. Stateless and thread-safe; so are the injectors it returns.
 */
public final class Faults {
  private Faults() {}

  /**
   * An enabled injector whose calls number {@code n}, {@code 2n}, {@code 3n}, ... throw a fault;
   * the others go through. With {@code n = 1} every call fails. Same as {@code
   * FaultInjector.builder().period(n).exception(fault).enabled(true).build()}.
   *
   * @param n the period, at least 1
   * @param fault makes the exception or error to throw
   * @param <T> the result type of the calls it decorates
   * @return the injector, enabled
   */
  public static <T extends @Nullable Object> FaultInjector<T> failEveryNth(
      int n, Supplier<? extends Throwable> fault) {
    FaultSchedule.everyNth("n", n);
    FaultInjector.notNull("fault", fault);
    return FaultInjector.<T>builder().period(n).exception(fault).enabled(true).build();
  }

  /**
   * An enabled injector whose calls each throw a fault with the given probability, chosen by a
   * generator seeded from {@code seed} and the call's number; the others go through. The same seed
   * picks the same call numbers every run, whatever the threads; over many calls the share of
   * faults tends to {@code probability}. Same as {@code
   * FaultInjector.builder().probability(probability).seed(seed).exception(fault).enabled(true)}.
   *
   * @param probability the chance that a call fails, in {@code [0, 1]}
   * @param seed chooses which calls fail
   * @param fault makes the exception or error to throw
   * @param <T> the result type of the calls it decorates
   * @return the injector, enabled
   */
  public static <T extends @Nullable Object> FaultInjector<T> failWithProbability(
      double probability, long seed, Supplier<? extends Throwable> fault) {
    FaultInjector.notNull("fault", fault);
    return FaultInjector.<T>builder()
        .probability(probability)
        .seed(seed)
        .exception(fault)
        .enabled(true)
        .build();
  }

  /**
   * An enabled injector whose every call throws a fault: a dependency that is down. The real call
   * it decorates is never made while the injector is enabled.
   *
   * @param fault makes the exception or error to throw
   * @param <T> the result type of the calls it decorates
   * @return the injector, enabled
   */
  public static <T extends @Nullable Object> FaultInjector<T> alwaysFail(
      Supplier<? extends Throwable> fault) {
    FaultInjector.notNull("fault", fault);
    return FaultInjector.<T>builder().exception(fault).enabled(true).build();
  }

  /**
   * An enabled injector whose every call takes {@code delay} of virtual time: it advances {@code
   * ticker} by {@code delay}, then makes the real call. A component that times its calls on the
   * same ticker sees a slow call, and the test never sleeps. Each call counts as a fault.
   *
   * @param delay how long each call takes, zero or positive
   * @param ticker the virtual clock to advance
   * @param <T> the result type of the calls it decorates
   * @return the injector, enabled
   */
  public static <T extends @Nullable Object> FaultInjector<T> slow(
      Duration delay, ManualTicker ticker) {
    FaultInjector.nanos("delay", delay);
    FaultInjector.notNull("ticker", ticker);
    return FaultInjector.<T>builder().latency(delay, ticker).enabled(true).build();
  }
}
