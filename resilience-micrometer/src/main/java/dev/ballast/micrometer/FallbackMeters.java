package dev.ballast.micrometer;

import dev.ballast.fallback.Fallback;
import dev.ballast.fallback.FallbackStats;
import dev.ballast.fallback.FallbackTrigger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Tags;
import java.util.EnumMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fallback's meters: {@code ballast.fallback.calls}, one counter per outcome and trigger. The
 * table in {@code docs/metrics.md} lists them, and a test keeps the two equal.
 *
 * <p>Thread-safe: see {@link MeterSet}. The counters of calls passed through and of substitutes
 * served read {@link Fallback#stats()} when the registry is scraped and hold the fallback weakly;
 * the counters of failed fallbacks are fed by the binder's listener.
 */
final class FallbackMeters extends MeterSet {
  static final String NAME = "ballast.fallback.calls";
  // One description for every series of the name: Prometheus shows one HELP line per family.
  static final String DESCRIPTION =
      "Calls through the fallback, by outcome (passed, fallback, fallback_failed) and trigger";
  // Filled in the constructor, then only read.
  private final EnumMap<FallbackTrigger, Counter> failed = new EnumMap<>(FallbackTrigger.class);

  FallbackMeters(Fallback<?> fallback, MeterList meters, Tags tags) {
    super(meters);
    PassedCount passed = new PassedCount();
    keep(
        FunctionCounter.builder(NAME, fallback, f -> passed.read(f.stats()))
            .description(DESCRIPTION)
            .baseUnit("calls")
            .tags(tags)
            .tag("outcome", "passed")
            .tag("trigger", "none")
            .register(registry));
    for (FallbackTrigger trigger : FallbackTrigger.values()) {
      countOf(
          NAME,
          fallback,
          Fallback::stats,
          stats -> served(stats, trigger),
          DESCRIPTION,
          "calls",
          tags.and("outcome", "fallback").and("trigger", tagValue(trigger)));
      failed.put(
          trigger,
          keep(
              Counter.builder(NAME)
                  .description(DESCRIPTION)
                  .baseUnit("calls")
                  .tags(tags)
                  .tag("outcome", "fallback_failed")
                  .tag("trigger", tagValue(trigger))
                  .register(registry)));
    }
  }

  /** Records a fallback function that threw. */
  void onFallbackFailed(FallbackTrigger trigger) {
    Counter counter = failed.get(trigger);
    if (counter != null) {
      counter.increment();
    }
  }

  private static long served(FallbackStats stats, FallbackTrigger trigger) {
    return switch (trigger) {
      case EXCEPTION -> stats.exceptionFallbacks();
      case RESULT -> stats.resultFallbacks();
      case REJECTION -> stats.rejectionFallbacks();
    };
  }

  /**
   * The calls passed through, as the stats allow: the calls counted at entry minus those that fell
   * back or whose fallback failed. A call still running counts as passed until it ends; should it
   * then fall back, the difference drops by one, which a counter must not do, so the count holds
   * its highest value until the calls that really pass catch up.
   */
  private static final class PassedCount {
    private final AtomicLong highest = new AtomicLong();

    double read(FallbackStats stats) {
      long passed = stats.calls() - stats.fallbacks() - stats.fallbackFailures();
      return (double) highest.accumulateAndGet(passed, Math::max);
    }
  }
}
