package dev.ballast.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.testlog.LogCapture;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * A predicate or listener that always throws must not flood the log: one WARN line naming the
 * fallback, then at most one per minute on the ticker of the scheduler given, carrying the count of
 * those suppressed. Each kind of callback has its own line.
 */
final class ThrottledWarningTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  private static List<String> warnings() {
    return LogCapture.lines(Fallback.class.getName()).stream()
        .filter(l -> l.level() == Level.WARN)
        .map(LogCapture.Line::message)
        .toList();
  }

  private static String fail() {
    throw new IllegalStateException("down");
  }

  @Test
  void aPredicateThatAlwaysThrowsLogsOneLinePerMinuteWithTheCountSuppressed() {
    Fallback<String> f =
        Fallback.of(
            "pricing",
            FallbackConfig.<String>builder()
                .scheduler(scheduler)
                .onExceptionWhen(
                    e -> {
                      throw new IllegalArgumentException("predicate bug");
                    })
                .exceptionFallbackValue("default")
                .build());
    for (int i = 0; i < 10_000; i++) {
      try {
        f.get(ThrottledWarningTest::fail);
      } catch (IllegalStateException expected) {
        // no match: the call's own exception
      }
    }
    assertThat(warnings())
        .containsExactly(
            "name=pricing exception predicate threw on java.lang.IllegalStateException;"
                + " no fallback");
    ticker.advance(Duration.ofSeconds(60));
    try {
      f.get(ThrottledWarningTest::fail);
    } catch (IllegalStateException expected) {
      // no match
    }
    assertThat(warnings())
        .hasSize(2)
        .last()
        .isEqualTo(
            "name=pricing exception predicate threw on java.lang.IllegalStateException;"
                + " no fallback (9999 more like this suppressed since the last such line)");
  }

  @Test
  void aListenerThatAlwaysThrowsLogsOneLinePerMinuteAndEachKindHasItsOwnLine() {
    Fallback<String> f =
        Fallback.of(
            "stock",
            FallbackConfig.<String>builder()
                .scheduler(scheduler)
                .exceptionFallbackValue("default")
                .onResult(
                    r -> {
                      throw new IllegalArgumentException("result predicate bug");
                    })
                .resultFallbackValue("empty")
                .build());
    f.addListener(
        new FallbackListener() {
          @Override
          public void onFallback(FallbackTrigger trigger, @Nullable Throwable cause) {
            throw new IllegalArgumentException("listener bug");
          }
        });
    for (int i = 0; i < 10_000; i++) {
      assertThat(f.get(ThrottledWarningTest::fail)).isEqualTo("default");
      assertThat(f.get(() -> "real")).isEqualTo("real");
    }
    assertThat(warnings())
        .containsExactlyInAnyOrder(
            "name=stock listener threw; ignored", "name=stock result predicate threw; no fallback");
    ticker.advance(Duration.ofSeconds(59));
    f.get(ThrottledWarningTest::fail);
    assertThat(warnings()).as("inside the minute").hasSize(2);
    ticker.advance(Duration.ofSeconds(1));
    f.get(ThrottledWarningTest::fail);
    assertThat(warnings())
        .hasSize(3)
        .last()
        .isEqualTo(
            "name=stock listener threw; ignored (10000 more like this suppressed since the last"
                + " such line)");
    assertThat(f.stats().exceptionFallbacks()).isEqualTo(10_002);
  }
}
