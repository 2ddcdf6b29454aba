package dev.ballast.testkit;

import static dev.ballast.testkit.FaultFixtures.catchFault;
import static dev.ballast.testkit.FaultFixtures.faultPattern;
import static dev.ballast.testkit.FaultFixtures.nullValue;
import static dev.ballast.testkit.FaultFixtures.outcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

final class FaultsTest {

  @Test
  void failEveryNthFailsExactlyCallsNTwoNThreeN() throws Exception {
    AtomicInteger realCalls = new AtomicInteger();
    FaultyCallable<String> fake =
        Faults.failEveryNth(3, FaultFixtures::reset, () -> "ok " + realCalls.incrementAndGet());

    List<String> outcomes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      outcomes.add(outcome(fake));
    }

    assertThat(outcomes)
        .containsExactly(
            "ok 1",
            "ok 2",
            "IOException",
            "ok 3",
            "ok 4",
            "IOException",
            "ok 5",
            "ok 6",
            "IOException",
            "ok 7");
    assertThat(fake.calls()).isEqualTo(10);
    assertThat(fake.faults()).isEqualTo(3);
    assertThat(realCalls).hasValue(7);
  }

  @Test
  void failEveryNthWithOneFailsEveryCall() {
    FaultyCallable<String> fake = Faults.failEveryNth(1, FaultFixtures::reset, () -> "ok");

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(fake::call).isInstanceOf(IOException.class);
    }
    assertThat(fake.calls()).isEqualTo(5);
    assertThat(fake.faults()).isEqualTo(5);
  }

  @Test
  void throwsAFreshFaultEachTime() {
    FaultyCallable<String> fake = Faults.failEveryNth(1, FaultFixtures::reset, () -> "ok");

    Throwable first = catchFault(fake);
    Throwable second = catchFault(fake);

    assertThat(first).isInstanceOf(IOException.class).hasMessage("connection reset");
    assertThat(second).isNotSameAs(first);
  }

  @Test
  void failWithProbabilityIsReproducibleWithTheSameSeed() throws Exception {
    BitSet first =
        faultPattern(Faults.failWithProbability(0.3, 42L, FaultFixtures::reset, () -> "ok"), 1_000);
    BitSet again =
        faultPattern(Faults.failWithProbability(0.3, 42L, FaultFixtures::reset, () -> "ok"), 1_000);
    BitSet otherSeed =
        faultPattern(Faults.failWithProbability(0.3, 43L, FaultFixtures::reset, () -> "ok"), 1_000);

    assertThat(again).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
  }

  @Test
  void failWithProbabilityFailsAtRoughlyTheGivenRate() throws Exception {
    FaultyCallable<String> fake =
        Faults.failWithProbability(0.2, 7L, FaultFixtures::reset, () -> "ok");

    BitSet faults = faultPattern(fake, 10_000);

    // Binomial(10000, 0.2): mean 2000, standard deviation 40; this band is five of them.
    assertThat(faults.cardinality()).isBetween(1_800, 2_200);
    assertThat(fake.faults()).isEqualTo(faults.cardinality());
    assertThat(fake.calls()).isEqualTo(10_000);
  }

  @Test
  void failWithProbabilityZeroNeverFailsAndOneAlwaysFails() throws Exception {
    FaultyCallable<String> never =
        Faults.failWithProbability(0.0, 1L, FaultFixtures::reset, () -> "ok");
    FaultyCallable<String> always =
        Faults.failWithProbability(1.0, 1L, FaultFixtures::reset, () -> "ok");

    assertThat(faultPattern(never, 1_000).cardinality()).isZero();
    assertThat(faultPattern(always, 1_000).cardinality()).isEqualTo(1_000);
  }

  @Test
  void alwaysFailThrowsTheChosenException() {
    FaultyCallable<String> fake = Faults.alwaysFail(FaultFixtures::reset);

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(fake::call).isInstanceOf(IOException.class).hasMessage("connection reset");
    }
    assertThat(fake.calls()).isEqualTo(3);
    assertThat(fake.faults()).isEqualTo(3);
  }

  @Test
  void alwaysFailThrowsTheChosenError() {
    FaultyCallable<String> fake = Faults.alwaysFail(() -> new StackOverflowError("deep"));

    assertThatThrownBy(fake::call).isInstanceOf(StackOverflowError.class).hasMessage("deep");
    assertThat(fake.faults()).isEqualTo(1);
  }

  @Test
  void refusesAFaultThatIsNeitherExceptionNorError() {
    FaultyCallable<String> fake = Faults.alwaysFail(() -> new Throwable("odd"));

    assertThatThrownBy(fake::call)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("java.lang.Throwable")
        .hasRootCauseMessage("odd");
  }

  @Test
  void slowAdvancesTheTickerBeforeTheRealCall() throws Exception {
    ManualTicker ticker = new ManualTicker(1_000);
    FaultyCallable<Long> fake = Faults.slow(Duration.ofSeconds(2), ticker, ticker::read);

    assertThat(fake.call()).isEqualTo(2_000_001_000L);
    assertThat(fake.call()).isEqualTo(4_000_001_000L);
    assertThat(ticker.read()).isEqualTo(4_000_001_000L);
    assertThat(fake.calls()).isEqualTo(2);
    assertThat(fake.faults()).isEqualTo(2);
  }

  @Test
  void passesTheRealCallsFailureThrough() {
    FaultyCallable<String> fake =
        Faults.slow(
            Duration.ofMillis(5),
            new ManualTicker(),
            () -> {
              throw new IllegalStateException("real failure");
            });

    assertThatThrownBy(fake::call).hasMessage("real failure");
  }

  @Test
  void describesItselfWithItsCounters() throws Exception {
    FaultyCallable<String> fake = Faults.failEveryNth(2, FaultFixtures::reset, () -> "ok");
    fake.call();

    assertThat(fake).hasToString("FaultyCallable[failEveryNth(n=2), calls=1, faults=0]");
  }

  @Test
  @Tag("concurrency")
  void countersAddUpAcrossThreads() throws Exception {
    int threads = 8;
    int callsPerThread = 1_000;
    AtomicInteger realCalls = new AtomicInteger();
    FaultyCallable<String> fake =
        Faults.failEveryNth(7, FaultFixtures::reset, () -> "ok " + realCalls.incrementAndGet());
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long caught = 0;
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  int faults = 0;
                  for (int i = 0; i < callsPerThread; i++) {
                    try {
                      fake.call();
                    } catch (IOException e) {
                      faults++;
                    }
                  }
                  return faults;
                }));
      }
      start.countDown();
      for (Future<Integer> result : results) {
        caught += result.get();
      }
    } finally {
      pool.shutdown();
    }

    long total = (long) threads * callsPerThread;
    assertThat(fake.calls()).isEqualTo(total);
    assertThat(fake.faults()).isEqualTo(total / 7).isEqualTo(caught);
    assertThat((long) realCalls.get()).isEqualTo(total - caught);
  }

  @Test
  void rejectsAPeriodBelowOne() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Faults.failEveryNth(0, FaultFixtures::reset, () -> "ok"))
        .withMessage("n must be >= 1, was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Faults.failEveryNth(-3, FaultFixtures::reset, () -> "ok"))
        .withMessage("n must be >= 1, was -3");
  }

  @Test
  void rejectsAProbabilityOutsideZeroToOne() {
    for (double bad : new double[] {-0.01, 1.01, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> Faults.failWithProbability(bad, 1L, FaultFixtures::reset, () -> "ok"))
          .withMessage("probability must be in [0, 1], was " + bad);
    }
  }

  @Test
  void rejectsANegativeDelay() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Faults.slow(Duration.ofMillis(-1), new ManualTicker(), () -> "ok"))
        .withMessage("delay must not be negative, was PT-0.001S");
  }

  @Test
  void rejectsNullArguments() {
    Supplier<IOException> noFault = nullValue();
    Callable<String> noDelegate = nullValue();
    Duration noDelay = nullValue();
    ManualTicker noTicker = nullValue();

    assertThatNullPointerException()
        .isThrownBy(() -> Faults.failEveryNth(1, noFault, () -> "ok"))
        .withMessage("fault must not be null, was null");
    assertThatNullPointerException()
        .isThrownBy(() -> Faults.failEveryNth(1, FaultFixtures::reset, noDelegate))
        .withMessage("delegate must not be null, was null");
    assertThatNullPointerException()
        .isThrownBy(() -> Faults.failWithProbability(0.5, 1L, noFault, () -> "ok"))
        .withMessage("fault must not be null, was null");
    assertThatNullPointerException()
        .isThrownBy(() -> Faults.failWithProbability(0.5, 1L, FaultFixtures::reset, noDelegate))
        .withMessage("delegate must not be null, was null");
    assertThatNullPointerException()
        .isThrownBy(() -> Faults.alwaysFail(noFault))
        .withMessage("fault must not be null, was null");
    assertThatNullPointerException()
        .isThrownBy(() -> Faults.slow(noDelay, new ManualTicker(), () -> "ok"))
        .withMessage("delay must not be null, was null");
    assertThatNullPointerException()
        .isThrownBy(() -> Faults.slow(Duration.ZERO, noTicker, () -> "ok"))
        .withMessage("ticker must not be null, was null");
    assertThatNullPointerException()
        .isThrownBy(() -> Faults.slow(Duration.ZERO, new ManualTicker(), noDelegate))
        .withMessage("delegate must not be null, was null");
  }
}
