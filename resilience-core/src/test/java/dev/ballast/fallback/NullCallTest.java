package dev.ballast.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.CheckedCallable;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A null call is the caller's bug: no fallback may hide it behind a substitute. Every entry throws
 * a {@link NullPointerException} naming the parameter before anything is counted, served or heard.
 */
@SuppressWarnings("NullAway") // passes null on purpose
final class NullCallTest {
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private final Fallback<String> fallback =
      Fallback.of(
          "nulls",
          FallbackConfig.<String>builder()
              .exceptionFallbackValue("substitute")
              .rejectionFallbackValue("cached")
              .build());

  {
    fallback.addListener(
        new FallbackListener() {
          @Override
          public void onFallback(FallbackTrigger trigger, @Nullable Throwable cause) {
            heard.add("fallback " + cause);
          }
        });
  }

  private static void refuses(ThrowingCallable call, String parameter) {
    assertThatThrownBy(call)
        .isInstanceOf(NullPointerException.class)
        .hasMessage(parameter + " must not be null");
  }

  @Test
  void everyEntryRefusesANullCallInsteadOfServingTheSubstitute() {
    refuses(() -> fallback.call((CheckedCallable<String, RuntimeException>) null), "callable");
    refuses(() -> fallback.apply((CheckedCallable<String, RuntimeException>) null), "callable");
    refuses(() -> fallback.get((Supplier<String>) null), "supplier");
    refuses(() -> fallback.run(null), "runnable");
    refuses(() -> fallback.callAsync((Supplier<CompletionStage<String>>) null), "supplier");
    refuses(() -> fallback.applyAsync(null), "supplier");
    assertThat(fallback.stats().calls()).as("nothing counted").isZero();
    assertThat(fallback.stats().fallbacks()).as("nothing served").isZero();
    assertThat(heard).as("no listener event").isEmpty();
  }

  @Test
  void runServesNoValueButStillHandlesTheException() {
    List<String> ran = new CopyOnWriteArrayList<>();
    fallback.run(() -> ran.add("ran"));
    fallback.run(
        () -> {
          throw new IllegalStateException("down");
        });
    assertThat(ran).containsExactly("ran");
    assertThat(fallback.stats().calls()).isEqualTo(2);
    assertThat(fallback.stats().exceptionFallbacks()).isEqualTo(1);
  }
}
