package dev.ballast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerOpenException;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.retry.Retry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

final class PipelineTest {
  private final List<String> log = new CopyOnWriteArrayList<>();

  /** A gate that logs its protocol and can be told to refuse. */
  final class RecordingGate implements Gate {
    final String name;
    boolean refuse;
    int held;

    RecordingGate(String name) {
      this.name = name;
    }

    @Override
    public long acquire() {
      if (refuse) {
        log.add(name + ".refuse");
        throw new RejectedException(name, RejectedException.Reason.OVERLOAD, null, name, false) {
          private static final long serialVersionUID = 1L;
        };
      }
      held++;
      log.add(name + ".acquire");
      return 7;
    }

    @Override
    public void onResult(long permit, @Nullable Object result) {
      held--;
      log.add(name + ".result");
    }

    @Override
    public void onError(long permit, Throwable error) {
      held--;
      log.add(name + ".error " + error.getClass().getSimpleName());
    }

    @Override
    public void release(long permit) {
      held--;
      log.add(name + ".release");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A gate whose own {@code call} logs itself; its protocol is a {@link RecordingGate}'s. */
  final class GateWithItsOwnCall implements Gate {
    final RecordingGate protocol;

    GateWithItsOwnCall(String name) {
      this.protocol = new RecordingGate(name);
    }

    @Override
    public <T extends @Nullable Object, X extends Throwable> T call(CheckedCallable<T, X> c)
        throws X {
      log.add(protocol.name + ".call");
      return Gate.super.call(c);
    }

    @Override
    public long acquire() {
      return protocol.acquire();
    }

    @Override
    public void onResult(long permit, @Nullable Object result) {
      protocol.onResult(permit, result);
    }

    @Override
    public void onError(long permit, Throwable error) {
      protocol.onError(permit, error);
    }

    @Override
    public void release(long permit) {
      protocol.release(permit);
    }
  }

  /** A wrapper that logs around the rest of the pipeline. */
  final class RecordingWrapper implements Policy {
    final String name;

    RecordingWrapper(String name) {
      this.name = name;
    }

    @Override
    public <T extends @Nullable Object, X extends Throwable> T call(CheckedCallable<T, X> c)
        throws X {
      log.add(name + ".before");
      try {
        return c.call();
      } finally {
        log.add(name + ".after");
      }
    }

    @Override
    public <T extends @Nullable Object> CompletionStage<T> callAsync(
        Supplier<? extends CompletionStage<T>> supplier) {
      return supplier.get();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  @Test
  void runsOutermostFirstAndCompletesInReverse() {
    RecordingGate a = new RecordingGate("a");
    RecordingGate b = new RecordingGate("b");
    RecordingWrapper w = new RecordingWrapper("w");
    Pipeline p = Pipeline.of(w, a, b);
    assertThat(p).hasToString("w(a(b(call)))");
    assertThat(p.call(() -> "x")).isEqualTo("x");
    assertThat(log)
        .containsExactly("w.before", "a.acquire", "b.acquire", "b.result", "a.result", "w.after");
  }

  @Test
  void aPipelineDrivesAGateThroughItsPermitsNotItsCallMethod() {
    GateWithItsOwnCall g = new GateWithItsOwnCall("g");
    RecordingWrapper w = new RecordingWrapper("w");
    assertThat(Pipeline.of(w, g).call(() -> "x")).isEqualTo("x");
    assertThat(log).containsExactly("w.before", "g.acquire", "g.result", "w.after");
  }

  /** A wrapper that counts how often its {@code decorate} is asked, and logs like its parent. */
  final class DecoratingWrapper implements Policy {
    final RecordingWrapper calls;
    int decorated;

    DecoratingWrapper(String name) {
      this.calls = new RecordingWrapper(name);
    }

    @Override
    public <T extends @Nullable Object, X extends Throwable> T call(CheckedCallable<T, X> c)
        throws X {
      return calls.call(c);
    }

    @Override
    public <T extends @Nullable Object> Supplier<T> decorate(Supplier<T> supplier) {
      decorated++;
      return Policy.super.decorate(supplier);
    }

    @Override
    public <T extends @Nullable Object> CompletionStage<T> callAsync(
        Supplier<? extends CompletionStage<T>> supplier) {
      return supplier.get();
    }
  }

  @Test
  void aDecoratedPipelineRunsInTheSameOrderAsCall() {
    RecordingGate a = new RecordingGate("a");
    RecordingGate b = new RecordingGate("b");
    RecordingGate c = new RecordingGate("c");
    RecordingWrapper w = new RecordingWrapper("w");
    RecordingWrapper v = new RecordingWrapper("v");
    Pipeline p = Pipeline.of(w, a, b, v, c);
    Supplier<String> decorated = p.decorate(() -> "x");
    assertThat(log).isEmpty();

    assertThat(decorated.get()).isEqualTo("x");
    List<String> viaDecorate = List.copyOf(log);
    log.clear();
    assertThat(p.call(() -> "x")).isEqualTo("x");
    assertThat(viaDecorate)
        .isEqualTo(log)
        .containsExactly(
            "w.before",
            "a.acquire",
            "b.acquire",
            "v.before",
            "c.acquire",
            "c.result",
            "v.after",
            "b.result",
            "a.result",
            "w.after");
  }

  @Test
  void aDecoratedPipelineComposesEachWrapperOnceNotPerCall() {
    DecoratingWrapper outer = new DecoratingWrapper("outer");
    DecoratingWrapper inner = new DecoratingWrapper("inner");
    Pipeline p = Pipeline.of(outer, new RecordingGate("g"), Pipeline.of(inner));
    Supplier<String> decorated = p.decorate(() -> "x");
    for (int i = 0; i < 3; i++) {
      assertThat(decorated.get()).isEqualTo("x");
    }
    assertThat(outer.decorated).isOne();
    assertThat(inner.decorated).isOne();
    assertThat(log).hasSize(3 * 6);
  }

  @Test
  void aDecoratedPipelineDrivesAGateThroughItsPermitsNotItsCallMethod() {
    GateWithItsOwnCall g = new GateWithItsOwnCall("g");
    RecordingWrapper w = new RecordingWrapper("w");
    assertThat(Pipeline.of(w, g).decorate(() -> "x").get()).isEqualTo("x");
    assertThat(log).containsExactly("w.before", "g.acquire", "g.result", "w.after");
  }

  @Test
  void aDecoratedPipelineReleasesEveryHeldPermitOnEveryExitPath() {
    RecordingGate a = new RecordingGate("a");
    RecordingGate b = new RecordingGate("b");
    RecordingWrapper w = new RecordingWrapper("w");
    Pipeline p = Pipeline.of(a, w, b);
    Supplier<String> failing =
        p.decorate(
            () -> {
              throw new IllegalStateException("down");
            });
    assertThatThrownBy(failing::get).isInstanceOf(IllegalStateException.class).hasMessage("down");
    assertThat(log)
        .containsExactly(
            "a.acquire",
            "w.before",
            "b.acquire",
            "b.error IllegalStateException",
            "w.after",
            "a.error IllegalStateException");

    log.clear();
    b.refuse = true;
    Supplier<String> never = p.decorate(() -> "never");
    assertThatThrownBy(never::get).isInstanceOf(RejectedException.class);
    assertThat(log).containsExactly("a.acquire", "w.before", "b.refuse", "w.after", "a.error ");
    assertThat(a.held + b.held).isZero();
  }

  @Test
  void releasesEveryHeldPermitOnEveryExitPath() {
    RecordingGate a = new RecordingGate("a");
    RecordingGate b = new RecordingGate("b");
    RecordingGate c = new RecordingGate("c");
    Pipeline p = Pipeline.of(a, b, c);

    assertThatThrownBy(
            () ->
                p.call(
                    () -> {
                      throw new OutOfMemoryError("simulated");
                    }))
        .isInstanceOf(OutOfMemoryError.class);
    assertThat(log)
        .containsExactly(
            "a.acquire",
            "b.acquire",
            "c.acquire",
            "c.error OutOfMemoryError",
            "b.error OutOfMemoryError",
            "a.error OutOfMemoryError");

    log.clear();
    assertThatThrownBy(
            () ->
                p.call(
                    () -> {
                      throw new IOException("checked");
                    }))
        .isInstanceOf(IOException.class);
    assertThat(log).hasSize(6);

    log.clear();
    c.refuse = true;
    assertThatThrownBy(() -> p.call(() -> "never")).isInstanceOf(RejectedException.class);
    assertThat(log).containsExactly("a.acquire", "b.acquire", "c.refuse", "b.error ", "a.error ");
    assertThat(a.held + b.held + c.held).isZero();
  }

  @Test
  void releasesPermitsWhenTheCallIsInterrupted() {
    RecordingGate a = new RecordingGate("a");
    Pipeline p = Pipeline.of(a);
    assertThatThrownBy(
            () ->
                p.call(
                    () -> {
                      throw new InterruptedException();
                    }))
        .isInstanceOf(InterruptedException.class);
    assertThat(a.held).isZero();
  }

  @Test
  void anInnerRejectionIsNeverAFailureOfTheOuterBreaker() {
    CircuitBreaker outer =
        CircuitBreaker.of("outer", CircuitBreakerConfig.builder().consecutiveFailures(1).build());
    RecordingGate full = new RecordingGate("full");
    full.refuse = true;
    Pipeline p = Pipeline.of(outer, full);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> p.call(() -> "x")).isInstanceOf(RejectedException.class);
    }
    assertThat(outer.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  /** Where a {@link FaultyGate} throws an error of its own, as a listener of it would. */
  enum Step {
    ACQUIRE,
    RESULT,
    ERROR
  }

  /** A recording gate that throws an OutOfMemoryError of its own at one step, after logging. */
  final class FaultyGate implements Gate {
    final RecordingGate protocol;
    final Step step;

    FaultyGate(String name, Step step) {
      this.protocol = new RecordingGate(name);
      this.step = step;
    }

    private void fault(Step now) {
      if (now == step) {
        throw new OutOfMemoryError(protocol.name + " listener");
      }
    }

    @Override
    public long acquire() {
      long permit = protocol.acquire();
      fault(Step.ACQUIRE);
      return permit;
    }

    @Override
    public void onResult(long permit, @Nullable Object result) {
      protocol.onResult(permit, result);
      fault(Step.RESULT);
    }

    @Override
    public void onError(long permit, Throwable error) {
      protocol.onError(permit, error);
      fault(Step.ERROR);
    }

    @Override
    public void release(long permit) {
      protocol.release(permit);
    }
  }

  /** Runs {@code call} through {@code p}, decorated or not; returns what was thrown. */
  private static Throwable thrownThrough(Pipeline p, boolean decorated, Supplier<String> call) {
    Supplier<String> run = decorated ? p.decorate(call) : () -> p.get(call);
    try {
      String unused = run.get();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("nothing thrown");
  }

  @Test
  void theGatesOutsideAGateThatThrowsItsOwnErrorCompleteWithTheCallsOutcome() {
    Supplier<String> ok = () -> "x";
    Supplier<String> down =
        () -> {
          throw new IllegalStateException("down");
        };
    for (boolean decorated : new boolean[] {false, true}) {
      log.clear();
      Pipeline notCalled =
          Pipeline.of(
              new RecordingGate("a"), new RecordingGate("b"), new FaultyGate("f", Step.ACQUIRE));
      assertThat(thrownThrough(notCalled, decorated, ok)).hasMessage("f listener");
      assertThat(log)
          .as("decorated: %s", decorated)
          .containsExactly("a.acquire", "b.acquire", "f.acquire", "b.release", "a.release");

      log.clear();
      Pipeline succeeded =
          Pipeline.of(
              new RecordingGate("a"), new RecordingGate("b"), new FaultyGate("f", Step.RESULT));
      assertThat(thrownThrough(succeeded, decorated, ok)).hasMessage("f listener");
      assertThat(log)
          .as("decorated: %s", decorated)
          .containsExactly(
              "a.acquire", "b.acquire", "f.acquire", "f.result", "b.result", "a.result");

      log.clear();
      Pipeline failed =
          Pipeline.of(
              new RecordingGate("a"), new RecordingGate("b"), new FaultyGate("f", Step.ERROR));
      assertThat(thrownThrough(failed, decorated, down)).hasMessage("f listener");
      assertThat(log)
          .as("decorated: %s", decorated)
          .containsExactly(
              "a.acquire",
              "b.acquire",
              "f.acquire",
              "f.error IllegalStateException",
              "b.error IllegalStateException",
              "a.error IllegalStateException");
    }
  }

  @Test
  void anInnerBreakersListenerErrorIsNotAFailureOfTheOuterBreaker() {
    CircuitBreaker outer =
        CircuitBreaker.of("outer", CircuitBreakerConfig.builder().consecutiveFailures(1).build());
    CircuitBreaker inner = CircuitBreaker.ofDefaults("inner");
    inner.addListener(
        new dev.ballast.circuitbreaker.CircuitBreakerListener() {
          @Override
          public void onSuccess(long durationNanos) {
            throw new StackOverflowError("inner listener");
          }
        });
    Pipeline p = Pipeline.of(outer, inner);
    assertThatThrownBy(() -> p.call(() -> "x"))
        .isInstanceOf(StackOverflowError.class)
        .hasMessage("inner listener");
    assertThatThrownBy(() -> p.decorate(() -> "x").get())
        .isInstanceOf(StackOverflowError.class)
        .hasMessage("inner listener");
    assertThat(outer.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void aGatesOwnErrorLeavesItsRunOfGatesAsItselfNotAsACarrier() {
    RecordingGate a = new RecordingGate("a");
    RecordingWrapper w = new RecordingWrapper("w");
    Pipeline p = Pipeline.of(a, w, new FaultyGate("f", Step.RESULT));
    Throwable thrown = thrownThrough(p, false, () -> "x");
    assertThat(thrown).isExactlyInstanceOf(OutOfMemoryError.class).hasMessage("f listener");
    // Across a wrapper the outer gate sees what the wrapper let through: the gate's error itself.
    assertThat(log)
        .containsExactly(
            "a.acquire",
            "w.before",
            "f.acquire",
            "f.result",
            "w.after",
            "a.error OutOfMemoryError");
  }

  @Test
  void asyncCompletesPermitsWithTheOutcome() {
    RecordingGate a = new RecordingGate("a");
    RecordingGate b = new RecordingGate("b");
    Pipeline p = Pipeline.of(a, b);
    CompletableFuture<String> inner = new CompletableFuture<>();
    CompletionStage<String> out = p.callAsync(() -> inner);
    assertThat(a.held + b.held).isEqualTo(2);
    inner.complete("done");
    assertThat(out.toCompletableFuture().join()).isEqualTo("done");
    assertThat(a.held + b.held).isZero();
    assertThat(log).containsExactly("a.acquire", "b.acquire", "b.result", "a.result");
  }

  @Test
  void cancellingTheAsyncResultReleasesPermitsAndCancelsTheCall() {
    RecordingGate a = new RecordingGate("a");
    Pipeline p = Pipeline.of(a);
    CompletableFuture<String> inner = new CompletableFuture<>();
    CompletionStage<String> out = p.callAsync(() -> inner);
    out.toCompletableFuture().cancel(true);
    assertThat(a.held).isZero();
    assertThat(log).containsExactly("a.acquire", "a.release");
    assertThat(inner).isCancelled();
  }

  @Test
  void asyncRefusalIsAFailedStageNotAThrow() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("async");
    breaker.forceOpen();
    CompletionStage<String> out = breaker.callAsync(() -> CompletableFuture.completedFuture("x"));
    assertThat(out.toCompletableFuture())
        .isCompletedExceptionally()
        .failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(CircuitBreakerOpenException.class);
  }

  @Test
  void asyncFailureIsCountedByTheBreaker() {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "asyncfail", CircuitBreakerConfig.builder().consecutiveFailures(1).build());
    CompletionStage<String> out =
        breaker.callAsync(() -> CompletableFuture.failedFuture(new IOException("down")));
    assertThat(out.toCompletableFuture()).isCompletedExceptionally();
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void rejectsEmptyAndNullPolicies() {
    assertThatThrownBy(Pipeline::of)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("policies");
    assertThatThrownBy(() -> Pipeline.of(CircuitBreaker.ofDefaults("a"), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("policies[1]");
    assertThatThrownBy(() -> Pipeline.of((Policy[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("policies must not be null");
  }

  @Test
  void refusesTheSamePolicyTwiceNamingIt() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("inventory");
    assertThatThrownBy(() -> Pipeline.of(breaker, breaker))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "policies must hold each policy once, was circuitBreaker[inventory] at policies[0]"
                + " and again at policies[1]");
    Retry retry = Retry.ofDefaults("lookup");
    assertThatThrownBy(() -> Pipeline.of(retry, breaker, retry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retry[lookup] at policies[0] and again at policies[2]");
  }

  @Test
  void refusesAPolicyThatANestedPipelineAlreadyHolds() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("inventory");
    RecordingWrapper w = new RecordingWrapper("w");
    Pipeline inner = Pipeline.of(w, breaker);
    assertThatThrownBy(() -> Pipeline.of(breaker, inner))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "policies must hold each policy once, was circuitBreaker[inventory] at policies[0]"
                + " and again at policies[1][1] (inside the nested pipeline"
                + " w(circuitBreaker[inventory](call)))");
    assertThatThrownBy(() -> Pipeline.of(inner, Pipeline.of(Pipeline.of(w))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("w at policies[0][0] and again at policies[1][0][0]");
    assertThatThrownBy(() -> Pipeline.of(inner, inner))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at policies[0] and again at policies[1]");
  }

  @Test
  void distinctPoliciesNestFreely() {
    RecordingGate a = new RecordingGate("a");
    RecordingGate b = new RecordingGate("b");
    Pipeline p = Pipeline.of(a, Pipeline.of(b), Pipeline.of(new RecordingWrapper("w")));
    assertThat(p.call(() -> "x")).isEqualTo("x");
    assertThat(a.held + b.held).isZero();
  }
}
