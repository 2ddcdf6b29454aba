package dev.ballast.jmh;

import dev.ballast.Gate;
import dev.ballast.shed.AdaptiveThrottle;
import dev.ballast.shed.LoadShedder;
import java.util.List;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Param;

/**
 * Load shedding's success path: a call admitted by Ballast's {@code LoadShedder} (not shedding, the
 * mean latency far under its target) and by its {@code AdaptiveThrottle} (every request accepted),
 * both with their defaults and the system ticker, so that the shared scheduler rolls their windows
 * and an admitted call reads no clock; and the bare call as the floor. Resilience4j and Failsafe
 * have neither, so there are no rivals; the throttle is compared to the shedder under the table.
 *
 * <p>Thread-safety: JMH creates one instance per trial and calls {@link #setUp()} before any
 * benchmark thread starts; the benchmark methods are then called from every benchmark thread
 * concurrently, and are as thread-safe as the gate under test.
 */
public class LoadShedBenchmark extends GuardedCallBenchmark {

  /** The row {@link Suite} divides every time by: the load shedder through {@code decorate}. */
  static final String BASELINE = "SHEDDER";

  /** The rows {@link Suite} compares to the baseline under the table. */
  static final List<String> RIVALS = List.of("THROTTLE");

  /** The implementations compared; each builds its guarded call once per trial. */
  public enum Impl {
    /** The bare call, no gate: the floor. */
    BARE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return call;
      }
    },
    /** The load shedder, through {@code decorate}. */
    SHEDDER {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return LoadShedder.ofDefaults("bench").decorate(call);
      }
    },
    /** The load shedder, through the non-throwing {@code tryAcquire} and {@code onResult}. */
    SHEDDER_PERMIT {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return permitted(LoadShedder.ofDefaults("bench"), call);
      }
    },
    /** The adaptive throttle, through {@code decorate}. */
    THROTTLE {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return AdaptiveThrottle.ofDefaults("bench").decorate(call);
      }
    },
    /** The adaptive throttle, through the non-throwing {@code tryAcquire} and {@code onResult}. */
    THROTTLE_PERMIT {
      @Override
      Supplier<Object> guard(Supplier<Object> call) {
        return permitted(AdaptiveThrottle.ofDefaults("bench"), call);
      }
    };

    /** Returns {@code call} guarded by this implementation's gate, built now. */
    abstract Supplier<Object> guard(Supplier<Object> call);
  }

  /** The permit protocol by hand, as a library author would write it. */
  static Supplier<Object> permitted(Gate gate, Supplier<Object> call) {
    return () -> {
      long permit = gate.tryAcquire();
      if (permit == Gate.REFUSED) {
        throw new IllegalStateException(gate + " refused a call on its success path");
      }
      Object result;
      try {
        result = call.get();
      } catch (RuntimeException e) {
        gate.onError(permit, e);
        throw e;
      }
      gate.onResult(permit, result);
      return result;
    };
  }

  /** The implementation under test; JMH runs every constant. */
  @Param public Impl impl = Impl.BARE;

  @Override
  Supplier<Object> guard(Supplier<Object> call) {
    return impl.guard(call);
  }
}
