package dev.ballast.timeout;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Creates the executor a {@link Timeout} in ABANDON mode owns when none is given: virtual threads
 * where the running JDK has them, found through method handles because core compiles with {@code
 * --release 17}; else a cached pool of daemon platform threads. Threads are named {@code
 * ballast-timeout-<name>-N}.
 */
final class AbandonExecutors {
  private static final long KEEP_ALIVE_SECONDS = 30;

  /** {@code (String prefix) -> ExecutorService}, or null when the JDK has no virtual threads. */
  private static final @Nullable MethodHandle VIRTUAL = findVirtual();

  private AbandonExecutors() {}

  static boolean virtualThreadsAvailable() {
    return VIRTUAL != null;
  }

  static ExecutorService create(String timeoutName) {
    String prefix = "ballast-timeout-" + timeoutName + "-";
    MethodHandle virtual = VIRTUAL;
    if (virtual != null) {
      try {
        return (ExecutorService) virtual.invokeExact(prefix);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        // Looked up but unusable (a preview JDK without --enable-preview): fall through.
      }
    }
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, prefix + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    // A cached pool: every abandoned call keeps its thread, so a bounded pool would starve new
    // calls behind hung ones. Bound the work instead with a bulkhead inside the timeout.
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        KEEP_ALIVE_SECONDS,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        factory);
  }

  /**
   * {@code prefix -> Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(prefix,
   * 1).factory())}, tried once so that a JDK without virtual threads is known at class load.
   */
  private static @Nullable MethodHandle findVirtual() {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> builderType = Class.forName("java.lang.Thread$Builder");
      Class<?> ofVirtualType = Class.forName("java.lang.Thread$Builder$OfVirtual");
      MethodHandle ofVirtual =
          lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualType));
      MethodHandle name =
          lookup.findVirtual(
              ofVirtualType,
              "name",
              MethodType.methodType(ofVirtualType, String.class, long.class));
      MethodHandle factory =
          lookup.findVirtual(builderType, "factory", MethodType.methodType(ThreadFactory.class));
      MethodHandle perTask =
          lookup.findStatic(
              Executors.class,
              "newThreadPerTaskExecutor",
              MethodType.methodType(ExecutorService.class, ThreadFactory.class));
      // Try it once: a preview JDK (19, 20) has the methods but refuses them without the flag.
      Object builder = ofVirtual.invoke();
      Object named = name.invoke(builder, "ballast-timeout-probe-", 1L);
      ThreadFactory probe = (ThreadFactory) factory.invoke(named);
      ExecutorService unused = (ExecutorService) perTask.invoke(probe);
      unused.shutdown();
      // prefix -> perTask(factory(name(ofVirtual(), prefix, 1)))
      MethodHandle named1 =
          MethodHandles.insertArguments(
              MethodHandles.collectArguments(name, 0, ofVirtual), 1, 1L); // (String) -> OfVirtual
      MethodHandle namedAsBuilder = named1.asType(MethodType.methodType(builderType, String.class));
      MethodHandle factoryOf = MethodHandles.filterReturnValue(namedAsBuilder, factory);
      return MethodHandles.filterReturnValue(factoryOf, perTask);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      return null;
    }
  }
}
