package dev.ballast.testkit;

import static dev.ballast.testkit.FaultFixtures.catchFault;
import static dev.ballast.testkit.FaultFixtures.faultPattern;
import static dev.ballast.testkit.FaultFixtures.nullValue;
import static dev.ballast.testkit.FaultFixtures.outcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ballast.testkit.FaultInjector.Kind;
import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

final class FaultInjectorTest {

  @Test
  void latencyOnTheManualTickerAdvancesItBeforeTheRealCall() throws Exception {
    ManualTicker ticker = new ManualTicker(1_000);
    FaultInjector<Long> injector =
        FaultInjector.<Long>builder().latency(Duration.ofSeconds(2), ticker).enabled(true).build();
    Callable<Long> call = injector.decorateCallable(ticker::read);

    assertThat(call.call()).isEqualTo(2_000_001_000L);
    assertThat(call.call()).isEqualTo(4_000_001_000L);
    assertThat(ticker.read()).isEqualTo(4_000_001_000L);
    assertThat(injector.faults(Kind.LATENCY)).isEqualTo(2);
    assertThat(injector.faults(Kind.EXCEPTION)).isZero();
  }

  @Test
  void latencyOnTheManualSchedulerSleepsInVirtualTime() throws Exception {
    ManualScheduler scheduler = new ManualScheduler();
    FaultInjector<Long> injector =
        FaultInjector.<Long>builder()
            .latency(Duration.ofMillis(300), scheduler)
            .enabled(true)
            .build();

    long read = injector.decorateCallable(scheduler.ticker()::read).call();

    assertThat(read).isEqualTo(Duration.ofMillis(300).toNanos());
  }

  @Test
  void asyncLatencyOnTheManualSchedulerCompletesWhenTimeReachesIt() {
    ManualScheduler scheduler = new ManualScheduler();
    FaultInjector<String> injector = oneSecondLateOn(scheduler);
    AtomicInteger realCalls = new AtomicInteger();

    CompletableFuture<String> stage = callAsync(injector, realCalls);

    assertThat(stage).isNotDone();
    assertThat(realCalls).hasValue(0);
    scheduler.ticker().advance(Duration.ofMillis(999));
    assertThat(stage).isNotDone();
    scheduler.ticker().advance(Duration.ofMillis(1));
    assertThat(stage).isCompletedWithValue("ok 1");
  }

  @Test
  void cancellingAStageDuringItsLatencyStopsTheTimerAndSkipsTheRealCall() {
    ManualScheduler scheduler = new ManualScheduler();
    FaultInjector<String> injector = oneSecondLateOn(scheduler);
    AtomicInteger realCalls = new AtomicInteger();

    CompletableFuture<String> stage = callAsync(injector, realCalls);
    assertThat(scheduler.pending()).isEqualTo(1);
    stage.cancel(true);
    scheduler.ticker().advance(Duration.ofSeconds(5));

    assertThat(scheduler.pending()).isZero();
    assertThat(realCalls).hasValue(0);
    assertThat(injector.cancellations()).isEqualTo(1);
  }

