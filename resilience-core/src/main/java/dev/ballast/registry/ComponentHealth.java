package dev.ballast.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One component's line in a {@link HealthSnapshot}: which pattern, its name, its {@link
 * HealthStatus}, its state in a word and its key figures, all read from one {@code stats()} call.
 *
 * <p>The pattern is the lower-case name of the component's class ({@code circuitbreaker}, {@code
 * bulkhead}, {@code threadpoolbulkhead}, {@code timeout}, {@code retry}, {@code fallback}, {@code
 * ratelimiter}, {@code loadshedder}, {@code adaptivethrottle}, {@code boundedqueue}, {@code
 * governor}). The state is an upper-case word ({@code CLOSED}, {@code FULL}, {@code SHEDDING}...;
 * docs/health.md lists them per pattern). The figures keep their order, named as the stats
 * accessors they come from; each is a {@code Long} or a {@code Double}, and a duration is a {@code
 * Double} in milliseconds whose name ends in {@code Millis}. A figure that has no value yet (the
 * last trip of a breaker that never tripped) is {@code NaN}, written {@code null} in JSON and
 * {@code -} in the table. Immutable and thread-safe.
 */
public final class ComponentHealth {
  private final String pattern;
  private final String name;
  private final HealthStatus status;
  private final String state;
  private final Map<String, Number> figures;

  ComponentHealth(
      String pattern, String name, HealthStatus status, String state, Map<String, Number> figures) {
    this.pattern = pattern;
    this.name = name;
    this.status = status;
    this.state = state;
    this.figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
  }

  /**
   * The pattern, the lower-case name of the component's class.
   *
   * @return for example {@code circuitbreaker}
   */
  public String pattern() {
    return pattern;
  }

  /**
   * The component's name.
   *
   * @return the name given when it was created
   */
  public String name() {
    return name;
  }

  /**
   * How the component is doing.
   *
   * @return its status
   */
  public HealthStatus status() {
    return status;
  }

  /**
   * The component's state in a word.
   *
   * @return for example {@code OPEN} or {@code SHEDDING}
   */
  public String state() {
    return state;
  }

  /**
   * The key figures, in a fixed order per pattern.
   *
   * @return an unmodifiable map from figure name to a {@code Long} or a {@code Double}
   */
  public Map<String, Number> figures() {
    return figures;
  }

  @Override
  public String toString() {
    return pattern + "[" + name + "] " + status + " " + state + " " + figures;
  }
}
