package dev.ballast.jmh;

import dev.ballast.governor.Decision;
import dev.ballast.governor.Governor;
import dev.ballast.governor.GovernorConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A governor's allow path: {@code decide} for an action kind whose rate is never spent (one permit
 * per nanosecond, the system ticker), with no state told ({@code DECIDE}) and with a resulting
 * state inside the normal band ({@code DECIDE_IN_BAND}, which also measures the distance to the
 * band). Target: at most 50 ns/op and 0 B/op. No other Java library has a governor, so there are no
 * rivals; the band variant is compared to the plain one under the table.
 *
 * <p>Thread-safety: JMH creates one instance per trial and calls {@link #setUp()} before any
 * benchmark thread starts; {@link #decide()} is then called from every benchmark thread
 * concurrently, and is as thread-safe as {@link Governor}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class GovernorBenchmark {

  /** The row {@link Suite} divides every time by: {@code decide(action)}. */
  static final String BASELINE = "DECIDE";

  /** The rows {@link Suite} compares to the baseline under the table. */
  static final List<String> RIVALS = List.of("DECIDE_IN_BAND");

  /** The implementations compared. */
  public enum Impl {
    /** {@code decide(action)}: the rate only. */
    DECIDE,
    /** {@code decide(action, state)} with the state inside the band. */
    DECIDE_IN_BAND
  }

  /** The implementation under test; JMH runs every constant. */
  @Param public Impl impl = Impl.DECIDE;

  private Governor governor = Governor.ofDefaults("bench");
  private boolean inBand;

  /** Builds the governor: one action kind whose rate the benchmark never spends. */
  @Setup
  public void setUp() {
    governor =
        Governor.of(
            "bench",
            GovernorConfig.builder()
                .action("act", 1_000_000_000, Duration.ofSeconds(1))
                .band(10, 100)
                .build());
    inBand = impl == Impl.DECIDE_IN_BAND;
  }

  /**
   * One decision; fails loudly if it was not the allow path.
   *
   * @return the decision, for JMH to consume
   */
  @Benchmark
  public Decision decide() {
    Decision d = inBand ? governor.decide("act", 50) : governor.decide("act");
    if (d != Decision.ALLOW) {
      throw new IllegalStateException("not the allow path: " + d);
    }
    return d;
  }
}
