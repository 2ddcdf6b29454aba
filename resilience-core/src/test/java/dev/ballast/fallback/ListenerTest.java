package dev.ballast.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.testlog.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

final class ListenerTest {

  /** Records every event as a line. */
  static final class Recorder implements FallbackListener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onFallback(FallbackTrigger trigger, @Nullable Throwable cause) {
      events.add("fallback " + trigger + " " + (cause == null ? "-" : cause.getMessage()));
    }

    @Override
    public void onFallbackFailed(
        FallbackTrigger trigger, @Nullable Throwable cause, Throwable error) {
      events.add(
          "failed "
              + trigger
              + " "
              + (cause == null ? "-" : cause.getMessage())
              + " "
              + error.getMessage());
    }
  }

  /** Throws from every method. */
  static final class Thrower implements FallbackListener {
    @Override
    public void onFallback(FallbackTrigger trigger, @Nullable Throwable cause) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void onFallbackFailed(
        FallbackTrigger trigger, @Nullable Throwable cause, Throwable error) {
      throw new IllegalStateException("listener bug");
    }
  }

  private static Fallback<String> fallback(String name) {
    return Fallback.of(name, config().build());
  }

  private static FallbackConfig.Builder<String> config() {
    return FallbackConfig.<String>builder()
        .onException(IOException.class)
        .exceptionFallbackValue("default")
        .onException(IllegalStateException.class)
        .rejectionFallback(
            e -> {
              if (e.component().equals("broken")) {
                throw new IllegalArgumentException("no cache");
              }
              return "cached";
            })
        .onResult(String::isEmpty)
        .resultFallbackValue("filled");
  }

  private static String io() throws IOException {
    throw new IOException("disk");
  }

  @Test
  void reportsEachTriggerAndEachFailure() throws IOException {
    Fallback<String> f = fallback("events");
    Recorder r = new Recorder();
    f.addListener(r);
    assertThat(f.apply(() -> "ok")).isEqualTo("ok");
    assertThat(f.apply(ListenerTest::io)).isEqualTo("default");
    assertThat(f.apply(() -> "")).isEqualTo("filled");
    assertThat(
            f.apply(
                () -> {
                  throw Rejections.overload("bulkhead");
                }))
        .isEqualTo("cached");
    assertThatThrownBy(
            () ->
                f.get(
                    () -> {
                      throw Rejections.overload("broken");
                    }))
        .hasMessage("no cache");
    assertThat(r.events)
        .containsExactly(
            "fallback EXCEPTION disk",
            "fallback RESULT -",
            "fallback REJECTION bulkhead refused",
            "failed REJECTION broken refused no cache");
    FallbackStats s = f.stats();
    assertThat(s.calls()).isEqualTo(5);
    assertThat(s.exceptionFallbacks()).isEqualTo(1);
    assertThat(s.resultFallbacks()).isEqualTo(1);
    assertThat(s.rejectionFallbacks()).isEqualTo(1);
    assertThat(s.fallbacks()).isEqualTo(3);
    assertThat(s.fallbackFailures()).isEqualTo(1);
    assertThat(s.toString())
        .isEqualTo(
            "FallbackStats{calls=5, exceptionFallbacks=1, resultFallbacks=1,"
                + " rejectionFallbacks=1, fallbackFailures=1}");
  }

  @Test
  void aThrowingListenerLeavesTheOutcomeAndTheCountsIntact() throws IOException {
    Fallback<String> f = fallback("bad");
    f.addListener(new Thrower());
    Recorder r = new Recorder();
    f.addListener(r);
    assertThat(f.apply(ListenerTest::io)).isEqualTo("default");
    assertThatThrownBy(
            () ->
                f.get(
                    () -> {
                      throw Rejections.overload("broken");
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no cache");
    assertThat(r.events).hasSize(2); // later listeners still hear
    assertThat(f.stats().exceptionFallbacks()).isEqualTo(1);
    assertThat(f.stats().fallbackFailures()).isEqualTo(1);
  }

  @Test
  void everyThrowOfAListenerIsLoggedAloneOrBesideOthersForBothKindsOfEvent() throws IOException {
    TestTicker ticker = new TestTicker();
    TestScheduler scheduler = new TestScheduler(ticker);
    Fallback<String> alone = Fallback.of("alone", config().scheduler(scheduler).build());
    alone.addListener(new Thrower());
    Fallback<String> beside = Fallback.of("beside", config().scheduler(scheduler).build());
    beside.addListener(new Thrower());
    Recorder after = new Recorder();
    beside.addListener(after);
    LogCapture.clear();

    for (Fallback<String> f : List.of(alone, beside)) {
      assertThat(f.apply(ListenerTest::io)).isEqualTo("default");
    }
    ticker.advance(Duration.ofMinutes(1)); // the next line of each is due
    for (Fallback<String> f : List.of(alone, beside)) {
      assertThatThrownBy(
              () ->
                  f.get(
                      () -> {
                        throw Rejections.overload("broken");
                      }))
          .hasMessage("no cache");
    }

    assertThat(after.events)
        .containsExactly("fallback EXCEPTION disk", "failed REJECTION broken refused no cache");
    assertThat(
            LogCapture.lines(Fallback.class.getName()).stream()
                .filter(l -> l.level() == Level.WARN)
                .map(LogCapture.Line::message))
        .containsExactly(
            "name=alone listener threw; ignored",
            "name=beside listener threw; ignored",
            "name=alone listener threw; ignored",
            "name=beside listener threw; ignored");
  }
}
