package dev.ballast.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.testlog.LogCapture;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * DESIGN, "Operators", for the fallback's user callbacks: a listener or predicate that throws a
 * {@link VirtualMachineError} reaches the caller (thrown, or as the completion of the returned
 * stage, which always completes); anything else is logged and the caller's outcome is delivered
 * unchanged. A fallback function is the exception: what it throws is the outcome.
 */
final class ThrowingCallbackTest {

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  private static FallbackListener throwing(Supplier<? extends Throwable> error) {
    return new FallbackListener() {
      @Override
      public void onFallback(FallbackTrigger trigger, @Nullable Throwable cause) {
        sneaky(error.get());
      }

      @Override
      public void onFallbackFailed(
          FallbackTrigger trigger, @Nullable Throwable cause, Throwable thrown) {
        sneaky(error.get());
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static <X extends Throwable> void sneaky(Throwable t) throws X {
    throw (X) t;
  }

  private static Throwable failureOf(CompletionStage<?> stage) {
    CompletableFuture<?> f = stage.toCompletableFuture();
    assertThat(f).as("the returned stage completed").isCompletedExceptionally();
    return f.handle((r, e) -> e).join();
  }

  private static List<LogCapture.Line> warnings(String name) {
    return LogCapture.lines(Fallback.class.getName()).stream()
        .filter(l -> l.level() == Level.WARN && l.message().startsWith("name=" + name + " "))
        .toList();
  }

  private static Fallback<String> serving(String name) {
    return Fallback.of(
        name, FallbackConfig.<String>builder().exceptionFallbackValue("default").build());
  }

  @Test
  void aStackOverflowInAListenerReachesTheSyncCallerAfterTheSubstituteIsCounted() {
    Fallback<String> f = serving("sync-soe");
    f.addListener(throwing(() -> new StackOverflowError("listener recursed")));
    assertThatThrownBy(
            () ->
                f.get(
                    () -> {
                      throw new IllegalStateException("down");
                    }))
        .isInstanceOf(StackOverflowError.class);
    assertThat(f.stats().exceptionFallbacks()).isEqualTo(1);
    assertThat(warnings("sync-soe")).isEmpty();
  }

  @Test
  void aStackOverflowInAListenerCompletesTheReturnedStageWithIt() {
    Fallback<String> f = serving("async-soe");
    f.addListener(throwing(() -> new StackOverflowError("listener recursed")));
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> out = f.applyAsync(() -> call);
    call.completeExceptionally(new IOException("down"));
    assertThat(failureOf(out)).isInstanceOf(StackOverflowError.class);
    assertThat(f.stats().exceptionFallbacks()).isEqualTo(1);
  }

  @Test
  void aStackOverflowInATriggerPredicateIsNotMistakenForNoMatch() {
    Fallback<String> f =
        Fallback.of(
            "predicate-soe",
            FallbackConfig.<String>builder()
                .onExceptionWhen(
                    e -> {
                      throw new StackOverflowError("predicate recursed");
                    })
                .exceptionFallbackValue("default")
                .onResult(
                    r -> {
                      throw new StackOverflowError("predicate recursed");
                    })
                .resultFallbackValue("empty")
                .build());
    assertThatThrownBy(
            () ->
                f.get(
                    () -> {
                      throw new IllegalStateException("down");
                    }))
        .isInstanceOf(StackOverflowError.class);
    assertThatThrownBy(() -> f.get(() -> "")).isInstanceOf(StackOverflowError.class);
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> out = f.applyAsync(() -> call);
    call.completeExceptionally(new IOException("down"));
    assertThat(failureOf(out)).isInstanceOf(StackOverflowError.class);
    assertThat(failureOf(f.applyAsync(() -> CompletableFuture.completedFuture(""))))
        .isInstanceOf(StackOverflowError.class);
    assertThat(f.stats().fallbacks()).isZero();
    assertThat(warnings("predicate-soe")).isEmpty();
  }

  @Test
  void aRuntimeExceptionInAListenerLeavesTheSubstituteInPlaceSyncAndAsync() {
    Fallback<String> f = serving("rte");
    f.addListener(throwing(() -> new IllegalStateException("listener bug")));
    String served =
        f.get(
            () -> {
              throw new IllegalStateException("down");
            });
    assertThat(served).isEqualTo("default");
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> out = f.applyAsync(() -> call);
    call.completeExceptionally(new IOException("down"));
    assertThat(out.toCompletableFuture()).isCompletedWithValue("default");
    assertThat(f.stats().exceptionFallbacks()).isEqualTo(2);
    assertThat(warnings("rte"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.message()).isEqualTo("name=rte listener threw; ignored");
              assertThat(l.error()).hasMessage("listener bug");
            });
  }

  @Test
  void aSneakilyThrownCheckedExceptionFromAListenerIsCaughtToo() {
    Fallback<String> f = serving("sneaky");
    f.addListener(throwing(() -> new IOException("listener bug")));
    String served =
        f.get(
            () -> {
              throw new IllegalStateException("down");
            });
    assertThat(served).isEqualTo("default");
    assertThat(warnings("sneaky")).hasSize(1);
  }

  @Test
  void aFallbackFunctionThatOverflowsTheStackIsTheOutcomeAndIsNotGrown() {
    Fallback<String> f =
        Fallback.of(
            "function-soe",
            FallbackConfig.<String>builder()
                .exceptionFallback(
                    e -> {
                      throw new StackOverflowError("fallback recursed");
                    })
                .build());
    IOException original = new IOException("down");
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> out = f.applyAsync(() -> call);
    call.completeExceptionally(original);
    assertThat(failureOf(out))
        .isInstanceOf(StackOverflowError.class)
        .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
    assertThatThrownBy(
            () ->
                f.apply(
                    () -> {
                      throw original;
                    }))
        .isInstanceOf(StackOverflowError.class)
        .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
    assertThat(f.stats().fallbackFailures()).isEqualTo(2);
  }
}
