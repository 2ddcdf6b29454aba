package dev.ballast.jmh;

import dev.ballast.CheckedCallable;
import dev.ballast.Pipeline;
import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadConfig;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryConfig;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.decorators.Decorators;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Param;

/**
 * A retry around a closed circuit breaker around a bulkhead with room, on the path almost every
 * call takes (the first attempt succeeds, a permit is free): Ballast's {@link Pipeline} against
 * Resilience4j's {@code Decorators} and Failsafe's {@code with(retry, breaker, bulkhead)}, each a
 * retry of 3 attempts around a breaker (a count window of 100 calls where the library has one, else
 * its default) around a bulkhead of 25 permits that does not wait, and the bare call as the floor.
 * In Ballast's pipeline the breaker and the bulkhead are a run of two gates, which {@code decorate}
 * composes into one supplier over their permits.
 *
 * <p>One composition per trial is shared by every benchmark thread. The call returns a field, and
 * the benchmark returns what the composition returned, so JMH consumes it. Everything the call
 * needs is built once in {@link #setUp()}; {@code BALLAST_CALL} shows what {@link
 * Pipeline#call(CheckedCallable)} adds to {@code decorate} (a lambda per wrapper per call).
 *
 * <p>Thread-safety: JMH creates one instance per trial and calls {@link #setUp()} before any
 * benchmark thread starts; the benchmark methods are then called from every benchmark thread
 * concurrently, and are as thread-safe as the composition under test.
 */
public class PipelineBulkheadBenchmark extends GuardedCallBenchmark {

  /** The row {@link Suite} divides every time by: Ballast's decorated pipeline. */
  static final String BASELINE = "BALLAST";

  /** The rivals {@link Suite} compares to the baseline under the table. */
  static final List<String> RIVALS = List.of("R4J", "FAILSAFE");

  private static final int LIMIT = 25;

  /** The implementations compared; each builds its guarded call once per trial. */
  public enum Impl {
    /** The bare call, no policy: the floor. */
    BARE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return call;
      }
    },
    /** Ballast, {@code Pipeline.of(retry, breaker, bulkhead).decorate(call)}: composed once. */
    BALLAST {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return ballast().decorate(call);
      }
    },
    /**
     * Ballast, {@code Pipeline.of(retry, breaker, bulkhead).call(callable)}, callable pre-built.
     */
    BALLAST_CALL {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        Pipeline pipeline = ballast();
        CheckedCallable<Object, RuntimeException> callable = call::get;
        return () -> pipeline.call(callable);
      }
    },
    /**
     * Resilience4j, {@code
     * Decorators.ofSupplier(call).withBulkhead(..).withCircuitBreaker(..).withRetry(..)}.
     */
    R4J {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        io.github.resilience4j.bulkhead.Bulkhead bulkhead =
            io.github.resilience4j.bulkhead.Bulkhead.of(
                "jmh",
                io.github.resilience4j.bulkhead.BulkheadConfig.custom()
                    .maxConcurrentCalls(LIMIT)
                    .maxWaitDuration(Duration.ZERO)
                    .build());
        io.github.resilience4j.circuitbreaker.CircuitBreaker breaker =
            io.github.resilience4j.circuitbreaker.CircuitBreaker.of(
                "jmh",
                io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                    .slidingWindowType(SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(100)
                    .build());
        io.github.resilience4j.retry.Retry retry =
            io.github.resilience4j.retry.Retry.of(
                "jmh", io.github.resilience4j.retry.RetryConfig.custom().maxAttempts(3).build());
        return Decorators.ofSupplier(call)
            .withBulkhead(bulkhead)
            .withCircuitBreaker(breaker)
            .withRetry(retry)
            .decorate();
      }
    },
    /** Failsafe, {@code Failsafe.with(retryPolicy, circuitBreaker, bulkhead)}, pre-built. */
    FAILSAFE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        FailsafeExecutor<Object> executor =
            Failsafe.with(
                RetryPolicy.builder().withMaxAttempts(3).build(),
                dev.failsafe.CircuitBreaker.ofDefaults(),
                dev.failsafe.Bulkhead.of(LIMIT));
        CheckedSupplier<Object> checked = call::get;
        return () -> executor.get(checked);
      }
    };

    /** Returns {@code call} under this implementation's retry, breaker and bulkhead, built now. */
    abstract Supplier<Object> guard(Supplier<Object> call);

    static Pipeline ballast() {
      return Pipeline.of(
          Retry.of("jmh", RetryConfig.builder().maxAttempts(3).build()),
          CircuitBreaker.of("jmh", CircuitBreakerConfig.builder().countWindow(100).build()),
          Bulkhead.of("jmh", BulkheadConfig.builder().maxConcurrentCalls(LIMIT).build()));
    }
  }

  /** The implementation under test; JMH runs every constant. */
  @Param public Impl impl = Impl.BARE;

  @Override
  Supplier<Object> guard(Supplier<Object> call) {
    return impl.guard(call);
  }
}
