package dev.ballast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerListener;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.testlog.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user callback (listener, classifier predicate) that throws while a gate records an outcome: the
 * stage Ballast returns always completes; a VirtualMachineError is what it completes with, after
 * the breaker has counted the outcome; anything else is logged and the call's own outcome is
 * delivered. The same on the synchronous path, where the error reaches the caller.
 */
final class CallbackErrorTest {
  private final TestTicker ticker = new TestTicker();

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  /** Throws {@code error} from every outcome and transition it hears. */
  static final class Throwing implements CircuitBreakerListener {
    private final Supplier<? extends Throwable> error;

    Throwing(Supplier<? extends Throwable> error) {
      this.error = error;
    }

    private void fire() {
      Throwable t = error.get();
      if (t instanceof RuntimeException r) {
        throw r;
      }
      throw (Error) t;
    }

    @Override
    public void onSuccess(long durationNanos) {
      fire();
    }

    @Override
    public void onFailure(long durationNanos, @Nullable Throwable e) {
      fire();
    }

    @Override
    public void onStateTransition(CircuitBreakerState from, CircuitBreakerState to) {
      fire();
    }

    @Override
    public void onRejected(CircuitBreakerState state) {
      fire();
    }
  }

  private CircuitBreaker breaker(String name, CircuitBreakerListener listener) {
    CircuitBreaker b =
        CircuitBreaker.of(
            name,
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .countWindow(10)
                .minimumCalls(2)
                .failureRateThreshold(1.0)
                .waitInOpen(Duration.ofSeconds(10))
                .build());
    b.addListener(listener);
    return b;
  }

  private static Throwable failure(CompletionStage<?> stage) {
    CompletableFuture<?> f = stage.toCompletableFuture();
    assertThat(f).isDone();
    try {
      f.get();
    } catch (ExecutionException e) {
      return java.util.Objects.requireNonNull(e.getCause());
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("completed normally");
  }

  @Test
  void aStackOverflowFromAListenerCompletesTheStageAfterTheSuccessIsCounted() {
    CircuitBreaker b = breaker("sof", new Throwing(() -> new StackOverflowError("listener")));
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> out = b.callAsync(() -> call);
    call.complete("ok"); // the callback runs here, on this thread
    assertThat(failure(out)).isInstanceOf(StackOverflowError.class).hasMessage("listener");
    assertThat(b.stats().windowCalls()).isEqualTo(1);
    assertThat(b.stats().windowSuccesses()).isEqualTo(1);
  }

  @Test
  void aStackOverflowFromAListenerCompletesTheStageAfterTheFailureIsCounted() {
    CircuitBreaker b = breaker("sof2", new Throwing(() -> new StackOverflowError("listener")));
    for (int i = 0; i < 2; i++) {
      CompletableFuture<String> call = new CompletableFuture<>();
      CompletionStage<String> out = b.callAsync(() -> call);
      call.completeExceptionally(new IOException("down"));
      assertThat(failure(out)).isInstanceOf(StackOverflowError.class);
    }
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN); // both failures counted
    CompletionStage<String> refused = b.callAsync(() -> CompletableFuture.completedFuture("x"));
    assertThat(failure(refused)).isInstanceOf(StackOverflowError.class); // from onRejected
  }

  @Test
  void aRuntimeExceptionFromAListenerIsLoggedAndTheOutcomeDelivered() {
    CircuitBreaker b = breaker("rte", new Throwing(() -> new IllegalStateException("listener")));
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> out = b.callAsync(() -> call);
    call.complete("ok");
    assertThat(out.toCompletableFuture()).isCompletedWithValue("ok");
    IOException down = new IOException("down");
    CompletableFuture<String> failing = new CompletableFuture<>();
    CompletionStage<String> failed = b.callAsync(() -> failing);
    failing.completeExceptionally(down);
    assertThat(failure(failed)).isSameAs(down);
    assertThat(
            LogCapture.lines(CircuitBreaker.class.getName()).stream()
                .filter(l -> l.message().equals("name=rte listener threw; ignored")))
        .hasSize(1); // the second is suppressed within the interval
  }

