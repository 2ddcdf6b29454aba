package dev.ballast.bulkhead;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Makes a {@link ThreadPoolBulkhead}'s threads: named {@code ballast-<name>-<n>} ({@code n} counts
 * from 1 over the bulkhead's life), daemon platform threads, or virtual threads where the running
 * JDK has them (found through method handles, since core compiles with {@code --release 17}).
 * Thread-safe.
 */
final class WorkerThreads {

  /** {@code Thread.ofVirtual().factory()}, or null when the JDK has no virtual threads. */
  private static final @Nullable ThreadFactory VIRTUAL = findVirtual();

  private final String prefix;
  private final @Nullable ThreadFactory virtual;
  private final AtomicLong count = new AtomicLong();

  WorkerThreads(String bulkheadName, boolean virtualThreads) {
    this.prefix = "ballast-" + bulkheadName + "-";
    this.virtual = virtualThreads ? VIRTUAL : null;
  }

  static boolean virtualThreadsAvailable() {
    return VIRTUAL != null;
  }

  /** A new, unstarted thread that runs {@code body}. */
  Thread create(Runnable body) {
    String name = prefix + count.incrementAndGet();
    ThreadFactory v = virtual;
    if (v != null) {
      Thread t = v.newThread(body);
      t.setName(name);
      return t;
    }
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  /** Looks up {@code Thread.ofVirtual().factory()} once, and tries it. */
  private static @Nullable ThreadFactory findVirtual() {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> builderType = Class.forName("java.lang.Thread$Builder");
      Class<?> ofVirtualType = Class.forName("java.lang.Thread$Builder$OfVirtual");
      MethodHandle ofVirtual =
          lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualType));
      MethodHandle factory =
          lookup.findVirtual(builderType, "factory", MethodType.methodType(ThreadFactory.class));
      ThreadFactory f = (ThreadFactory) factory.invoke(ofVirtual.invoke());
      Thread probe = f.newThread(() -> {}); // a preview JDK (19, 20) refuses without the flag
      probe.setName("ballast-probe");
      return f;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      return null;
    }
  }
}
