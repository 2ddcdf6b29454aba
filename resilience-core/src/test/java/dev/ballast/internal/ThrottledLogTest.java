package dev.ballast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.TestTicker;
import dev.ballast.Together;
import dev.ballast.testlog.LogCapture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

final class ThrottledLogTest {
  private static final String LOGGER = "dev.ballast.internal.ThrottledLogTest.probe";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final TestTicker ticker = new TestTicker();

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  private static List<LogCapture.Line> lines() {
    return LogCapture.lines(LOGGER);
  }

  @Test
  void logsTheFirstOccurrenceThenNothingWithinTheInterval() {
    ThrottledLog log = new ThrottledLog(LOG, "inventory", ticker);
    RuntimeException boom = new IllegalStateException("boom");
    for (int i = 0; i < 10_000; i++) {
      log.callbackThrew(boom, "listener threw; ignored");
    }
    assertThat(lines()).hasSize(1);
    LogCapture.Line line = lines().get(0);
    assertThat(line.level()).isEqualTo(Level.WARN);
    assertThat(line.message()).isEqualTo("name=inventory listener threw; ignored");
    assertThat(line.error()).isSameAs(boom);
    assertThat(log.suppressed()).isEqualTo(9_999);
  }

  @Test
  void theNextLineAfterTheIntervalCarriesTheSuppressedCount() {
    ThrottledLog log = new ThrottledLog(LOG, "inventory", ticker, Duration.ofSeconds(10).toNanos());
    for (int i = 0; i < 5; i++) {
      log.warn("predicate threw", null);
    }
    ticker.advance(Duration.ofSeconds(9));
    log.warn("predicate threw", null);
    assertThat(lines()).hasSize(1);
    ticker.advance(Duration.ofSeconds(1));
    log.warn("predicate threw", null);
    assertThat(lines())
        .extracting(LogCapture.Line::message)
        .containsExactly(
            "name=inventory predicate threw",
            "name=inventory predicate threw (5 more like this suppressed since the last such line)");
    assertThat(log.suppressed()).isZero();
    ticker.advance(Duration.ofSeconds(10));
    log.warn("predicate threw", null);
    assertThat(lines().get(2).message()).isEqualTo("name=inventory predicate threw");
  }

  @Test
  void aVirtualMachineErrorFromACallbackIsRethrownAndNotLogged() {
    ThrottledLog log = new ThrottledLog(LOG, "inventory", ticker);
    StackOverflowError soe = new StackOverflowError();
    assertThatThrownBy(() -> log.callbackThrew(soe, "listener threw; ignored")).isSameAs(soe);
    assertThat(lines()).isEmpty();
    AssertionError notVm = new AssertionError("an Error, but not the JVM's");
    log.callbackThrew(notVm, "listener threw; ignored");
    assertThat(lines()).hasSize(1);
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void refusesBadArguments() {
    assertThatThrownBy(() -> new ThrottledLog(LOG, "x", ticker, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("intervalNanos must be > 0, was 0");
    assertThatThrownBy(() -> new ThrottledLog(LOG, null, ticker))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("component must not be null");
  }

  @Test
  @Tag("concurrency")
  void everyOccurrenceIsLoggedOrCountedOnceUnderContention() throws InterruptedException {
    ThrottledLog log = new ThrottledLog(LOG, "inventory", ticker, 1);
    int threads = 8;
    int perThread = 20_000;
    Together.run(
        threads,
        t -> {
          for (int i = 0; i < perThread; i++) {
            log.warn("x", null);
            if (i % 1000 == 0) {
              ticker.advanceNanos(1);
            }
          }
        });
    long reported = 0;
    for (LogCapture.Line l : lines()) {
      reported++;
      String m = l.message();
      int open = m.indexOf(" (");
      if (open >= 0) {
        reported += Long.parseLong(m.substring(open + 2, m.indexOf(' ', open + 2)));
      }
    }
    assertThat(reported + log.suppressed()).isEqualTo((long) threads * perThread);
  }
}
