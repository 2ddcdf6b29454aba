package dev.ballast.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Allocations;
import dev.ballast.RejectedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

final class TriggersTest {

  private static String throwIo() throws IOException {
    throw new IOException("disk");
  }

  private static String reject(RejectedException e) {
    throw e;
  }

  @Test
  void servesTheExceptionFallbackForAMatchingExceptionType() throws IOException {
    Fallback<String> f =
        Fallback.of(
            "types",
            FallbackConfig.<String>builder()
                .onException(IOException.class)
                .exceptionFallbackValue("default")
                .build());
    assertThat(f.apply(TriggersTest::throwIo)).isEqualTo("default");
    assertThat(f.stats().exceptionFallbacks()).isEqualTo(1);
  }

  @Test
  void aSubtypeOfAListedTypeMatches() throws IOException {
    Fallback<String> f =
        Fallback.of(
            "subtype",
            FallbackConfig.<String>builder()
                .onException(IOException.class)
                .exceptionFallbackValue("default")
                .build());
    assertThat(
            f.apply(
                () -> {
                  throw new java.io.FileNotFoundException("gone");
                }))
        .isEqualTo("default");
  }

  @Test
  void aCheckedExceptionNoTriggerMatchesPassesThroughUnchanged() {
    Fallback<String> f =
        Fallback.of(
            "checked",
            FallbackConfig.<String>builder()
                .onException(TimeoutException.class)
                .exceptionFallbackValue("default")
                .build());
    IOException thrown = new IOException("disk");
    // apply(...) declares IOException and nothing else checked: the catch below compiles
    try {
      f.apply(
          () -> {
            throw thrown;
          });
      throw new AssertionError("expected the IOException");
    } catch (IOException e) {
      assertThat(e).isSameAs(thrown);
      assertThat(e.getSuppressed()).isEmpty();
    }
    assertThat(f.stats().calls()).isEqualTo(1);
    assertThat(f.stats().fallbacks()).isZero();
  }