  @Test
  void realLatencyTakesRealTimeInsideTheInjector() throws Exception {
    FaultInjector<String> injector =
        FaultInjector.<String>builder().latency(Duration.ofMillis(20)).enabled(true).build();

    long start = System.nanoTime();
    String result = injector.decorateCallable(() -> "ok").call();
    long elapsed = System.nanoTime() - start;

    assertThat(result).isEqualTo("ok");
    assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
    CompletionStage<String> stage =
        injector.decorateAsync(() -> CompletableFuture.completedFuture("later")).get();
    assertThat(stage.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("later");
    assertThat(injector.faults(Kind.LATENCY)).isEqualTo(2);
  }

  @Test
  void exceptionThrowsAFreshFaultFromTheFactoryEachTime() throws Exception {
    FaultInjector<String> injector =
        FaultInjector.<String>builder().exception(FaultFixtures::reset).enabled(true).build();
    Callable<String> call = injector.decorateCallable(() -> "ok");

    Throwable first = catchFault(call);
    Throwable second = catchFault(call);

    assertThat(first).isInstanceOf(IOException.class).hasMessage("connection reset");
    assertThat(second).isInstanceOf(IOException.class).isNotSameAs(first);
    assertThat(injector.faults(Kind.EXCEPTION)).isEqualTo(2);
    assertThat(injector.faults()).isEqualTo(2);
  }

  @Test
  void supplierThrowsUncheckedFaultsAsIsAndWrapsCheckedOnes() {
    FaultInjector<String> checked =
        FaultInjector.<String>builder().exception(FaultFixtures::reset).enabled(true).build();
    FaultInjector<String> unchecked =
        FaultInjector.<String>builder()
            .exception(() -> new IllegalStateException("boom"))
            .enabled(true)
            .build();

    assertThatThrownBy(() -> checked.decorateSupplier(() -> "ok").get())
        .isInstanceOf(UndeclaredThrowableException.class)
        .hasCauseInstanceOf(IOException.class);
    assertThatThrownBy(() -> unchecked.decorateSupplier(() -> "ok").get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("boom");
  }

  @Test
  void asyncExceptionFailsTheStageInsteadOfThrowing() {
    FaultInjector<String> injector =
        FaultInjector.<String>builder().exception(FaultFixtures::reset).enabled(true).build();

    CompletionStage<String> stage =
        injector.decorateAsync(() -> CompletableFuture.completedFuture("ok")).get();

    assertThat(stage.toCompletableFuture())
        .isCompletedExceptionally()
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(IOException.class);
    assertThat(injector.faults(Kind.EXCEPTION)).isEqualTo(1);
  }

  @Test
  void wrongResultIsMadeFromTheRealResult() throws Exception {
    FaultInjector<String> injector =
        FaultInjector.<String>builder()
            .wrongResult(real -> real + " (stale)")
            .period(2)
            .enabled(true)
            .build();
    Supplier<String> supplier = injector.decorateSupplier(() -> "42 in stock");
    Supplier<CompletionStage<String>> async =
        injector.decorateAsync(() -> CompletableFuture.completedFuture("7 in stock"));

    assertThat(supplier.get()).isEqualTo("42 in stock");
    assertThat(supplier.get()).isEqualTo("42 in stock (stale)");
    assertThat(async.get().toCompletableFuture()).isCompletedWithValue("7 in stock");
    assertThat(async.get().toCompletableFuture()).isCompletedWithValue("7 in stock (stale)");
    assertThat(injector.faults(Kind.WRONG_RESULT)).isEqualTo(2);
    assertThat(injector.calls()).isEqualTo(4);
  }

  @Test
  void periodFaultsExactlyCallsNTwoNThreeN() {
    FaultInjector<String> injector =
        FaultInjector.<String>builder()
            .period(3)
            .exception(FaultFixtures::reset)
            .enabled(true)
            .build();
    Callable<String> call = injector.decorateCallable(() -> "ok");

    BitSet faulted = faultPattern(call, 10);

    BitSet expected = new BitSet();
    expected.set(2);
    expected.set(5);
    expected.set(8);
    assertThat(faulted).isEqualTo(expected);
    assertThat(injector.calls()).isEqualTo(10);
    assertThat(injector.faults()).isEqualTo(3);
  }

  @Test
  void seededProbabilityIsReproducibleAndNearItsRate() {
    BitSet first = patternOf(probabilityInjector(0.2, 7L), 10_000);
    BitSet again = patternOf(probabilityInjector(0.2, 7L), 10_000);
    BitSet otherSeed = patternOf(probabilityInjector(0.2, 8L), 10_000);
    BitSet shorthand = patternOf(Faults.failWithProbability(0.2, 7L, FaultFixtures::reset), 10_000);

    assertThat(again).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
    assertThat(shorthand).isEqualTo(first); // Faults is the builder spelled out
    // Binomial(10000, 0.2): mean 2000, standard deviation 40; this band is five of them.
    assertThat(first.cardinality()).isBetween(1_800, 2_200);
  }

  @Test
  @SuppressWarnings("try") // the scope is only closed
  void startsDisabledAndStillNumbersTheCalls() throws Exception {
    FaultInjector<String> injector =
        FaultInjector.<String>builder().period(2).exception(FaultFixtures::reset).build();
    Callable<String> call = injector.decorateCallable(() -> "ok");

    assertThat(injector.enabled()).isFalse();
    assertThat(call.call()).isEqualTo("ok");
    assertThat(call.call()).isEqualTo("ok");
    try (var scope = injector.enable()) {
      assertThat(call.call()).isEqualTo("ok"); // call 3
      assertThatThrownBy(call::call).isInstanceOf(IOException.class); // call 4
    }
    assertThat(injector.calls()).isEqualTo(4);
    assertThat(injector.faults()).isEqualTo(1);
  }

  @Test
  @SuppressWarnings("try") // the scope is only closed
  void scopeRevertsOnExitEvenWhenTheBlockThrows() {
    FaultInjector<String> injector =
        FaultInjector.<String>builder().exception(FaultFixtures::reset).build();
    Callable<String> call = injector.decorateCallable(() -> "ok");

    assertThatThrownBy(
            () -> {
              try (var scope = injector.enable()) {
                assertThat(injector.enabled()).isTrue();
                call.call();
              }
            })
        .isInstanceOf(IOException.class);

    assertThat(injector.enabled()).isFalse();
    assertThat(outcome(call)).isEqualTo("ok");
  }

  @Test
  @SuppressWarnings("try") // the scope is only closed
  void scopesNestAndPutBackWhatTheyFound() {
    FaultInjector<String> injector =
        FaultInjector.<String>builder().exception(FaultFixtures::reset).enabled(true).build();

    try (var off = injector.disable()) {
      assertThat(injector.enabled()).isFalse();
      try (var on = injector.enable()) {
        assertThat(injector.enabled()).isTrue();
      }
      assertThat(injector.enabled()).isFalse();
    }
    assertThat(injector.enabled()).isTrue();

    FaultInjector.Scope scope = injector.disable();
    scope.close();
    injector.disable(); // left open on purpose: a run-time switch
    scope.close(); // a second close does nothing
    assertThat(injector.enabled()).isFalse();
  }

  @Test
  void hangBlocksUntilInterruptedAndRecordsTheInterrupt() throws Exception {
    FaultInjector<String> injector = FaultInjector.<String>builder().hang().enabled(true).build();
    Callable<String> call = injector.decorateCallable(() -> "ok");
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                call.call();
              } catch (Exception e) {
                outcome.set(e);
              }
            },
            "fault-injector-test-hang");
    caller.setDaemon(true);
    caller.start();

