package dev.ballast.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Cancellable;
import dev.ballast.RejectedException;
import dev.ballast.Scheduler;
import dev.ballast.Ticker;
import dev.ballast.circuitbreaker.CircuitBreakerOpenException;
import java.io.IOException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

final class ValidationTest {

  private static void rejects(Consumer<FallbackConfig.Builder<String>> setter, String... words) {
    assertThatThrownBy(() -> setter.accept(FallbackConfig.<String>builder()))
        .isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(words));
  }

  @Test
  @SuppressWarnings({"NullAway", "unchecked"}) // passes null on purpose
  void namesTheParameterAndTheValueOfEveryBadSetting() {
    rejects(b -> b.onException((Class<? extends Throwable>[]) null), "types");
    rejects(b -> b.onException(), "types", "empty");
    rejects(b -> b.onException(IOException.class, null), "types[1]");
    rejects(
        b -> b.onException(CircuitBreakerOpenException.class),
        "types[0]",
        "onRejected",
        CircuitBreakerOpenException.class.getName());
    rejects(b -> b.onException(RejectedException.class), "types[0]", "RejectedException");
    rejects(b -> b.onExceptionWhen(null), "predicate");
    rejects(b -> b.exceptionFallback(null), "exceptionFallback");
    rejects(b -> b.onRejected((RejectedException.Reason[]) null), "reasons");
    rejects(b -> b.onRejected(), "reasons", "empty");
    rejects(b -> b.onRejected(RejectedException.Reason.OVERLOAD, null), "reasons[1]");
    rejects(b -> b.onRejectedWhen(null), "predicate");
    rejects(b -> b.rejectionFallback(null), "rejectionFallback");
    rejects(b -> b.onResult(null), "predicate");
    rejects(b -> b.resultFallback(null), "resultFallback");
    rejects(b -> b.scheduler(null), "scheduler must not be null");
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void theNameIsRequiredAndNotBlank() {
    assertThatThrownBy(
            () ->
                Fallback.of(
                    null, FallbackConfig.<String>builder().exceptionFallbackValue("x").build()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("name");
    assertThatThrownBy(
            () ->
                Fallback.of(
                    "  ", FallbackConfig.<String>builder().exceptionFallbackValue("x").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name")
        .hasMessageContaining("'  '");
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void theConfigIsRequired() {
    assertThatThrownBy(() -> Fallback.of("pricing", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("config must not be null");
  }

  @Test
  void checksTriggersAgainstFunctionsAtBuild() {
    rejects(
        FallbackConfig.Builder::build, "exceptionFallback", "rejectionFallback", "resultFallback");
    rejects(
        b -> b.onException(IOException.class).rejectionFallbackValue("x").build(),
        "onException",
        "exceptionFallback");
    rejects(
        b -> b.onRejected(RejectedException.Reason.OVERLOAD).exceptionFallbackValue("x").build(),
        "onRejected",
        "rejectionFallback");
    rejects(b -> b.onResult(String::isEmpty).exceptionFallbackValue("x").build(), "resultFallback");
    rejects(b -> b.resultFallbackValue("x").build(), "resultFallback", "onResult");
  }

  @Test
  void aFunctionSetterReplacesTheEarlierFunction() {
    Fallback<String> f =
        Fallback.of(
            "replace",
            FallbackConfig.<String>builder()
                .exceptionFallbackValue("first")
                .exceptionFallback(e -> "second")
                .build());
    assertThat(
            f.apply(
                () -> {
                  throw new IllegalStateException();
                }))
        .isEqualTo("second");
  }

  @Test
  void printsItsName() {
    Fallback<String> f =
        Fallback.of(
            "pricing", FallbackConfig.<String>builder().exceptionFallbackValue("x").build());
    assertThat(f).hasToString("fallback[pricing]");
    assertThat(f.name()).isEqualTo("pricing");
  }

  @Test
  @SuppressWarnings("NullAway") // a scheduler without a ticker, on purpose
  void aSchedulerWithoutATickerIsRefusedWhenTheFallbackIsBuilt() {
    Scheduler noTicker =
        new Scheduler() {
          @Override
          public Ticker ticker() {
            return null;
          }

          @Override
          public Cancellable schedule(Runnable task, long delayNanos) {
            throw new UnsupportedOperationException();
          }

          @Override
          public void sleep(long delayNanos) {}

          @Override
          public void close() {}
        };
    assertThatThrownBy(
            () ->
                Fallback.of(
                    "v",
                    FallbackConfig.<String>builder()
                        .exceptionFallbackValue("x")
                        .scheduler(noTicker)
                        .build()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("scheduler.ticker() must not be null");
  }
}
