package dev.ballast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The default methods of {@link Gate}, as a library author's own gate inherits them. */
final class GateTest {
  private final List<String> log = new CopyOnWriteArrayList<>();

  /** A gate that overrides only the protocol: it logs each step and may refuse or break. */
  final class LoggingGate implements Gate {
    boolean refuse;
    @Nullable RuntimeException broken;

    @Override
    public long acquire() {
      if (broken != null) {
        throw broken;
      }
      if (refuse) {
        throw new RejectedException(
            "mine", RejectedException.Reason.OVERLOAD, null, "full", false) {
          private static final long serialVersionUID = 1L;
        };
      }
      log.add("acquire");
      return 7;
    }

    @Override
    public void onResult(long permit, @Nullable Object result) {
      log.add("result " + permit + " " + result);
    }

    @Override
    public void onError(long permit, Throwable error) {
      log.add("error " + permit + " " + error.getClass().getSimpleName());
    }

    @Override
    public void release(long permit) {
      log.add("release " + permit);
    }
  }

  @Test
  void theDefaultTryAcquireReturnsThePermitOrRefusedInsteadOfTheRejection() {
    LoggingGate gate = new LoggingGate();
    assertThat(gate.tryAcquire()).isEqualTo(7);
    gate.refuse = true;
    assertThat(gate.tryAcquire()).isEqualTo(Gate.REFUSED);
    gate.broken = new IllegalStateException("not a refusal");
    assertThatThrownBy(gate::tryAcquire).isSameAs(gate.broken); // only a rejection is a refusal
  }

  @Test
  void getAndRunCompleteThePermitWithTheOutcome() {
    LoggingGate gate = new LoggingGate();
    assertThat(gate.get(() -> "x")).isEqualTo("x");
    gate.run(() -> log.add("ran"));
    assertThat(log).containsExactly("acquire", "result 7 x", "acquire", "ran", "result 7 null");
    log.clear();
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(
            () ->
                gate.get(
                    () -> {
                      throw boom;
                    }))
        .isSameAs(boom);
    assertThatThrownBy(
            () ->
                gate.run(
                    () -> {
                      throw boom;
                    }))
        .isSameAs(boom);
    assertThat(log)
        .containsExactly(
            "acquire", "error 7 IllegalStateException", "acquire", "error 7 IllegalStateException");
  }

  @Test
  @SuppressWarnings("NullAway") // the supplier returns null on purpose
  void aSupplierThatReturnsNoStageFailsTheStageAndCompletesThePermit() {
    LoggingGate gate = new LoggingGate();
    CompletionStage<String> out = gate.callAsync(() -> null);
    assertThat(out.toCompletableFuture())
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(NullPointerException.class)
        .withMessage("supplier returned a null stage");
    assertThat(log).containsExactly("acquire", "error 7 NullPointerException");
  }

  @Test
  void aStageFailedWithACompletionExceptionIsJudgedByItsCauseWhenItHasOne() {
    LoggingGate gate = new LoggingGate();
    IllegalStateException cause = new IllegalStateException("down");
    CompletionStage<String> wrapped =
        gate.callAsync(() -> CompletableFuture.failedFuture(new CompletionException(cause)));
    assertThat(wrapped.toCompletableFuture())
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCause(cause);
    CompletionException bare = new CompletionException("no cause", null);
    CompletionStage<String> unwrapped = gate.callAsync(() -> CompletableFuture.failedFuture(bare));
    assertThat(unwrapped.toCompletableFuture())
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCause(bare);
    assertThat(log)
        .containsExactly(
            "acquire", "error 7 IllegalStateException", "acquire", "error 7 CompletionException");
  }
}
