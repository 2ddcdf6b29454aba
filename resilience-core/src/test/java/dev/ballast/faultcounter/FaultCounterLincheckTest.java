package dev.ballast.faultcounter;

import java.time.Duration;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lincheck checks that {@link FaultCounter} is linearizable: every concurrent history of its
 * operations must match some sequential run of {@link Spec}. The ticker is frozen, so nothing leaks
 * and the bucket is a counter capped at {@code capacity + 1}.
 *
 * <p>Lincheck instantiates {@link Ops} and {@link Spec} reflectively, so both are public nested
 * classes of this package-private test class.
 */
@Tag("concurrency")
final class FaultCounterLincheckTest {

  private static final int CAPACITY = 2;

  @Test
  void isLinearizableUnderModelChecking() {
    new ModelCheckingOptions()
        .iterations(20)
        .invocationsPerIteration(1_000)
        .sequentialSpecification(Spec.class)
        .check(Ops.class);
  }

  @Test
  void isLinearizableUnderStress() {
    new StressOptions()
        .iterations(20)
        .invocationsPerIteration(1_000)
        .sequentialSpecification(Spec.class)
        .check(Ops.class);
  }

  /** The operations under test, on a fresh counter whose time never moves. */
  public static final class Ops {
    private final FaultCounter counter =
        FaultCounter.of(CAPACITY, Duration.ofSeconds(1), () -> 42L); // frozen ticker

    @Operation
    public boolean recordFault() {
      return counter.recordFault();
    }

    @Operation
    public long level() {
      return counter.level();
    }

    @Operation
    public boolean isOverflowing() {
      return counter.isOverflowing();
    }

    @Operation
    public void reset() {
      counter.reset();
    }
  }

  /** The sequential specification: a plain counter capped at {@code capacity + 1}. */
  public static final class Spec {
    private long count;

    public boolean recordFault() {
      count = Math.min(count + 1, CAPACITY + 1);
      return count > CAPACITY;
    }

    public long level() {
      return count;
    }

    public boolean isOverflowing() {
      return count > CAPACITY;
    }

    public void reset() {
      count = 0;
    }
  }
}
