package dev.ballast.jmh;

import dev.ballast.Gate;
import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadConfig;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Param;

/**
 * A bulkhead with room: acquire a permit, make the call, release it. Ballast's bulkhead against
 * Resilience4j's {@code SemaphoreBulkhead}, Failsafe's {@code Bulkhead} and a bare {@link
 * Semaphore}, and the bare call as the floor. Every limit is 25 (Resilience4j's default), well
 * above the benchmark's threads, and no one waits.
 *
 * <p>Thread-safety: JMH creates one instance per trial and calls {@link #setUp()} before any
 * benchmark thread starts; the benchmark methods are then called from every benchmark thread
 * concurrently, and are as thread-safe as the bulkhead under test.
 */
public class BulkheadBenchmark extends GuardedCallBenchmark {

  /** The row {@link Suite} divides every time by: Ballast's bulkhead through {@code decorate}. */
  static final String BASELINE = "BALLAST";

  /** The rivals {@link Suite} compares to the baseline under the table. */
  static final List<String> RIVALS = List.of("R4J", "FAILSAFE", "SEMAPHORE");

  private static final int LIMIT = 25;

  /** The implementations compared; each builds its guarded call once per trial. */
  public enum Impl {
    /** The bare call, no bulkhead: the floor. */
    BARE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return call;
      }
    },
    /** Ballast, through {@code decorate}. */
    BALLAST {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return ballast().decorate(call);
      }
    },
    /** Ballast, through the non-throwing {@code tryAcquire} and {@code release}. */
    BALLAST_PERMIT {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        Bulkhead bulkhead = ballast();
        return () -> {
          long permit = bulkhead.tryAcquire();
          if (permit == Gate.REFUSED) {
            throw new IllegalStateException("a bulkhead with room refused");
          }
          try {
            return call.get();
          } finally {
            bulkhead.release(permit);
          }
        };
      }
    },
    /** Resilience4j's {@code SemaphoreBulkhead}, no wait, decorated supplier. */
    R4J {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        io.github.resilience4j.bulkhead.Bulkhead bulkhead =
            io.github.resilience4j.bulkhead.Bulkhead.of(
                "bench",
                io.github.resilience4j.bulkhead.BulkheadConfig.custom()
                    .maxConcurrentCalls(LIMIT)
                    .maxWaitDuration(Duration.ZERO)
                    .build());
        return io.github.resilience4j.bulkhead.Bulkhead.decorateSupplier(bulkhead, call);
      }
    },
    /** Failsafe's bulkhead, through a pre-built executor. */
    FAILSAFE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        FailsafeExecutor<Object> executor = Failsafe.with(dev.failsafe.Bulkhead.of(LIMIT));
        CheckedSupplier<Object> checked = call::get;
        return () -> executor.get(checked);
      }
    },
    /** A bare non-fair {@link Semaphore}: {@code tryAcquire}, the call, {@code release}. */
    SEMAPHORE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        Semaphore semaphore = new Semaphore(LIMIT);
        return () -> {
          if (!semaphore.tryAcquire()) {
            throw new IllegalStateException("a semaphore with room refused");
          }
          try {
            return call.get();
          } finally {
            semaphore.release();
          }
        };
      }
    };

    /** Returns {@code call} guarded by this implementation's bulkhead, built now. */
    abstract Supplier<Object> guard(Supplier<Object> call);
  }

  /** The implementation under test; JMH runs every constant. */
  @Param public Impl impl = Impl.BARE;

  @Override
  Supplier<Object> guard(Supplier<Object> call) {
    return impl.guard(call);
  }

  static Bulkhead ballast() {
    return Bulkhead.of("bench", BulkheadConfig.builder().maxConcurrentCalls(LIMIT).build());
  }
}