    await().atMost(Duration.ofSeconds(5)).until(() -> injector.faults(Kind.HANG) == 1);
    assertThat(caller.isAlive()).isTrue();
    assertThat(injector.interrupts()).isZero();
    caller.interrupt();
    caller.join(Duration.ofSeconds(5).toMillis());

    assertThat(caller.isAlive()).isFalse();
    assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    assertThat(injector.interrupts()).isEqualTo(1);
  }

  @Test
  void supplierHangEndsInCancellationWithTheInterruptFlagSetAgain() throws Exception {
    FaultInjector<String> injector = FaultInjector.<String>builder().hang().enabled(true).build();
    Supplier<String> supplier = injector.decorateSupplier(() -> "ok");
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    AtomicBoolean flagAfter = new AtomicBoolean();
    Thread caller =
        new Thread(
            () -> {
              try {
                outcome.set(new AssertionError("returned " + supplier.get()));
              } catch (RuntimeException e) {
                outcome.set(e);
                flagAfter.set(Thread.currentThread().isInterrupted());
              }
            },
            "fault-injector-test-supplier-hang");
    caller.setDaemon(true);
    caller.start();

    await().atMost(Duration.ofSeconds(5)).until(() -> injector.faults(Kind.HANG) == 1);
    caller.interrupt();
    caller.join(Duration.ofSeconds(5).toMillis());

    assertThat(outcome.get())
        .isInstanceOf(CancellationException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(flagAfter).isTrue();
    assertThat(injector.interrupts()).isEqualTo(1);
  }

  @Test
  void asyncHangNeverCompletesAndRecordsTheCancellation() {
    FaultInjector<String> injector = FaultInjector.<String>builder().hang().enabled(true).build();
    AtomicInteger realCalls = new AtomicInteger();

    CompletableFuture<String> stage = callAsync(injector, realCalls);

    assertThat(stage).isNotDone();
    assertThat(injector.cancellations()).isZero();
    stage.cancel(true);

    assertThat(injector.cancellations()).isEqualTo(1);
    assertThat(injector.faults(Kind.HANG)).isEqualTo(1);
    assertThat(realCalls).hasValue(0);
  }

  @Test
  void passesTheRealCallsFailureThrough() {
    FaultInjector<String> injector =
        FaultInjector.<String>builder().wrongResult(real -> "wrong").enabled(true).build();

    assertThatThrownBy(
            () ->
                injector
                    .decorateCallable(
                        () -> {
                          throw new IOException("real failure");
                        })
                    .call())
        .hasMessage("real failure");
    assertThat(injector.faults(Kind.WRONG_RESULT)).isZero();
  }

  @Test
  void aThrowingWrongResultFunctionFailsTheCallAndKeepsCounting() throws Exception {
    FaultInjector<String> injector =
        FaultInjector.<String>builder()
            .wrongResult(
                real -> {
                  throw new IllegalStateException("bad function");
                })
            .period(2)
            .enabled(true)
            .build();
    Callable<String> call = injector.decorateCallable(() -> "ok");
    Supplier<CompletionStage<String>> async =
        injector.decorateAsync(() -> CompletableFuture.completedFuture("ok"));

    assertThat(call.call()).isEqualTo("ok");
    assertThat(catchFault(call)).hasMessage("bad function");
    assertThat(async.get().toCompletableFuture()).isCompletedWithValue("ok");
    assertThat(async.get().toCompletableFuture())
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class);
    assertThat(call.call()).isEqualTo("ok");
    assertThat(injector.calls()).isEqualTo(5);
    assertThat(injector.faults()).isEqualTo(2);
    assertThat(injector.faults(Kind.WRONG_RESULT)).isEqualTo(2);
  }

  @Test
  void aThrowingExceptionFactoryFailsTheAsyncStageWithWhatItThrew() {
    FaultInjector<String> injector =
        FaultInjector.<String>builder()
            .exception(
                () -> {
                  throw new IllegalStateException("bad factory");
                })
            .enabled(true)
            .build();

    CompletionStage<String> stage =
        injector.decorateAsync(() -> CompletableFuture.completedFuture("ok")).get();

    assertThat(stage.toCompletableFuture())
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void anInterruptedVirtualLatencyIsCountedAndThrows() {
    ManualScheduler scheduler = new ManualScheduler();
    FaultInjector<String> injector = oneSecondLateOn(scheduler);

    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> injector.decorateCallable(() -> "ok").call())
        .isInstanceOf(InterruptedException.class);

    assertThat(Thread.interrupted()).isFalse();
    assertThat(injector.interrupts()).isEqualTo(1);
    assertThat(injector.faults(Kind.LATENCY)).isEqualTo(1);
  }

  @Test
  @Tag("concurrency")
  void countersAddUpAcrossEightThreads() throws Exception {
    int threads = 8;
    int callsPerThread = 1_000;
    FaultInjector<String> injector =
        FaultInjector.<String>builder()
            .period(4)
            .exception(FaultFixtures::reset)
            .enabled(true)
            .build();
    Callable<String> call = injector.decorateCallable(() -> "ok");
    AtomicLong caught = new AtomicLong();
    AtomicLong succeeded = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < callsPerThread; i++) {
                  if (outcome(call).equals("ok")) {
                    succeeded.incrementAndGet();
                  } else {
                    caught.incrementAndGet();
                  }
                }
              },
              "fault-injector-test-worker-" + t);
      worker.setDaemon(true);
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join(Duration.ofSeconds(10).toMillis());
      assertThat(worker.isAlive()).isFalse();
    }

    long total = (long) threads * callsPerThread;
    assertThat(injector.calls()).isEqualTo(total);
    assertThat(injector.faults()).isEqualTo(total / 4).isEqualTo(caught.get());
    assertThat(injector.faults(Kind.EXCEPTION)).isEqualTo(total / 4);
    assertThat(succeeded.get() + caught.get()).isEqualTo(total);
  }

  @Test
  void describesItselfWithItsSettingsAndCounters() throws Exception {
    FaultInjector<String> injector =
        FaultInjector.<String>builder().period(2).exception(FaultFixtures::reset).build();
    injector.decorateCallable(() -> "ok").call();

    assertThat(injector)
        .hasToString("FaultInjector[every 2 calls, exception, enabled=false, calls=1, faults=0]");
  }

  @Test
  void rejectsBadSettingsNamingTheParameterAndTheValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> FaultInjector.<String>builder().period(0))
        .withMessage("period must be >= 1, was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> FaultInjector.<String>builder().probability(1.5))
        .withMessage("probability must be in [0, 1], was 1.5");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> FaultInjector.<String>builder().latency(Duration.ofMillis(-1)))
        .withMessage("latency must not be negative, was PT-0.001S");
    assertThatIllegalStateException()
        .isThrownBy(() -> FaultInjector.<String>builder().build())
        .withMessage("set at least one fault: latency, exception, wrongResult or hang");
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                FaultInjector.<String>builder()
                    .exception(FaultFixtures::reset)
                    .wrongResult(r -> r)
                    .build())
        .withMessage(
            "exception, wrongResult and hang exclude one another, set were [exception, wrongResult]");
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                FaultInjector.<String>builder()
                    .hang()
                    .latency(Duration.ofSeconds(1), new ManualTicker())
                    .build())
        .withMessageStartingWith("hang excludes latency, set was latency PT1S");
    assertThatIllegalStateException()
        .isThrownBy(() -> FaultInjector.<String>builder().hang().period(2).probability(0.5).build())
        .withMessage(
            "period and probability exclude one another, set were every 2 calls and probability 0.5");
  }

  @Test
  void rejectsNullArguments() {
    Supplier<IOException> noFault = nullValue();
    Duration noDelay = nullValue();
    ManualTicker noTicker = nullValue();
    Callable<String> noCallable = nullValue();
    FaultInjector.Builder<String> builder = FaultInjector.builder();

    assertThatNullPointerException()
        .isThrownBy(() -> builder.exception(noFault))
        .withMessage("exception must not be null, was null");
    assertThatNullPointerException()
        .isThrownBy(() -> builder.latency(noDelay))
        .withMessage("latency must not be null, was null");
    assertThatNullPointerException()
        .isThrownBy(() -> builder.latency(Duration.ZERO, noTicker))
        .withMessage("ticker must not be null, was null");
    FaultInjector<String> injector = builder.hang().build();
    assertThatNullPointerException()
        .isThrownBy(() -> injector.decorateCallable(noCallable))
        .withMessage("delegate must not be null, was null");
  }

  private static FaultInjector<String> oneSecondLateOn(ManualScheduler scheduler) {
    return FaultInjector.<String>builder()
        .latency(Duration.ofSeconds(1), scheduler)
        .enabled(true)
        .build();
  }

  /** One call through the injector's async decorator to a call that counts itself. */
  private static CompletableFuture<String> callAsync(
      FaultInjector<String> injector, AtomicInteger realCalls) {
    return injector
        .decorateAsync(() -> CompletableFuture.completedFuture("ok " + realCalls.incrementAndGet()))
        .get()
        .toCompletableFuture();
  }

  private static FaultInjector<String> probabilityInjector(double probability, long seed) {
    return FaultInjector.<String>builder()
        .probability(probability)
        .seed(seed)
        .exception(FaultFixtures::reset)
        .enabled(true)
        .build();
  }

  private static BitSet patternOf(FaultInjector<String> injector, int calls) {
    return faultPattern(injector.decorateCallable(() -> "ok"), calls);
  }
}
