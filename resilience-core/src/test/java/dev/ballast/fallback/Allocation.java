package dev.ballast.fallback;

import dev.ballast.CheckedCallable;
import java.lang.reflect.Method;

/**
 * Measures what the calling thread allocates, through the JDK's per-thread allocation counter.
 * Reached by reflection: core's module does not read {@code java.management}, and its tests run on
 * the class path, where reflection may read it.
 */
final class Allocation {
  static final CheckedCallable<String, RuntimeException> OK = () -> "ok";

  private Allocation() {}

  /** Bytes allocated per run of {@code r}, over many runs after a warm-up; rounded down. */
  static long bytesPerCall(Runnable r) {
    try {
      Object bean =
          Class.forName("java.lang.management.ManagementFactory")
              .getMethod("getThreadMXBean")
              .invoke(null);
      Method allocated =
          Class.forName("com.sun.management.ThreadMXBean")
              .getMethod("getCurrentThreadAllocatedBytes");
      for (int i = 0; i < 50_000; i++) {
        r.run();
      }
      allocated.invoke(bean); // warm the reflective call itself
      int runs = 200_000;
      long before = (Long) allocated.invoke(bean);
      for (int i = 0; i < runs; i++) {
        r.run();
      }
      long after = (Long) allocated.invoke(bean);
      return (after - before) / runs;
    } catch (ReflectiveOperationException e) {
      throw new LinkageError("no per-thread allocation counter in this JDK", e);
    }
  }
}
