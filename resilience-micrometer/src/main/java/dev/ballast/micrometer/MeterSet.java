package dev.ballast.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The meters one binder registered in one registry, in one naming style, and the component's events
 * they are fed.
 *
 * <p>Subclasses register their eager meters in their constructor through {@link #keep}, and add the
 * methods their component's events arrive by. A constructor that throws needs no clean-up: {@link
 * Binder} removes what it kept.
 *
 * <p>Thread-safe. The event methods of subclasses run on the component's callers, lock-free; see
 * {@link MeterList} for registration.
 */
abstract class MeterSet {
  static final TimeUnit NANOS = TimeUnit.NANOSECONDS;

  final MeterRegistry registry;
  final MeterList meters;

  MeterSet(MeterList meters) {
    this.registry = meters.registry;
    this.meters = meters;
  }

  /**
   * Remembers a meter for removal; if the set was already removed, removes the meter at once.
   *
   * @return the meter
   */
  final <M extends Meter> M keep(M meter) {
    return meters.keep(meter);
  }

  /**
   * Registers and keeps a function counter that reads a figure of the component's stats snapshot
   * when the registry is scraped, holding the component weakly.
   *
   * @param name the meter's name
   * @param component what the counter reads; held weakly
   * @param stats takes the component's snapshot
   * @param count the figure in the snapshot
   * @param description the meter's description
   * @param baseUnit the base unit, or {@code null} for none (Resilience4j's names)
   * @param tags every tag of the meter
   */
  final <C, S> void countOf(
      String name,
      C component,
      Function<C, S> stats,
      ToLongFunction<S> count,
      String description,
      @Nullable String baseUnit,
      Tags tags) {
    keep(
        FunctionCounter.builder(name, component, c -> (double) count.applyAsLong(stats.apply(c)))
            .description(description)
            .baseUnit(baseUnit)
            .tags(tags)
            .register(registry));
  }

  /** The amount a timer records for a listener duration: {@code -1} (not timed) counts as zero. */
  static long nanos(long durationNanos) {
    return Math.max(0L, durationNanos);
  }

  /** An enum constant as a tag value: {@code half_open}, {@code timed_out}. */
  static String tagValue(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }
}
