package dev.ballast.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.RejectedException;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class AsyncTest {

  private static Fallback<String> both() {
    return Fallback.of(
        "async",
        FallbackConfig.<String>builder()
            .onException(IOException.class)
            .exceptionFallback(e -> "default for " + e.getMessage())
            .rejectionFallbackValue("cached")
            .onResult(String::isEmpty)
            .resultFallbackValue("was empty")
            .build());
  }

  private static CompletableFuture<String> future(CompletionStage<String> stage) {
    return stage.toCompletableFuture();
  }

  @Test
  void passesAResultThroughWhenItCompletesLater() {
    Fallback<String> f = both();
    CompletableFuture<String> inner = new CompletableFuture<>();
    CompletableFuture<String> out = future(f.applyAsync(() -> inner));
    assertThat(out).isNotDone();
    assertThat(f.stats().calls()).as("counted when it starts").isEqualTo(1);
    inner.complete("fine");
    assertThat(out).isCompletedWithValue("fine");
    assertThat(f.stats().calls()).isEqualTo(1);
    assertThat(f.stats().fallbacks()).isZero();
  }

  @Test
  void servesTheExceptionFallbackWhenTheStageFails() {
    Fallback<String> f = both();
    CompletableFuture<String> inner = new CompletableFuture<>();
    CompletableFuture<String> out = future(f.applyAsync(() -> inner));
    inner.completeExceptionally(new IOException("disk"));
    assertThat(out).isCompletedWithValue("default for disk");
    assertThat(f.stats().exceptionFallbacks()).isEqualTo(1);
  }

  @Test
  void unwrapsACompletionExceptionBeforeMatching() {
    Fallback<String> f = both();
    CompletableFuture<String> inner = new CompletableFuture<>();
    CompletableFuture<String> out = future(f.applyAsync(() -> inner.thenApply(s -> s)));
    inner.completeExceptionally(new IOException("wrapped"));
    assertThat(out).isCompletedWithValue("default for wrapped");
  }

  @Test
  void servesTheRejectionFallbackForAFailedStageOfRejection() {
    Fallback<String> f = both();
    CompletionStage<String> out =
        f.callAsync(() -> CompletableFuture.failedFuture(Rejections.overload("bulkhead")));
    assertThat(future(out)).isCompletedWithValue("cached");
    assertThat(f.stats().rejectionFallbacks()).isEqualTo(1);
  }

  @Test
  void servesTheResultFallbackForAMatchingResult() {
    Fallback<String> f = both();
    assertThat(future(f.applyAsync(() -> CompletableFuture.completedFuture(""))))
        .isCompletedWithValue("was empty");
  }

  @Test
  void anUnmatchedFailurePassesThroughUnwrapped() {
    Fallback<String> f = both();
    IllegalStateException bug = new IllegalStateException("bug");
    CompletableFuture<String> out = future(f.applyAsync(() -> CompletableFuture.failedFuture(bug)));
    assertThat(out).isCompletedExceptionally();
    assertThat(out.handle((r, e) -> e)).isCompletedWithValue(bug);
  }

  @Test
  void aRejectionWithoutARejectionFallbackPassesThrough() {
    Fallback<String> f =
        Fallback.of(
            "asyncnorej",
            FallbackConfig.<String>builder().exceptionFallbackValue("default").build());
    RejectedException refused = Rejections.overload("bulkhead");
    CompletableFuture<String> out =
        future(f.applyAsync(() -> CompletableFuture.failedFuture(refused)));
    assertThat(out.handle((r, e) -> e)).isCompletedWithValue(refused);
  }

  @Test
  void aThrowingFallbackFailsTheStageWithTheOriginalSuppressed() {
    Fallback<String> f =
        Fallback.of(
            "asyncthrows",
            FallbackConfig.<String>builder()
                .exceptionFallback(
                    e -> {
                      throw new IllegalStateException("cache down");
                    })
                .build());
    IOException original = new IOException("disk");
    CompletableFuture<String> out =
        future(f.applyAsync(() -> CompletableFuture.failedFuture(original)));
    Throwable error = out.handle((r, e) -> e).join();
    assertThat(error).isInstanceOf(IllegalStateException.class).hasMessage("cache down");
    assertThat(error.getSuppressed()).containsExactly(original);
    assertThat(f.stats().fallbackFailures()).isEqualTo(1);
  }

  @Test
  void aSupplierThatThrowsIsTheCallsException() {
    Fallback<String> f = both();
    CompletionStage<String> out =
        f.callAsync(
            () -> {
              throw new java.io.UncheckedIOException(new IOException("no start"));
            });
    // not an IOException: the default trigger was narrowed to IOException, so it surfaces
    assertThat(future(out).handle((r, e) -> e))
        .isCompletedWithValueMatching(e -> e instanceof java.io.UncheckedIOException);
    Fallback<String> any =
        Fallback.of("any", FallbackConfig.<String>builder().exceptionFallbackValue("d").build());
    assertThat(
            future(
                any.callAsync(
                    () -> {
                      throw new IllegalStateException();
                    })))
        .isCompletedWithValue("d");
  }

  @Test
  void aNullStageIsANullPointerException() {
    Fallback<String> f =
        Fallback.of(
            "nullstage",
            FallbackConfig.<String>builder()
                .onException(NullPointerException.class)
                .exceptionFallback(e -> String.valueOf(e.getMessage()))
                .build());
    assertThat(future(f.callAsync(() -> null)))
        .isCompletedWithValue("supplier returned a null stage");
  }

  @Test
  void cancellingTheResultCancelsTheCallAndRunsNoFallback() {
    AtomicInteger fallbacks = new AtomicInteger();
    Fallback<String> f =
        Fallback.of(
            "cancel",
            FallbackConfig.<String>builder()
                .exceptionFallback(
                    e -> {
                      fallbacks.incrementAndGet();
                      return "default";
                    })
                .build());
    CompletableFuture<String> inner = new CompletableFuture<>();
    CompletableFuture<String> out = future(f.applyAsync(() -> inner));
    assertThat(out.cancel(true)).isTrue();
    assertThat(inner).isCancelled();
    assertThat(fallbacks).hasValue(0);
    assertThat(f.stats().fallbacks()).isZero();
    assertThat(out.handle((r, e) -> e))
        .isCompletedWithValueMatching(e -> e instanceof CancellationException);
  }

  @Test
  void theFallbackRunsOnTheThreadThatCompletesTheStage() throws Exception {
    Fallback<String> f =
        Fallback.of(
            "thread",
            FallbackConfig.<String>builder()
                .exceptionFallback(e -> Thread.currentThread().getName())
                .build());
    CompletableFuture<String> inner = new CompletableFuture<>();
    CompletableFuture<String> out = future(f.applyAsync(() -> inner));
    Thread completer =
        new Thread(() -> inner.completeExceptionally(new IOException("x")), "completer");
    completer.setDaemon(true);
    completer.start();
    completer.join();
    assertThat(out.join()).isEqualTo("completer");
    assertThat(out).isNotInstanceOf(CompletionException.class);
  }
}
