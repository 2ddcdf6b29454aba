package dev.ballast.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.RejectedException;
import dev.ballast.testlog.LogCapture;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** What happens when the user's fallback functions and predicates themselves fail. */
final class FailuresTest {

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  @Test
  void aThrowingFallbackSurfacesItsExceptionWithTheOriginalSuppressed() {
    IllegalStateException cacheDown = new IllegalStateException("cache down");
    Fallback<String> f =
        Fallback.of(
            "throws",
            FallbackConfig.<String>builder()
                .exceptionFallback(
                    e -> {
                      throw cacheDown;
                    })
                .build());
    IOException original = new IOException("disk");
    assertThatThrownBy(
            () ->
                f.apply(
                    () -> {
                      throw original;
                    }))
        .isSameAs(cacheDown)
        .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(original));
    assertThat(f.stats().fallbackFailures()).isEqualTo(1);
    assertThat(f.stats().exceptionFallbacks()).isZero();
  }

  @Test
  void aThrowingRejectionFallbackSuppressesTheRejection() {
    Fallback<String> f =
        Fallback.of(
            "rejthrows",
            FallbackConfig.<String>builder()
                .rejectionFallback(
                    e -> {
                      throw new IllegalStateException("no cached copy");
                    })
                .build());
    RejectedException refused = Rejections.overload("bulkhead");
    assertThatThrownBy(
            () ->
                f.get(
                    () -> {
                      throw refused;
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no cached copy")
        .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(refused));
  }

  @Test
  void aThrowingResultFallbackSurfacesItsException() {
    Fallback<String> f =
        Fallback.of(
            "resthrows",
            FallbackConfig.<String>builder()
                .onResult(String::isEmpty)
                .resultFallback(
                    r -> {
                      throw new IllegalStateException("no default");
                    })
                .build());
    assertThatThrownBy(() -> f.get(() -> ""))
        .isInstanceOf(IllegalStateException.class)
        .satisfies(e -> assertThat(e.getSuppressed()).isEmpty()); // a result is not a Throwable
    assertThat(f.stats().fallbackFailures()).isEqualTo(1);
  }

  @Test
  void aThrowingExceptionPredicateIsLoggedAndTheOriginalSurfacesUnchanged() {
    Fallback<String> f =
        Fallback.of(
            "badpredicate",
            FallbackConfig.<String>builder()
                .onExceptionWhen(
                    e -> {
                      throw new IllegalStateException("predicate bug");
                    })
                .exceptionFallbackValue("default")
                .build());
    IOException original = new IOException("disk");
    assertThatThrownBy(
            () ->
                f.apply(
                    () -> {
                      throw original;
                    }))
        .isSameAs(original)
        .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
    assertThat(f.stats().fallbacks()).isZero();
    assertThat(f.stats().fallbackFailures()).isZero();
    assertThat(LogCapture.lines(Fallback.class.getName()))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.WARN);
              assertThat(l.message())
                  .isEqualTo(
                      "name=badpredicate exception predicate threw on java.io.IOException;"
                          + " no fallback");
              assertThat(l.error()).hasMessage("predicate bug");
            });
  }

  @Test
  void aThrowingRejectionPredicateLetsTheRejectionSurface() {
    Fallback<String> f =
        Fallback.of(
            "badrej",
            FallbackConfig.<String>builder()
                .onRejectedWhen(
                    e -> {
                      throw new IllegalStateException("predicate bug");
                    })
                .rejectionFallbackValue("cached")
                .build());
    RejectedException refused = Rejections.overload("bulkhead");
    assertThatThrownBy(
            () ->
                f.get(
                    () -> {
                      throw refused;
                    }))
        .isSameAs(refused);
  }

  @Test
  void aThrowingResultPredicateIsLoggedAndTheResultReturned() {
    Fallback<String> f =
        Fallback.of(
            "badresult",
            FallbackConfig.<String>builder()
                .onResult(
                    r -> {
                      throw new IllegalStateException("predicate bug");
                    })
                .resultFallbackValue("default")
                .build());
    assertThat(f.get(() -> "real")).isEqualTo("real");
    assertThat(LogCapture.lines(Fallback.class.getName()))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l.message())
                    .isEqualTo("name=badresult result predicate threw; no fallback"));
  }

  @Test
  void aResultOfTheWrongTypeThroughPolicyIsTreatedAsAThrowingPredicate() {
    Fallback<String> f =
        Fallback.of(
            "wrongtype",
            FallbackConfig.<String>builder()
                .onResult(String::isEmpty)
                .resultFallbackValue("default")
                .build());
    // Through the Policy methods the fallback cannot check the call's type: the predicate's
    // ClassCastException is logged and the call's own result comes back.
    Integer answer = f.call(() -> 42);
    assertThat(answer).isEqualTo(42);
  }

  @Test
  void aFallbackOfTheWrongTypeThroughPolicyFailsWhereTheCallerUsesIt() {
    Fallback<String> f =
        Fallback.of(
            "mistyped", FallbackConfig.<String>builder().exceptionFallbackValue("x").build());
    assertThatThrownBy(
            () -> {
              Integer unused =
                  f.call(
                      () -> {
                        throw new IllegalStateException();
                      });
            })
        .isInstanceOf(ClassCastException.class);
  }

  @Test
  void aThrowingFallbackCalledAgainAndAgainDoesNotCorruptTheCounts() {
    AtomicInteger n = new AtomicInteger();
    Fallback<String> f =
        Fallback.of(
            "flaky",
            FallbackConfig.<String>builder()
                .exceptionFallback(
                    e -> {
                      if (n.incrementAndGet() % 2 == 0) {
                        throw new IllegalStateException("every other");
                      }
                      return "default";
                    })
                .build());
    int served = 0;
    for (int i = 0; i < 10; i++) {
      try {
        f.get(
            () -> {
              throw new IllegalArgumentException();
            });
        served++;
      } catch (IllegalStateException expected) {
        // the fallback's own failure
      }
    }
    assertThat(served).isEqualTo(5);
    FallbackStats s = f.stats();
    assertThat(s.calls()).isEqualTo(10);
    assertThat(s.exceptionFallbacks()).isEqualTo(5);
    assertThat(s.fallbackFailures()).isEqualTo(5);
  }
}
