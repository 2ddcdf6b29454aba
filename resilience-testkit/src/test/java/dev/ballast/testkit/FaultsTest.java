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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
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
  void failEveryNthFailsExactlyCallsNTwoNThreeN() {
    AtomicInteger realCalls = new AtomicInteger();
    FaultInjector<String> injector = Faults.failEveryNth(3, FaultFixtures::reset);
    Callable<String> fake = injector.decorateCallable(() -> "ok " + realCalls.incrementAndGet());

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
    assertThat(injector.calls()).isEqualTo(10);
    assertThat(injector.faults()).isEqualTo(3);
    assertThat(injector.faults(FaultInjector.Kind.EXCEPTION)).isEqualTo(3);
    assertThat(realCalls).hasValue(7);
  }

  @Test
  void failEveryNthWithOneFailsEveryCall() {
    FaultInjector<String> injector = Faults.failEveryNth(1, FaultFixtures::reset);
    Callable<String> fake = okThrough(injector);

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(fake::call).isInstanceOf(IOException.class);
    }
    assertThat(injector.calls()).isEqualTo(5);
    assertThat(injector.faults()).isEqualTo(5);
  }

  @Test
  void throwsAFreshFaultEachTime() {
    Callable<String> fake = okThrough(Faults.failEveryNth(1, FaultFixtures::reset));

    Throwable first = catchFault(fake);
    Throwable second = catchFault(fake);

    assertThat(first).isInstanceOf(IOException.class).hasMessage("connection reset");
    assertThat(second).isNotSameAs(first);
  }

  @Test
  void failWithProbabilityIsReproducibleWithTheSameSeed() {
    BitSet first = faultPattern(okThrough(Faults.failWithProbability(0.3, 42L, reset())), 1_000);
    BitSet again = faultPattern(okThrough(Faults.failWithProbability(0.3, 42L, reset())), 1_000);
    BitSet otherSeed =
        faultPattern(okThrough(Faults.failWithProbability(0.3, 43L, reset())), 1_000);

    assertThat(again).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
  }

  @Test
  void failWithProbabilityFailsAtRoughlyTheGivenRate() {
    FaultInjector<String> injector = Faults.failWithProbability(0.2, 7L, FaultFixtures::reset);

    BitSet faults = faultPattern(okThrough(injector), 10_000);

    // Binomial(10000, 0.2): mean 2000, standard deviation 40; this band is five of them.
    assertThat(faults.cardinality()).isBetween(1_800, 2_200);
    assertThat(injector.faults()).isEqualTo(faults.cardinality());
    assertThat(injector.calls()).isEqualTo(10_000);
  }

  @Test
  void failWithProbabilityZeroNeverFailsAndOneAlwaysFails() {
    Callable<String> never = okThrough(Faults.failWithProbability(0.0, 1L, reset()));
    Callable<String> always = okThrough(Faults.failWithProbability(1.0, 1L, reset()));

    assertThat(faultPattern(never, 1_000).cardinality()).isZero();
    assertThat(faultPattern(always, 1_000).cardinality()).isEqualTo(1_000);
  }

  @Test
  void alwaysFailThrowsTheChosenExceptionAndNeverMakesTheRealCall() {
    FaultInjector<String> injector = Faults.alwaysFail(FaultFixtures::reset);
    Callable<String> fake =
        injector.decorateCallable(
            () -> {
              throw new AssertionError("a dependency that is down is never reached");
            });

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(fake::call).isInstanceOf(IOException.class).hasMessage("connection reset");
    }
    assertThat(injector.calls()).isEqualTo(3);
    assertThat(injector.faults()).isEqualTo(3);
  }

  @Test
  void alwaysFailThrowsTheChosenError() {
    FaultInjector<String> injector = Faults.alwaysFail(() -> new StackOverflowError("deep"));

    assertThatThrownBy(okThrough(injector)::call)
        .isInstanceOf(StackOverflowError.class)
        .hasMessage("deep");
    assertThat(injector.faults()).isEqualTo(1);
  }

  @Test
  void refusesAFaultThatIsNeitherExceptionNorError() {
    Callable<String> fake = okThrough(Faults.alwaysFail(() -> new Throwable("odd")));

    assertThatThrownBy(fake::call)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("java.lang.Throwable")
        .hasRootCauseMessage("odd");
  }

  @Test
  void slowAdvancesTheTickerBeforeTheRealCall() throws Exception {
    ManualTicker ticker = new ManualTicker(1_000);
    FaultInjector<Long> injector = Faults.slow(Duration.ofSeconds(2), ticker);
    Callable<Long> fake = injector.decorateCallable(ticker::read);

    assertThat(fake.call()).isEqualTo(2_000_001_000L);
    assertThat(fake.call()).isEqualTo(4_000_001_000L);
    assertThat(ticker.read()).isEqualTo(4_000_001_000L);
    assertThat(injector.calls()).isEqualTo(2);
    assertThat(injector.faults()).isEqualTo(2);
    assertThat(injector.faults(FaultInjector.Kind.LATENCY)).isEqualTo(2);
  }

  @Test
  void passesTheRealCallsFailureThrough() {
    FaultInjector<String> injector = Faults.slow(Duration.ofMillis(5), new ManualTicker());
    Callable<String> fake =
        injector.decorateCallable(
            () -> {
              throw new IllegalStateException("real failure");
            });

    assertThatThrownBy(fake::call).hasMessage("real failure");
  }

  @Test
  @SuppressWarnings("try") // the scope is only closed
  void shorthandsAreEnabledInjectorsWithEveryDecoratorAndScope() throws Exception {
    FaultInjector<String> injector = Faults.failEveryNth(2, FaultFixtures::reset);
    Supplier<String> supplier = injector.decorateSupplier(() -> "ok");
    Supplier<CompletionStage<String>> async =
        injector.decorateAsync(() -> CompletableFuture.completedFuture("ok"));

    assertThat(injector.enabled()).isTrue();
    assertThat(supplier.get()).isEqualTo("ok"); // call 1
    assertThatThrownBy(() -> async.get().toCompletableFuture().join()) // call 2
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(IOException.class);
    try (var healthy = injector.disable()) {
      assertThat(async.get().toCompletableFuture().join()).isEqualTo("ok"); // call 4: not faulted
      assertThat(supplier.get()).isEqualTo("ok");
    }
    assertThat(injector.enabled()).isTrue();
    assertThat(injector.calls()).isEqualTo(4);
    assertThat(injector.faults()).isEqualTo(1);
  }

  @Test
  void isTheBuilderSpelledOut() {
    Callable<String> fake = okThrough(Faults.failEveryNth(2, FaultFixtures::reset));
    assertThat(outcome(fake)).isEqualTo("ok");

    assertThat(Faults.failEveryNth(2, FaultFixtures::reset))
        .hasToString(
            FaultInjector.builder()
                .period(2)
                .exception(FaultFixtures::reset)
                .enabled(true)
                .build()
                .toString())
        .hasToString("FaultInjector[every 2 calls, exception, enabled=true, calls=0, faults=0]");
    assertThat(Faults.slow(Duration.ofSeconds(1), new ManualTicker()).toString())
        .startsWith("FaultInjector[every call, latency PT1S on ManualTicker");
  }

  @Test
  @Tag("concurrency")
  void countersAddUpAcrossThreads() throws Exception {
    int threads = 8;
    int callsPerThread = 1_000;
    AtomicInteger realCalls = new AtomicInteger();
    FaultInjector<String> injector = Faults.failEveryNth(7, FaultFixtures::reset);
    Callable<String> fake = injector.decorateCallable(() -> "ok " + realCalls.incrementAndGet());
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
    assertThat(injector.calls()).isEqualTo(total);
    assertThat(injector.faults()).isEqualTo(total / 7).isEqualTo(caught);
    assertThat((long) realCalls.get()).isEqualTo(total - caught);
  }

  @Test
  void rejectsAPeriodBelowOne() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Faults.failEveryNth(0, FaultFixtures::reset))
        .withMessage("n must be >= 1, was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Faults.failEveryNth(-3, FaultFixtures::reset))
        .withMessage("n must be >= 1, was -3");
  }

  @Test
  void rejectsAProbabilityOutsideZeroToOne() {
    for (double bad : new double[] {-0.01, 1.01, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> Faults.failWithProbability(bad, 1L, FaultFixtures::reset))
          .withMessage("probability must be in [0, 1], was " + bad);
    }
  }

  @Test
  void rejectsANegativeDelay() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Faults.slow(Duration.ofMillis(-1), new ManualTicker()))
        .withMessage("delay must not be negative, was PT-0.001S");
  }

  @Test
  void rejectsNullArguments() {
    Supplier<IOException> noFault = nullValue();
    Duration noDelay = nullValue();
    ManualTicker noTicker = nullValue();

    assertThatNullPointerException()
        .isThrownBy(() -> Faults.failEveryNth(1, noFault))
        .withMessage("fault must not be null, was null");
    assertThatNullPointerException()
        .isThrownBy(() -> Faults.failWithProbability(0.5, 1L, noFault))
        .withMessage("fault must not be null, was null");
    assertThatNullPointerException()
        .isThrownBy(() -> Faults.alwaysFail(noFault))
        .withMessage("fault must not be null, was null");
    assertThatNullPointerException()
        .isThrownBy(() -> Faults.slow(noDelay, new ManualTicker()))
        .withMessage("delay must not be null, was null");
    assertThatNullPointerException()
        .isThrownBy(() -> Faults.slow(Duration.ZERO, noTicker))
        .withMessage("ticker must not be null, was null");
  }

  /** The injector around a real call that answers "ok". */
  private static Callable<String> okThrough(FaultInjector<String> injector) {
    return injector.decorateCallable(() -> "ok");
  }

  private static Supplier<IOException> reset() {
    return FaultFixtures::reset;
  }
}
