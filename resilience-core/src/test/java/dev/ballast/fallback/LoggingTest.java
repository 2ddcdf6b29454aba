package dev.ballast.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.testlog.LogCapture;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

final class LoggingTest {

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  private static List<LogCapture.Line> lines() {
    return LogCapture.lines(Fallback.class.getName()).stream()
        .filter(l -> l.message().contains("name=logged"))
        .toList();
  }

  @Test
  void logsEachFallbackAtDebugOnlyAndNothingForPassingCalls() throws IOException {
    Fallback<String> f =
        Fallback.of(
            "logged",
            FallbackConfig.<String>builder()
                .onException(IOException.class)
                .exceptionFallbackValue("default")
                .rejectionFallback(
                    e -> {
                      throw new IllegalStateException("no cache");
                    })
                .build());
    for (int i = 0; i < 100; i++) {
      f.apply(() -> "ok");
    }
    assertThat(lines()).isEmpty();
    f.apply(
        () -> {
          throw new IOException("disk");
        });
    try {
      f.get(
          () -> {
            throw Rejections.overload("bulkhead");
          });
    } catch (IllegalStateException expected) {
      // the fallback's own failure
    }
    assertThat(lines())
        .extracting(LogCapture.Line::level, LogCapture.Line::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Level.DEBUG,
                "name=logged trigger=EXCEPTION cause=java.io.IOException fallback served"),
            org.assertj.core.groups.Tuple.tuple(
                Level.DEBUG,
                "name=logged trigger=REJECTION cause="
                    + Rejections.TestRejection.class.getName()
                    + " fallback threw java.lang.IllegalStateException"));
  }
}
