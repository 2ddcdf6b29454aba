package dev.ballast.registry;

import static dev.ballast.registry.Values.bool;
import static dev.ballast.registry.Values.constant;
import static dev.ballast.registry.Values.decimal;
import static dev.ballast.registry.Values.duration;
import static dev.ballast.registry.Values.integer;
import static dev.ballast.registry.Values.parts;

import dev.ballast.bulkhead.BulkheadConfig;
import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkheadConfig;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.governor.GovernorConfig;
import dev.ballast.queue.BoundedQueueConfig;
import dev.ballast.queue.Overflow;
import dev.ballast.ratelimiter.RateLimiterConfig;
import dev.ballast.shed.AdaptiveThrottleConfig;
import dev.ballast.shed.LoadShedderConfig;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one table of property keys: for every pattern, one {@link Option} per builder option that
 * text can express, and the options that only code can give ({@link #codeOnly}) with the reason.
 * Patterns know nothing of it; {@code KeyTableTest} walks every public builder method by reflection
 * and fails when one is in neither list, and {@code docs/operating.md}'s table is checked against
 * it. Stateless.
 */
final class KeyTable {
  private static final String TICKER = "a time source object (Ticker)";
  private static final String SCHEDULER = "a scheduler object (Scheduler)";
  private static final String CLASSIFIER = "a function of the outcome (OutcomeClassifier)";
  private static final String RANDOM = "a random generator object (RandomGenerator)";
  private static final String EXECUTOR = "an executor object (Executor)";

  private static final Map<ComponentType<?, ?>, List<Option>> OPTIONS = new LinkedHashMap<>();
  private static final Map<ComponentType<?, ?>, Map<String, String>> CODE_ONLY =
      new LinkedHashMap<>();

  static {
    Class<CircuitBreakerConfig.Builder> cb = CircuitBreakerConfig.Builder.class;
    OPTIONS.put(
        ComponentType.CIRCUIT_BREAKER,
        List.of(
            Option.of(cb, "countWindow", "calls", (b, n, v) -> b.countWindow(integer(v))),
            Option.of(cb, "timeWindow", "duration", (b, n, v) -> b.timeWindow(duration(v))),
            Option.of(
                cb,
                "consecutiveFailures",
                "failures",
                (b, n, v) -> b.consecutiveFailures(integer(v))),
            Option.of(
                cb,
                "leakyBucket",
                "capacity, leak interval",
                (b, n, v) -> {
                  List<String> p = parts(v, 2, 2, "capacity, leak interval");
                  b.leakyBucket(integer(p.get(0)), duration(p.get(1)));
                }),
            Option.of(
                cb,
                "failureRateThreshold",
                "fraction in (0, 1]",
                (b, n, v) -> b.failureRateThreshold(decimal(v))),
            Option.of(cb, "minimumCalls", "calls", (b, n, v) -> b.minimumCalls(integer(v))),
            Option.of(
                cb, "slowCallDuration", "duration", (b, n, v) -> b.slowCallDuration(duration(v))),
            Option.of(
                cb,
                "slowCallRateThreshold",
                "fraction in (0, 1]",
                (b, n, v) -> b.slowCallRateThreshold(decimal(v))),
            Option.of(cb, "waitInOpen", "duration", (b, n, v) -> b.waitInOpen(duration(v))),
            Option.of(
                cb,
                "waitGrowth",
                "multiplier, max wait",
                (b, n, v) -> {
                  List<String> p = parts(v, 2, 2, "multiplier, max wait");
                  b.waitGrowth(decimal(p.get(0)), duration(p.get(1)));
                }),
            Option.of(cb, "halfOpenProbes", "probes", (b, n, v) -> b.halfOpenProbes(integer(v))),
            Option.of(
                cb, "halfOpenSuccesses", "successes", (b, n, v) -> b.halfOpenSuccesses(integer(v))),
            Option.of(cb, "probeLease", "duration", (b, n, v) -> b.probeLease(duration(v))),
            Option.of(
                cb, "hintAtLeastOwnWait", "true|false", (b, n, v) -> b.hintAtLeastOwnWait(bool(v))),
            Option.of(cb, "stackTraces", "true|false", (b, n, v) -> b.stackTraces(bool(v)))));
    CODE_ONLY.put(
        ComponentType.CIRCUIT_BREAKER,
        codeOnly(
            "classifier", CLASSIFIER,
            "backOffHint", "a function of the outcome (BackOffHint)",
            "openAtOnceOn", "a predicate of the exception",
            "ticker", TICKER,
            "scheduler", SCHEDULER));

    Class<BulkheadConfig.Builder> bh = BulkheadConfig.Builder.class;
    OPTIONS.put(
        ComponentType.BULKHEAD,
        List.of(
            Option.of(
                bh, "maxConcurrentCalls", "calls", (b, n, v) -> b.maxConcurrentCalls(integer(v))),
            Option.of(bh, "maxWait", "duration", (b, n, v) -> b.maxWait(duration(v))),
            Option.of(bh, "maxWaiters", "waiters", (b, n, v) -> b.maxWaiters(integer(v))),
            Option.named(
                bh,
                "partition",
                "reserved[, borrowing true|false]",
                (b, n, v) -> {
                  List<String> p = parts(v, 1, 2, "reserved[, borrowing true|false]");
                  if (p.size() == 1) {
                    b.partition(sub(n), integer(p.get(0)));
                  } else {
                    b.partition(sub(n), integer(p.get(0)), bool(p.get(1)));
                  }
                })));
    CODE_ONLY.put(
        ComponentType.BULKHEAD,
        codeOnly(
            "adaptiveLimit",
            "an algorithm object built by AdaptiveLimit.aimd() or gradient(), with its own options",
            "ticker",
            TICKER));

    Class<ThreadPoolBulkheadConfig.Builder> tp = ThreadPoolBulkheadConfig.Builder.class;
    OPTIONS.put(
        ComponentType.THREAD_POOL_BULKHEAD,
        List.of(
            Option.of(tp, "maxThreads", "threads", (b, n, v) -> b.maxThreads(integer(v))),
            Option.of(tp, "queueCapacity", "tasks", (b, n, v) -> b.queueCapacity(integer(v))),
            Option.of(tp, "keepAlive", "duration", (b, n, v) -> b.keepAlive(duration(v))),
            Option.of(tp, "virtualThreads", "true|false", (b, n, v) -> b.virtualThreads(bool(v))),
            Option.of(
                tp, "interruptOnCancel", "true|false", (b, n, v) -> b.interruptOnCancel(bool(v))),
            Option.of(
                tp,
                "closeMode",
                "drain|cancel",
                (b, n, v) -> b.closeMode(constant(ThreadPoolBulkhead.CloseMode.class, v))),
            Option.of(tp, "closeTimeout", "duration", (b, n, v) -> b.closeTimeout(duration(v)))));
    CODE_ONLY.put(
        ComponentType.THREAD_POOL_BULKHEAD,
        codeOnly("contextPropagator", "a function of the task (a UnaryOperator of Runnable)"));

    Class<TimeoutConfig.Builder> to = TimeoutConfig.Builder.class;
    OPTIONS.put(
        ComponentType.TIMEOUT,
        List.of(
            Option.of(to, "duration", "duration", (b, n, v) -> b.duration(duration(v))),
            Option.of(
                to,
                "mode",
                "interrupt|abandon",
                (b, n, v) -> b.mode(constant(Timeout.Mode.class, v))),
            Option.of(to, "stackTraces", "true|false", (b, n, v) -> b.stackTraces(bool(v)))));
    CODE_ONLY.put(ComponentType.TIMEOUT, codeOnly("scheduler", SCHEDULER, "executor", EXECUTOR));

    OPTIONS.put(ComponentType.RETRY, RetryKeys.options());
    CODE_ONLY.put(
        ComponentType.RETRY,
        codeOnly(
            "delayFunction", "a function of the outcome (DelayFunction)",
            "retryWhen", "a predicate of the exception",
            "abortWhen", "a predicate of the exception",
            "retryOnResult", "a predicate of the result",
            "classifier", CLASSIFIER,
            "backOffHint", "a function of the outcome (BackOffHint)",
            "random", RANDOM,
            "scheduler", SCHEDULER,
            "executor", EXECUTOR));

    Class<RateLimiterConfig.Builder> rl = RateLimiterConfig.Builder.class;
    OPTIONS.put(
        ComponentType.RATE_LIMITER,
        List.of(
            Option.of(rl, "limitForPeriod", "permits", (b, n, v) -> b.limitForPeriod(integer(v))),
            Option.of(rl, "period", "duration", (b, n, v) -> b.period(duration(v))),
            Option.of(rl, "burst", "permits", (b, n, v) -> b.burst(integer(v))),
            Option.of(
                rl,
                "mode",
                modes(RateLimiterConfig.Mode.class),
                (b, n, v) -> b.mode(constant(RateLimiterConfig.Mode.class, v))),
            Option.of(rl, "warmUp", "duration", (b, n, v) -> b.warmUp(duration(v))),
            Option.of(rl, "maxWait", "duration", (b, n, v) -> b.maxWait(duration(v))),
            Option.of(
                rl, "clockResolution", "duration", (b, n, v) -> b.clockResolution(duration(v)))));
    CODE_ONLY.put(ComponentType.RATE_LIMITER, codeOnly("ticker", TICKER, "scheduler", SCHEDULER));

    Class<LoadShedderConfig.Builder> ls = LoadShedderConfig.Builder.class;
    OPTIONS.put(
        ComponentType.LOAD_SHEDDER,
        List.of(
            Option.of(
                ls,
                "measure",
                "latency|queueing-delay",
                (b, n, v) -> b.measure(constant(LoadShedderConfig.Measure.class, v))),
            Option.of(ls, "target", "duration", (b, n, v) -> b.target(duration(v))),
            Option.of(ls, "window", "duration", (b, n, v) -> b.window(duration(v))),
            Option.of(ls, "minimumSamples", "samples", (b, n, v) -> b.minimumSamples(integer(v))),
            Option.of(
                ls, "samplesPerWindow", "samples", (b, n, v) -> b.samplesPerWindow(integer(v))),
            Option.of(
                ls, "probesPerWindow", "probes", (b, n, v) -> b.probesPerWindow(integer(v)))));
    CODE_ONLY.put(ComponentType.LOAD_SHEDDER, codeOnly("ticker", TICKER, "scheduler", SCHEDULER));

    Class<AdaptiveThrottleConfig.Builder> at = AdaptiveThrottleConfig.Builder.class;
    OPTIONS.put(
        ComponentType.ADAPTIVE_THROTTLE,
        List.of(
            Option.of(at, "k", "number", (b, n, v) -> b.k(decimal(v))),
            Option.of(at, "window", "duration", (b, n, v) -> b.window(duration(v))),
            Option.of(
                at, "minimumRequests", "requests", (b, n, v) -> b.minimumRequests(integer(v)))));
    CODE_ONLY.put(
        ComponentType.ADAPTIVE_THROTTLE,
        codeOnly(
            "classifier", CLASSIFIER, "random", RANDOM, "ticker", TICKER, "scheduler", SCHEDULER));

    Class<GovernorConfig.Builder> gv = GovernorConfig.Builder.class;
    OPTIONS.put(
        ComponentType.GOVERNOR,
        List.of(
            Option.named(
                gv,
                "action",
                "permits, period",
                (b, n, v) -> {
                  List<String> p = parts(v, 2, 2, "permits, period");
                  b.action(sub(n), integer(p.get(0)), duration(p.get(1)));
                }),
            Option.of(
                gv,
                "withoutAction",
                "kind[, kind...]",
                (b, n, v) -> {
                  for (String kind : parts(v, 1, Integer.MAX_VALUE, "kind[, kind...]")) {
                    b.withoutAction(kind);
                  }
                }),
            Option.of(
                gv,
                "band",
                "min, max",
                (b, n, v) -> {
                  List<String> p = parts(v, 2, 2, "min, max");
                  b.band(decimal(p.get(0)), decimal(p.get(1)));
                }),
            Option.of(gv, "resistance", "slope", (b, n, v) -> b.resistance(decimal(v))),
            Option.of(gv, "confirmBeyond", "widths", (b, n, v) -> b.confirmBeyond(decimal(v))),
            Option.of(gv, "refuseBeyond", "widths", (b, n, v) -> b.refuseBeyond(decimal(v))),
            Option.of(gv, "divergenceLimit", "share", (b, n, v) -> b.divergenceLimit(decimal(v)))));
    CODE_ONLY.put(ComponentType.GOVERNOR, codeOnly("ticker", TICKER));

    Class<BoundedQueueConfig.Builder> qu = BoundedQueueConfig.Builder.class;
    OPTIONS.put(
        ComponentType.QUEUE,
        List.of(
            Option.of(qu, "capacity", "elements", (b, n, v) -> b.capacity(integer(v))),
            Option.of(
                qu,
                "overflow",
                modes(Overflow.class),
                (b, n, v) -> b.overflow(constant(Overflow.class, v))),
            Option.of(qu, "blockTimeout", "duration", (b, n, v) -> b.blockTimeout(duration(v))),
            Option.of(qu, "sojournTarget", "duration", (b, n, v) -> b.sojournTarget(duration(v))),
            Option.of(qu, "stallTime", "duration", (b, n, v) -> b.stallTime(duration(v))),
            Option.of(qu, "measureWait", "true|false", (b, n, v) -> b.measureWait(bool(v)))));
    CODE_ONLY.put(ComponentType.QUEUE, codeOnly("ticker", TICKER));
  }

  private KeyTable() {}

  /** The keys of one pattern, in the order of its builder. */
  static List<Option> options(ComponentType<?, ?> type) {
    return Objects.requireNonNull(OPTIONS.get(type), "no options for " + type);
  }

  /** The builder methods of one pattern that only code can call, each with the reason. */
  static Map<String, String> codeOnly(ComponentType<?, ?> type) {
    return Objects.requireNonNull(CODE_ONLY.get(type), "no code-only list for " + type);
  }

  /** The option whose key is {@code key} ({@code partition.checkout} finds {@code partition}). */
  static @Nullable Option find(ComponentType<?, ?> type, String key) {
    for (Option o : options(type)) {
      if (o.named() ? key.startsWith(o.key() + ".") : key.equals(o.key())) {
        return o;
      }
    }
    return null;
  }

  static String sub(@Nullable String subName) {
    return Objects.requireNonNull(subName, "a named key has a sub-name");
  }

  private static <E extends Enum<E>> String modes(Class<E> type) {
    StringBuilder s = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      s.append(s.length() == 0 ? "" : "|")
          .append(e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    }
    return s.toString();
  }

  private static Map<String, String> codeOnly(String... methodAndReason) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < methodAndReason.length; i += 2) {
      m.put(methodAndReason[i], methodAndReason[i + 1]);
    }
    return m;
  }
}