  @Test
  void aStackOverflowFromAClassifierPredicateCompletesTheStage() {
    CircuitBreaker b =
        CircuitBreaker.of(
            "cls",
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .consecutiveFailures(1)
                .classifier(
                    OutcomeClassifier.builder()
                        .failureWhen(
                            t -> {
                              throw new StackOverflowError("predicate");
                            })
                        .build())
                .build());
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> out = b.callAsync(() -> call);
    call.completeExceptionally(new IOException("down"));
    assertThat(failure(out)).isInstanceOf(StackOverflowError.class).hasMessage("predicate");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.OPEN); // counted with the default
  }

  @Test
  void onTheSynchronousPathTheErrorReachesTheCallerAfterTheOutcomeIsCounted() {
    CircuitBreaker b = breaker("sync", new Throwing(() -> new StackOverflowError("listener")));
    assertThatThrownBy(() -> b.call(() -> "ok")).isInstanceOf(StackOverflowError.class);
    assertThat(b.stats().windowSuccesses()).isEqualTo(1);
    CircuitBreaker quiet = breaker("sync2", new Throwing(() -> new IllegalStateException("x")));
    assertThat(quiet.call(() -> "ok")).isEqualTo("ok");
  }

  /** A gate of someone else's, whose completion throws what it is given. */
  static final class BrokenGate implements Gate {
    private final Supplier<? extends Throwable> error;
    int completions;

    BrokenGate(Supplier<? extends Throwable> error) {
      this.error = error;
    }

    private void fire() {
      completions++;
      Throwable t = error.get();
      if (t instanceof RuntimeException r) {
        throw r;
      }
      throw (Error) t;
    }

    @Override
    public long acquire() {
      return 1;
    }

    @Override
    public void onResult(long permit, @Nullable Object result) {
      fire();
    }

    @Override
    public void onError(long permit, Throwable e) {
      fire();
    }

    @Override
    public void release(long permit) {
      fire();
    }

    @Override
    public String toString() {
      return "broken";
    }
  }

  @Test
  void anyGatesThrowingCompletionNeverLeavesTheStageIncomplete() {
    BrokenGate overflow = new BrokenGate(() -> new StackOverflowError("gate"));
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> out = overflow.callAsync(() -> call);
    call.complete("ok");
    assertThat(failure(out)).isInstanceOf(StackOverflowError.class);
    CompletionStage<String> thrown =
        overflow.callAsync(
            () -> {
              throw new IllegalArgumentException("supplier");
            });
    assertThat(failure(thrown)).isInstanceOf(StackOverflowError.class);

    BrokenGate buggy = new BrokenGate(() -> new IllegalStateException("gate bug"));
    CompletableFuture<String> call2 = new CompletableFuture<>();
    CompletionStage<String> out2 = buggy.callAsync(() -> call2);
    call2.complete("ok");
    assertThat(out2.toCompletableFuture()).isCompletedWithValue("ok");
    CompletableFuture<String> call3 = new CompletableFuture<>();
    CompletionStage<String> out3 = buggy.callAsync(() -> call3);
    out3.toCompletableFuture().cancel(true); // release throws: logged, the stage is cancelled
    assertThat(out3.toCompletableFuture()).isCancelled();
    assertThat(call3).isCancelled();
    assertThat(buggy.completions).isEqualTo(2);
    // The only test that makes a foreign gate throw: the process-wide throttled line shows it.
    assertThat(LogCapture.lines(Gate.class.getName()))
        .anySatisfy(l -> assertThat(l.message()).startsWith("name=gate broken threw"));
  }

  @Test
  void aRefusalWhoseListenerOverflowsIsAFailedStageNotAThrow() {
    CircuitBreaker b = CircuitBreaker.ofDefaults("refusal");
    b.forceOpen();
    b.addListener(new Throwing(() -> new StackOverflowError("rejected")));
    CompletionStage<String> out = b.callAsync(() -> CompletableFuture.completedFuture("x"));
    assertThat(failure(out)).isInstanceOf(StackOverflowError.class);
  }
}