  @Test
  void byDefaultTheExceptionFallbackHandlesEveryExceptionButNoError() throws Exception {
    Fallback<String> f =
        Fallback.of(
            "default", FallbackConfig.<String>builder().exceptionFallbackValue("default").build());
    assertThat(f.apply(TriggersTest::throwIo)).isEqualTo("default");
    assertThat(
            f.apply(
                () -> {
                  throw new IllegalStateException("bug");
                }))
        .isEqualTo("default");
    assertThatThrownBy(
            () ->
                f.apply(
                    () -> {
                      throw new AssertionError("an error is not degraded away");
                    }))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void anExplicitTriggerCanMatchErrors() {
    Fallback<String> f =
        Fallback.of(
            "errors",
            FallbackConfig.<String>builder()
                .onException(LinkageError.class)
                .exceptionFallbackValue("default")
                .build());
    assertThat(
            f.apply(
                () -> {
                  throw new NoClassDefFoundError("optional.Plugin");
                }))
        .isEqualTo("default");
  }

  @Test
  void predicatesAndTypesAddUp() throws IOException {
    Fallback<String> f =
        Fallback.of(
            "either",
            FallbackConfig.<String>builder()
                .onException(IllegalStateException.class)
                .onExceptionWhen(e -> e.getMessage() != null && e.getMessage().startsWith("retry"))
                .exceptionFallback(e -> "for " + e.getMessage())
                .build());
    assertThat(
            f.apply(
                () -> {
                  throw new IOException("retry later");
                }))
        .isEqualTo("for retry later");
    assertThat(
            f.apply(
                () -> {
                  throw new IllegalStateException("state");
                }))
        .isEqualTo("for state");
    assertThatThrownBy(() -> f.apply(TriggersTest::throwIo)).hasMessage("disk");
  }

  @Test
  void theExceptionFallbackSeesTheCause() {
    List<Throwable> seen = new ArrayList<>();
    Fallback<String> f =
        Fallback.of(
            "cause",
            FallbackConfig.<String>builder()
                .exceptionFallback(
                    e -> {
                      seen.add(e);
                      return "saw " + e.getClass().getSimpleName();
                    })
                .build());
    UncheckedIOException boom = new UncheckedIOException(new IOException("io"));
    assertThat(
            f.apply(
                () -> {
                  throw boom;
                }))
        .isEqualTo("saw UncheckedIOException");
    assertThat(seen).containsExactly(boom);
  }

  @Test
  void aRejectionNeverReachesTheExceptionFallback() {
    List<Throwable> seen = new ArrayList<>();
    Fallback<String> f =
        Fallback.of(
            "separate",
            FallbackConfig.<String>builder()
                .onExceptionWhen(
                    e -> {
                      seen.add(e);
                      return true;
                    })
                .exceptionFallbackValue("default")
                .build());
    RejectedException refused = Rejections.overload("bulkhead");
    assertThatThrownBy(() -> f.get(() -> reject(refused))).isSameAs(refused);
    assertThat(seen).isEmpty(); // the exception predicate was not even asked
    assertThat(f.stats().fallbacks()).isZero();
  }

  @Test
  void rejectionsGoToTheRejectionFallbackAndFailuresToTheExceptionFallback() throws IOException {
    Fallback<String> f =
        Fallback.of(
            "both",
            FallbackConfig.<String>builder()
                .rejectionFallback(e -> "cached (" + e.component() + ")")
                .onException(IOException.class)
                .exceptionFallbackValue("default")
                .build());
    assertThat(f.get(() -> reject(Rejections.overload("bulkhead")))).isEqualTo("cached (bulkhead)");
    assertThat(f.apply(TriggersTest::throwIo)).isEqualTo("default");
    assertThat(f.stats().rejectionFallbacks()).isEqualTo(1);
    assertThat(f.stats().exceptionFallbacks()).isEqualTo(1);
  }

  @Test
  void withOnlyARejectionFallbackARealFailureSurfaces() {
    Fallback<String> f =
        Fallback.of(
            "cache", FallbackConfig.<String>builder().rejectionFallbackValue("cached").build());
    assertThat(f.get(() -> reject(Rejections.overload("bulkhead")))).isEqualTo("cached");
    assertThatThrownBy(() -> f.apply(TriggersTest::throwIo))
        .isInstanceOf(IOException.class)
        .hasMessage("disk");
  }

  @Test
  void theRejectionFallbackSeesTheRejectionWithItsReasonAndRetryAfter() {
    List<RejectedException> seen = new ArrayList<>();
    Fallback<String> f =
        Fallback.of(
            "sees",
            FallbackConfig.<String>builder()
                .rejectionFallback(
                    e -> {
                      seen.add(e);
                      return "cached";
                    })
                .build());
    RejectedException open = Rejections.dependencyFailure("breaker", Duration.ofSeconds(3));
    assertThat(f.get(() -> reject(open))).isEqualTo("cached");
    assertThat(seen).containsExactly(open);
    assertThat(seen.get(0).retryAfter()).contains(Duration.ofSeconds(3));
  }

  @Test
  void rejectionsCanBeNarrowedByReason() {
    Fallback<String> f =
        Fallback.of(
            "reason",
            FallbackConfig.<String>builder()
                .onRejected(RejectedException.Reason.DEPENDENCY_FAILURE)
                .rejectionFallbackValue("cached")
                .build());
    assertThat(f.get(() -> reject(Rejections.dependencyFailure("breaker", Duration.ofSeconds(1)))))
        .isEqualTo("cached");
    RejectedException busy = Rejections.overload("bulkhead");
    assertThatThrownBy(() -> f.get(() -> reject(busy))).isSameAs(busy); // back pressure stays
  }

  @Test
  void rejectionsCanBeNarrowedByPredicate() {
    Fallback<String> f =
        Fallback.of(
            "when",
            FallbackConfig.<String>builder()
                .onRejectedWhen(e -> e.component().equals("breaker"))
                .rejectionFallbackValue("cached")
                .build());
    assertThat(f.get(() -> reject(Rejections.overload("breaker")))).isEqualTo("cached");
    assertThatThrownBy(() -> f.get(() -> reject(Rejections.overload("bulkhead"))))
        .isInstanceOf(RejectedException.class);
  }

  @Test
  void rejectionNarrowingsAddUp() {
    Fallback<String> f =
        Fallback.of(
            "narrowed",
            FallbackConfig.<String>builder()
                .onRejected(RejectedException.Reason.DEPENDENCY_FAILURE)
                .onRejectedWhen(e -> e.component().equals("limiter"))
                .rejectionFallbackValue("cached")
                .build());
    assertThat(f.get(() -> reject(Rejections.dependencyFailure("breaker", Duration.ofSeconds(1)))))
        .as("matched by its reason")
        .isEqualTo("cached");
    assertThat(f.get(() -> reject(Rejections.overload("limiter"))))
        .as("matched by the predicate")
        .isEqualTo("cached");
    RejectedException busy = Rejections.overload("bulkhead");
    assertThatThrownBy(() -> f.get(() -> reject(busy))).as("matched by neither").isSameAs(busy);
    assertThat(f.stats().rejectionFallbacks()).isEqualTo(2);
  }

  @Test
  @SuppressWarnings("NullAway") // NullAway 0.12 reads no type-use bound from bytecode
  void rethrowingTheRejectionLetsItSurfaceUnchanged() {
    Fallback<@Nullable String> f =
        Fallback.of(
            "miss",
            FallbackConfig.<@Nullable String>builder()
                .rejectionFallback(
                    e -> {
                      throw e; // nothing cached
                    })
                .build());
    RejectedException refused = Rejections.overload("bulkhead");
    assertThatThrownBy(() -> f.get(() -> reject(refused))).isSameAs(refused);
    assertThat(refused.getSuppressed()).isEmpty();
    assertThat(f.stats().fallbackFailures()).isEqualTo(1);
  }

  @Test
  void servesTheResultFallbackForAMatchingResult() {
    Fallback<String> f =
        Fallback.of(
            "result",
            FallbackConfig.<String>builder()
                .onResult(String::isEmpty)
                .resultFallback(r -> "was '" + r + "'")
                .build());
    assertThat(f.get(() -> "")).isEqualTo("was ''");
    assertThat(f.get(() -> "fine")).isEqualTo("fine");
    assertThat(f.stats().resultFallbacks()).isEqualTo(1);
    assertThat(f.stats().calls()).isEqualTo(2);
  }

  @Test
  @SuppressWarnings("NullAway") // NullAway 0.12 reads no type-use bound from bytecode
  void resultPredicatesAddUpAndMayMatchNull() {
    Fallback<@Nullable String> f =
        Fallback.of(
            "nulls",
            FallbackConfig.<@Nullable String>builder()
                .onResult(r -> r == null)
                .onResult(r -> "n/a".equals(r))
                .resultFallbackValue("default")
                .build());
    assertThat(f.apply(() -> null)).isEqualTo("default");
    assertThat(f.get(() -> "n/a")).isEqualTo("default");
    assertThat(f.get(() -> "x")).isEqualTo("x");
  }

  @Test
  @SuppressWarnings("NullAway") // NullAway 0.12 reads no type-use bound from bytecode
  void aFallbackValueMayBeNull() {
    Fallback<@Nullable String> f =
        Fallback.of(
            "null",
            FallbackConfig.<@Nullable String>builder().exceptionFallbackValue(null).build());
    assertThat(
            f.apply(
                () -> {
                  throw new IllegalStateException();
                }))
        .isNull();
  }

  @Test
  void theResultTriggerLeavesExceptionsAlone() {
    Fallback<String> f =
        Fallback.of(
            "resultonly",
            FallbackConfig.<String>builder()
                .onResult(String::isEmpty)
                .resultFallbackValue("default")
                .build());
    assertThatThrownBy(() -> f.apply(TriggersTest::throwIo)).isInstanceOf(IOException.class);
  }

  @Test
  @SuppressWarnings("NullAway") // NullAway 0.12 reads no type-use bound from bytecode
  void runAndDecorateGoThroughTheFallback() {
    Fallback<@Nullable Object> f =
        Fallback.of(
            "forms",
            FallbackConfig.<@Nullable Object>builder().exceptionFallbackValue(null).build());
    f.run(
        () -> {
          throw new IllegalStateException("swallowed: the fallback answers null");
        });
    java.util.function.Supplier<String> guarded =
        f.decorate(
            () -> {
              throw new IllegalStateException();
            });
    assertThat(guarded.get()).isNull();
    assertThat(f.stats().exceptionFallbacks()).isEqualTo(2);
  }

  @Test
  void anInterruptedCallThatIsDegradedKeepsTheInterruptFlag() throws InterruptedException {
    Fallback<String> f =
        Fallback.of(
            "interrupt",
            FallbackConfig.<String>builder()
                .onException(InterruptedException.class)
                .exceptionFallbackValue("default")
                .build());
    try {
      assertThat(
              f.apply(
                  () -> {
                    throw new InterruptedException("stop");
                  }))
          .isEqualTo("default");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      boolean unused = Thread.interrupted();
    }
    assertThat(f.apply(() -> "next")).isEqualTo("next");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void succeedsWithoutAllocatingWhenNoResultTriggerIsSet() {
    Fallback<String> f =
        Fallback.of("alloc", FallbackConfig.<String>builder().exceptionFallbackValue("x").build());
    dev.ballast.CheckedCallable<String, RuntimeException> call = () -> "ok";
    assertThat(Allocations.bytesPerCall(() -> f.call(call))).isZero();
    java.util.function.Supplier<String> ok = () -> "ok";
    assertThat(Allocations.bytesPerCall(() -> f.get(ok))).isZero();
    Runnable nothing = () -> {};
    assertThat(Allocations.bytesPerCall(() -> f.run(nothing))).isZero();
  }

  @Test
  void runIsGuardedLikeCallAndDropsTheSubstitute() {
    Fallback<String> f =
        Fallback.of(
            "run",
            FallbackConfig.<String>builder()
                .onException(IllegalStateException.class)
                .exceptionFallbackValue("x")
                .build());
    f.run(
        () -> {
          throw new IllegalStateException("down");
        });
    assertThatThrownBy(
            () ->
                f.run(
                    () -> {
                      throw new IllegalArgumentException("not a trigger");
                    }))
        .hasMessage("not a trigger");
    assertThat(f.stats().calls()).isEqualTo(2);
    assertThat(f.stats().exceptionFallbacks()).isEqualTo(1);
  }
}
