package dev.ballast.jmh;

import dev.ballast.Gate;
import dev.ballast.Pipeline;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Param;

/**
 * The success path of a closed circuit breaker: Ballast's trip rules and its permit protocol
 * against Resilience4j and Failsafe, and the bare call as the floor.
 *
 * <p>One breaker per trial is shared by every benchmark thread, as one breaker guards one
 * integration point for a whole process. The guarded call returns a field, and the benchmark
 * returns what the breaker returned, so JMH consumes it. Everything the call needs (the call
 * itself, the breaker, the decorated supplier) is built once in {@link #setUp()}, so a measurement
 * is the library's cost and not a lambda's capture.
 *
 * <p>Thread-safety: JMH creates one instance per trial and calls {@link #setUp()} before any
 * benchmark thread starts; the benchmark methods are then called from every benchmark thread
 * concurrently, and are as thread-safe as the breaker under test.
 */
public class CircuitBreakerBenchmark extends GuardedCallBenchmark {

  /** The row {@link Suite} divides every time by: Ballast's count-window breaker. */
  static final String BASELINE = "BALLAST_COUNT";

  /** The rivals {@link Suite} compares to the baseline under the table. */
  static final List<String> RIVALS = List.of("R4J_COUNT");

  /** The implementations compared; each builds its guarded call once per trial. */
  public enum Impl {
    /** The bare call, no breaker: the floor. */
    BARE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return call;
      }
    },
    /** Ballast, failure rate over the last 100 calls, through {@code decorate}. */
    BALLAST_COUNT {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return ballast(CircuitBreakerConfig.builder().countWindow(100)).decorate(call);
      }
    },
    /** Ballast, failure rate over the last 10 seconds, through {@code decorate}. */
    BALLAST_TIME {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return ballast(CircuitBreakerConfig.builder().timeWindow(Duration.ofSeconds(10)))
            .decorate(call);
      }
    },
    /** Ballast, leaky bucket of 10 faults leaking one a second, through {@code decorate}. */
    BALLAST_LEAKY {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return ballast(CircuitBreakerConfig.builder().leakyBucket(10, Duration.ofSeconds(1)))
            .decorate(call);
      }
    },
    /**
     * Ballast, count window of 100, with a back-off hint function asked on every success (an {@code
     * instanceof} test that answers null, as an application's HTTP hint does for a 200).
     */
    BALLAST_HINTED {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return ballast(
                CircuitBreakerConfig.builder()
                    .countWindow(100)
                    .backOffHint(
                        (result, error) -> result instanceof Duration d ? d : null,
                        Duration.ofMinutes(1)))
            .decorate(call);
      }
    },
    /** Ballast, count window of 100, driven through the permit protocol as a library would. */
    BALLAST_PERMIT {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return new BallastPermit(ballast(CircuitBreakerConfig.builder().countWindow(100)), call);
      }
    },
    /** Ballast, count window of 100, through the non-throwing {@code tryAcquire}. */
    BALLAST_TRY_PERMIT {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        CircuitBreaker breaker = ballast(CircuitBreakerConfig.builder().countWindow(100));
        return () -> {
          long permit = breaker.tryAcquire();
          if (permit == Gate.REFUSED) {
            throw new IllegalStateException("a closed breaker refused");
          }
          return OpenBreakerBenchmark.complete(breaker, permit, call);
        };
      }
    },
    /**
     * Two Ballast breakers (count window, leaky bucket) composed in a {@code Pipeline}: a run of
     * gates, which must stay allocation-free.
     */
    BALLAST_PIPELINE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return Pipeline.of(
                ballast(CircuitBreakerConfig.builder().countWindow(100)),
                ballast(CircuitBreakerConfig.builder().leakyBucket(10, Duration.ofSeconds(1))))
            .decorate(call);
      }
    },
    /** Resilience4j, count-based sliding window of 100, decorated supplier. */
    R4J_COUNT {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(
            r4j(SlidingWindowType.COUNT_BASED, 100), call);
      }
    },
    /** Resilience4j, time-based sliding window of 10 seconds, decorated supplier. */
    R4J_TIME {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(
            r4j(SlidingWindowType.TIME_BASED, 10), call);
      }
    },
    /** Resilience4j, count window of 100, driven through acquirePermission and onSuccess. */
    R4J_PERMIT {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return new R4jPermit(r4j(SlidingWindowType.COUNT_BASED, 100), call);
      }
    },
    /** Failsafe's default circuit breaker, through a pre-built executor. */
    FAILSAFE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        dev.failsafe.CircuitBreaker<Object> breaker = dev.failsafe.CircuitBreaker.ofDefaults();
        FailsafeExecutor<Object> executor = Failsafe.with(breaker);
        CheckedSupplier<Object> checked = call::get;
        return () -> executor.get(checked);
      }
    };

    /** Returns {@code call} guarded by this implementation's breaker, built now. */
    abstract Supplier<Object> guard(Supplier<Object> call);
  }

  /** The implementation under test; JMH runs every constant. */
  @Param public Impl impl = Impl.BARE;

  @Override
  Supplier<Object> guard(Supplier<Object> call) {
    return impl.guard(call);
  }

  static CircuitBreaker ballast(CircuitBreakerConfig.Builder config) {
    return CircuitBreaker.of("bench", config.build());
  }

  static io.github.resilience4j.circuitbreaker.CircuitBreaker r4j(
      SlidingWindowType type, int size) {
    return io.github.resilience4j.circuitbreaker.CircuitBreaker.of(
        "bench",
        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
            .slidingWindowType(type)
            .slidingWindowSize(size)
            .build());
  }

  /** Ballast's allocation-free permit protocol, written the way a library author would. */
  static final class BallastPermit implements Supplier<Object> {
    private final CircuitBreaker breaker;
    private final Supplier<Object> call;

    BallastPermit(CircuitBreaker breaker, Supplier<Object> call) {
      this.breaker = breaker;
      this.call = call;
    }

    @Override
    public Object get() {
      long permit = breaker.acquire();
      Object value;
      try {
        value = call.get();
      } catch (Throwable t) {
        breaker.onError(permit, t);
        throw t;
      }
      breaker.onResult(permit, value);
      return value;
    }
  }

  /**
   * Resilience4j's permission API, written the way a library author would: it needs the call's
   * duration, so the caller reads the clock before and after.
   */
  static final class R4jPermit implements Supplier<Object> {
    private final io.github.resilience4j.circuitbreaker.CircuitBreaker breaker;
    private final Supplier<Object> call;

    R4jPermit(io.github.resilience4j.circuitbreaker.CircuitBreaker breaker, Supplier<Object> call) {
      this.breaker = breaker;
      this.call = call;
    }

    @Override
    public Object get() {
      breaker.acquirePermission();
      long start = System.nanoTime();
      Object value;
      try {
        value = call.get();
      } catch (Throwable t) {
        breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, t);
        throw t;
      }
      breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      return value;
    }
  }
}
