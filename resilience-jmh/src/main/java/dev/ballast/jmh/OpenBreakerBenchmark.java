package dev.ballast.jmh;

import dev.ballast.Gate;
import dev.ballast.RejectedException;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerOpenException;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Param;

/**
 * The refusal path: a breaker held open (the dependency is down, traffic keeps coming), and what it
 * costs the caller to be told "not now" and serve a substitute. This is the path a process runs
 * millions of times during an outage, so it must be cheap too. The Ballast breaker has tripped into
 * a steady {@code OPEN} (a wait of a day, its timer pending) and refuses through the permit
 * protocol's non-throwing {@code tryAcquire} (a sentinel, no exception), through {@code acquire}
 * and through {@code call} (both throw the open period's one rejection, which carries no stack
 * trace); Resilience4j and Failsafe, forced open, throw a new exception per call.
 *
 * <p>Thread-safety: JMH creates one instance per trial and calls {@link #setUp()} before any
 * benchmark thread starts; the benchmark methods are then called from every benchmark thread
 * concurrently, and are as thread-safe as the breaker under test.
 */
public class OpenBreakerBenchmark extends GuardedCallBenchmark {

  /** The row {@link Suite} divides every time by: Ballast's non-throwing refusal. */
  static final String BASELINE = "BALLAST_TRY_ACQUIRE";

  /** The rivals {@link Suite} compares to the baseline under the table. */
  static final List<String> RIVALS = List.of("R4J_PERMIT", "FAILSAFE");

  /** What a caller gets while the breaker refuses. */
  static final Object SUBSTITUTE = new Object();

  /** The implementations compared; each builds an open breaker and its guarded call once. */
  public enum Impl {
    /** Ballast's {@code tryAcquire}: a refusal is the sentinel {@link Gate#REFUSED}. */
    BALLAST_TRY_ACQUIRE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        CircuitBreaker breaker = openBallast();
        return () -> {
          long permit = breaker.tryAcquire();
          if (permit == Gate.REFUSED) {
            return SUBSTITUTE;
          }
          return complete(breaker, permit, call);
        };
      }
    },
    /** Ballast's {@code call}: a refusal throws the open period's one rejection. */
    BALLAST_CALL {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        CircuitBreaker breaker = openBallast();
        return () -> {
          try {
            return breaker.get(call);
          } catch (CircuitBreakerOpenException e) {
            return SUBSTITUTE;
          }
        };
      }
    },
    /** Ballast's {@code acquire}: a refusal is a {@link RejectedException} without stack trace. */
    BALLAST_ACQUIRE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        CircuitBreaker breaker = openBallast();
        return () -> {
          long permit;
          try {
            permit = breaker.acquire();
          } catch (RejectedException e) {
            return SUBSTITUTE;
          }
          return complete(breaker, permit, call);
        };
      }
    },
    /**
     * Resilience4j's {@code acquirePermission}: a refusal is a {@link CallNotPermittedException}.
     */
    R4J_PERMIT {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        io.github.resilience4j.circuitbreaker.CircuitBreaker breaker =
            io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("bench");
        breaker.transitionToForcedOpenState();
        return () -> {
          try {
            breaker.acquirePermission();
          } catch (CallNotPermittedException e) {
            return SUBSTITUTE;
          }
          Object value = call.get();
          breaker.onSuccess(0, TimeUnit.NANOSECONDS);
          return value;
        };
      }
    },
    /** Failsafe's executor: a refusal is a {@link dev.failsafe.CircuitBreakerOpenException}. */
    FAILSAFE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        dev.failsafe.CircuitBreaker<Object> breaker = dev.failsafe.CircuitBreaker.ofDefaults();
        breaker.open();
        FailsafeExecutor<Object> executor = Failsafe.with(breaker);
        CheckedSupplier<Object> checked = call::get;
        return () -> {
          try {
            return executor.get(checked);
          } catch (dev.failsafe.CircuitBreakerOpenException e) {
            return SUBSTITUTE;
          }
        };
      }
    };

    /** Returns {@code call} guarded by this implementation's open breaker, built now. */
    abstract Supplier<Object> guard(Supplier<Object> call);
  }

  /** The implementation under test; JMH runs every constant. */
  @Param public Impl impl = Impl.BALLAST_TRY_ACQUIRE;

  @Override
  Supplier<Object> guard(Supplier<Object> call) {
    return impl.guard(call);
  }

  /** A Ballast breaker tripped by one failure into an OPEN that lasts a day. */
  static CircuitBreaker openBallast() {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "bench",
            CircuitBreakerConfig.builder()
                .consecutiveFailures(1)
                .waitInOpen(Duration.ofDays(1))
                .build());
    long permit = breaker.acquire();
    breaker.onError(permit, new IllegalStateException("the dependency is down"));
    if (breaker.state() != CircuitBreakerState.OPEN) {
      throw new IllegalStateException("the breaker did not trip: " + breaker.state());
    }
    return breaker;
  }

  static Object complete(CircuitBreaker breaker, long permit, Supplier<Object> call) {
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
