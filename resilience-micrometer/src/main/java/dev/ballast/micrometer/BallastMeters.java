package dev.ballast.micrometer;

import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * A breaker's meters under Ballast's names: {@code ballast.circuitbreaker.*}, base units, the
 * outcome in a tag. The table in {@code docs/metrics.md} lists them, and a test keeps the two equal.
 *
 * <p>Thread-safe: see {@link MeterSet}. Gauges and the rejection counter hold the breaker weakly.
 */
final class BallastMeters extends MeterSet {
  static final String PREFIX = "ballast.circuitbreaker.";
  private static final CircuitBreakerState[] STATES = CircuitBreakerState.values();

  private final CircuitBreaker breaker;
  private final Tags tags;
  // One slot per (from, to) pair, filled on the first such transition.
  private final AtomicReferenceArray<@Nullable Counter> transitions =
      new AtomicReferenceArray<>(STATES.length * STATES.length);
  private @Nullable Timer successes;
  private @Nullable Timer failures;
  private @Nullable Timer ignored;
  private @Nullable Counter slowCalls;

  BallastMeters(CircuitBreaker breaker, MeterRegistry registry, Tags tags) {
    super(registry);
    this.breaker = breaker;
    this.tags = tags;
  }

  @Override
  void register() {
    for (CircuitBreakerState state : STATES) {
      keep(
          Gauge.builder(PREFIX + "state", breaker, b -> b.state() == state ? 1 : 0)
              .description("1 when the breaker is in the state of the state tag, else 0")
              .baseUnit("state")
              .tags(tags)
              .tag("state", tagValue(state))
              .register(registry));
    }
    successes = keep(callTimer("success", "Calls that succeeded, and how long they took"));
    failures = keep(callTimer("failure", "Calls that failed, and how long they took"));
    ignored = keep(callTimer("ignored", "Calls whose outcome was not counted, and their time"));
    slowCalls =
        keep(
            Counter.builder(PREFIX + "slow.calls")
                .description("Calls slower than the slow-call duration (also in calls)")
                .baseUnit("calls")
                .tags(tags)
                .register(registry));
    keep(
        FunctionCounter.builder(
                PREFIX + "rejected", breaker, b -> (double) b.stats().rejectedCalls())
            .description("Calls the breaker refused since it was created")
            .baseUnit("calls")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder(PREFIX + "failure.rate", breaker, b -> b.stats().failureRate())
            .description("Failed calls over buffered calls, 0 to 1 (0 when none are buffered)")
            .baseUnit("ratio")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder(PREFIX + "slow.call.rate", breaker, b -> b.stats().slowCallRate())
            .description("Slow calls over buffered calls, 0 to 1 (0 when none are buffered)")
            .baseUnit("ratio")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder(
                PREFIX + "buffered.calls", breaker, b -> (double) b.stats().bufferedCalls())
            .description("Calls the trip rule currently holds")
            .baseUnit("calls")
            .tags(tags)
            .register(registry));
  }

  private Timer callTimer(String outcome, String description) {
    return Timer.builder(PREFIX + "calls")
        .description(description)
        .tags(tags)
        .tag("outcome", outcome)
        .register(registry);
  }

  @Override
  void onCall(CallEvent event, long durationNanos) {
    Meters: // fields are set by register(), which happens-before the listener is added
    {
    }
    switch (event) {
      case SUCCESS:
        record(successes, durationNanos);
        break;
      case FAILURE:
        record(failures, durationNanos);
        break;
      case IGNORED:
        record(ignored, durationNanos);
        break;
      case SLOW:
        Counter slow = slowCalls;
        if (slow != null) {
          slow.increment();
        }
        break;
    }
  }

  private static void record(@Nullable Timer timer, long durationNanos) {
    if (timer != null) {
      timer.record(nanos(durationNanos), NANOS);
    }
  }

  @Override
  void onTransition(CircuitBreakerState from, CircuitBreakerState to) {
    int slot = from.ordinal() * STATES.length + to.ordinal();
    Counter counter = transitions.get(slot);
    if (counter == null) {
      // Micrometer returns the same counter for the same id, so a race registers one meter.
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
