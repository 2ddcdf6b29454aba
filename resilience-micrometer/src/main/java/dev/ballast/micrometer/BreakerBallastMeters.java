package dev.ballast.micrometer;

import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * A breaker's meters under Ballast's names: {@code ballast.circuitbreaker.*}, base units, the
 * outcome in a tag. The table in {@code docs/metrics.md} lists them, and a test keeps the two
 * equal.
 *
 * <p>Thread-safe: see {@link MeterSet}. Gauges and the rejection counter hold the breaker weakly.
 */
final class BreakerBallastMeters extends BreakerMeters {
  static final String PREFIX = "ballast.circuitbreaker.";
  // One description for every series of a name: Prometheus shows one HELP line per family.
  static final String CALLS_DESCRIPTION =
      "Calls the breaker let through, by outcome (success, failure, ignored), and how long they took";
  private static final CircuitBreakerState[] STATES = CircuitBreakerState.values();

  private final Tags tags;
  private final Timer successes;
  private final Timer failures;
  private final Timer ignored;
  private final Counter slowCalls;
  private final Counter thresholdCrossings;
  // One slot per (from, to) pair, filled on the first such transition: at most STATES² counters.
  private final AtomicReferenceArray<@Nullable Counter> transitions =
      new AtomicReferenceArray<>(STATES.length * STATES.length);

  BreakerBallastMeters(CircuitBreaker breaker, MeterList meters, Tags tags) {
    super(meters);
    this.tags = tags;
    for (CircuitBreakerState state : STATES) {
      keep(
          Gauge.builder(PREFIX + "state", breaker, b -> b.state() == state ? 1 : 0)
              .description("1 when the breaker is in the state named by the state tag, else 0")
              .baseUnit("state")
              .tags(tags)
              .tag("state", tagValue(state))
              .register(registry));
    }
    successes = keep(callTimer("success"));
    failures = keep(callTimer("failure"));
    ignored = keep(callTimer("ignored"));
    slowCalls =
        keep(
            Counter.builder(PREFIX + "slow.calls")
                .description("Calls slower than the slow-call duration (also counted in calls)")
                .baseUnit("calls")
                .tags(tags)
                .register(registry));
    keep(
        FunctionCounter.builder(PREFIX + "rejected", breaker, b -> (double) b.stats().rejections())
            .description("Calls the breaker refused since it was created")
            .baseUnit("calls")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder(PREFIX + "failure.rate", breaker, b -> b.stats().windowFailureRate())
            .description("Failed calls over buffered calls, 0 to 1 (0 when none are buffered)")
            .baseUnit("ratio")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder(PREFIX + "slow.call.rate", breaker, b -> b.stats().windowSlowCallRate())
            .description("Slow calls over buffered calls, 0 to 1 (0 when none are buffered)")
            .baseUnit("ratio")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder(PREFIX + "buffered.calls", breaker, b -> (double) b.stats().windowCalls())
            .description("Calls the trip rule currently holds")
            .baseUnit("calls")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder(
                PREFIX + "probe.wait", breaker, b -> b.stats().timeUntilProbe().toNanos() / 1e9)
            .description("Time left before an open breaker lets a probe through; 0 unless open")
            .baseUnit("seconds")
            .tags(tags)
            .register(registry));
    thresholdCrossings =
        keep(
            Counter.builder(PREFIX + "threshold.crossings")
                .description(
                    "Times a disabled breaker (shadow mode) found its trip rule crossed:"
                        + " the times it would have opened")
                .baseUnit("crossings")
                .tags(tags)
                .register(registry));
  }

  /** The state's position in {@link #STATES}. */
  private static int index(CircuitBreakerState state) {
    for (int i = 0; i < STATES.length; i++) {
      if (STATES[i] == state) {
        return i;
      }
    }
    throw new AssertionError(state);
  }

  private Timer callTimer(String outcome) {
    return Timer.builder(PREFIX + "calls")
        .description(CALLS_DESCRIPTION)
        .tags(tags)
        .tag("outcome", outcome)
        .register(registry);
  }

  @Override
  void onCall(CallEvent event, long durationNanos) {
    switch (event) {
      case SUCCESS -> successes.record(nanos(durationNanos), NANOS);
      case FAILURE -> failures.record(nanos(durationNanos), NANOS);
      case IGNORED -> ignored.record(nanos(durationNanos), NANOS);
      case SLOW -> slowCalls.increment();
    }
  }

  @Override
  void onThresholdCrossed() {
    thresholdCrossings.increment();
  }

  @Override
  void onTransition(CircuitBreakerState from, CircuitBreakerState to) {
    int slot = index(from) * STATES.length + index(to);
    Counter counter = transitions.get(slot);
    if (counter == null) {
      // Racing threads get the same counter: Micrometer returns the registered meter for an id.
      counter =
          keep(
              Counter.builder(PREFIX + "transitions")
                  .description("State transitions, by the states left and entered")
                  .baseUnit("transitions")
                  .tags(tags)
                  .tag("from", tagValue(from))
                  .tag("to", tagValue(to))
                  .register(registry));
      transitions.set(slot, counter);
    }
    counter.increment();
  }
}
