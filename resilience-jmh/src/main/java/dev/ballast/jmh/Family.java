package dev.ballast.jmh;

import java.util.Set;

/**
 * Who wrote an implementation a benchmark measures, which is the colour of its bar in the {@link
 * Chart}: Ballast, one of the rival libraries, or the bare call and the JDK primitive a pattern is
 * built on.
 *
 * <p>Read from the {@code impl} constant's name by the benchmark classes' convention: {@code R4J*}
 * is Resilience4j, {@code FAILSAFE*} Failsafe, {@code BARE} and the JDK types by name are the
 * floor, {@code JCTOOLS*} another library, and every other constant is one of Ballast's (its
 * baselines are named after what they measure: {@code SHEDDER}, {@code GRADIENT}, {@code REJECT}).
 * {@code ChartTest} pins the family of every constant of every benchmark class.
 *
 * <p>Thread-safety: immutable.
 */
enum Family {
  BALLAST("Ballast", "#0072B2"),
  RESILIENCE4J("Resilience4j", "#E69F00"),
  FAILSAFE("Failsafe", "#CC79A7"),
  OTHER("other library", "#009E73"),
  FLOOR("bare call / JDK", "#8C8C8C");

  /** The JDK primitives the benchmarks measure beside Ballast, by {@code impl} constant. */
  private static final Set<String> JDK =
      Set.of("SEMAPHORE", "EXECUTOR", "SCHEDULED_THREAD_POOL", "ARRAY_BLOCKING", "LINKED_BLOCKING");

  private final String label;
  private final String colour;

  Family(String label, String colour) {
    this.label = label;
    this.colour = colour;
  }

  /** The legend's name for the family. */
  String label() {
    return label;
  }

  /** The bars' fill, an SVG colour. */
  String colour() {
    return colour;
  }

  /** Returns the family of an {@code impl} constant's name. */
  static Family of(String impl) {
    if (impl.startsWith("R4J")) {
      return RESILIENCE4J;
    }
    if (impl.startsWith("FAILSAFE")) {
      return FAILSAFE;
    }
    if (impl.startsWith("BARE") || JDK.contains(impl)) {
      return FLOOR;
    }
    if (impl.startsWith("JCTOOLS")) {
      return OTHER;
    }
    return BALLAST;
  }
}
