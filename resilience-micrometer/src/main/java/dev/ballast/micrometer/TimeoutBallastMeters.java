package dev.ballast.micrometer;

import dev.ballast.timeout.Timeout;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;

/**
 * A timeout's meters under Ballast's names: {@code ballast.timeout.*}, base units, the outcome in a
 * tag. The table in {@code docs/metrics.md} lists them, and a test keeps the two equal.
 *
 * <p>Thread-safe: see {@link MeterSet}. The gauges hold the timeout weakly.
 */
final class TimeoutBallastMeters extends MeterSet {
  static final String PREFIX = "ballast.timeout.";

  // One description for every series of a name: Prometheus shows one HELP line per family.
  static final String CALLS_DESCRIPTION =
      "Calls that ended, by outcome, and how long they took (timed out: how long the caller waited)";

  /** How a call through the timeout ended, as its listener reports it. */
  enum Outcome {
    SUCCESS,
    FAILURE,
    REJECTED,
    TIMED_OUT
  }

  // Filled in the constructor, then only read.
  private final EnumMap<Outcome, Timer> calls = new EnumMap<>(Outcome.class);

  TimeoutBallastMeters(Timeout timeout, MeterList meters, Tags tags) {
    super(meters);
    for (Outcome outcome : Outcome.values()) {
      calls.put(
          outcome,
          keep(
              Timer.builder(PREFIX + "calls")
                  .description(CALLS_DESCRIPTION)
                  .tags(tags)
                  .tag("outcome", tagValue(outcome))
                  .register(registry)));
    }
    keep(
        Gauge.builder(
                PREFIX + "abandoned.running", timeout, t -> (double) t.stats().abandonedRunning())
            .description("Calls abandoned at their deadline whose work is still running")
            .baseUnit("calls")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder(PREFIX + "duration", timeout, t -> t.duration().toNanos() / 1e9)
            .description("The timeout's current default duration")
            .baseUnit("seconds")
            .tags(tags)
            .register(registry));
  }

  /** Records a call that ended. */
  void onCall(Outcome outcome, long durationNanos) {
    Timer timer = calls.get(outcome);
    if (timer != null) {
      timer.record(nanos(durationNanos), NANOS);
    }
  }
}
