package dev.ballast;

import java.lang.reflect.Method;

/**
 * Measures what the calling thread allocates, through the JDK's per-thread allocation counter.
 * Reached by reflection: core's module does not read {@code java.management}, and its tests run on
 * the class path, where reflection may read it.
 */
public final class Allocations {
  private Allocations() {}

  /**
   * The fewest bytes per run of {@code body} over five rounds of many runs, after a warm-up: the
   * least of several rounds, so that a round the JIT or the harness disturbed does not count.
   *
   * @param body what to measure
   * @return bytes per run, rounded down
   */
  public static long bytesPerCall(Runnable body) {
    try {
      Object bean =
          Class.forName("java.lang.management.ManagementFactory")
              .getMethod("getThreadMXBean")
              .invoke(null);
      Method allocated =
          Class.forName("com.sun.management.ThreadMXBean")
              .getMethod("getCurrentThreadAllocatedBytes");
      for (int i = 0; i < 50_000; i++) {
        body.run();
      }
      allocated.invoke(bean); // warm the reflective call itself
      int runs = 100_000;
      long least = Long.MAX_VALUE;
      for (int round = 0; round < 5; round++) {
        long before = (Long) allocated.invoke(bean);
        for (int i = 0; i < runs; i++) {
          body.run();
        }
        least = Math.min(least, ((Long) allocated.invoke(bean) - before) / runs);
      }
      return least;
    } catch (ReflectiveOperationException e) {
      throw new LinkageError("no per-thread allocation counter in this JDK", e);
    }
  }
}
