package dev.ballast.timeout;

import static dev.ballast.timeout.Fakes.blockFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.RejectedException;
import dev.ballast.Subscription;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.testlog.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

final class ListenerTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final Timeout timeout =
      Timeout.of(
          "heard", TimeoutConfig.builder(Duration.ofSeconds(1)).scheduler(scheduler).build());

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  /** Records every event as a line. */
  static final class Recorder implements TimeoutListener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onSuccess(long durationNanos) {
      events.add("success " + durationNanos / 1_000_000);
    }

    @Override
    public void onFailure(long durationNanos, Throwable error) {
      events.add("failure " + durationNanos / 1_000_000 + " " + error.getMessage());
    }

    @Override
    public void onRejected(long durationNanos, RejectedException rejection) {
      events.add("rejected " + durationNanos / 1_000_000 + " " + rejection.getMessage());
    }

    @Override
    public void onTimeout(long durationNanos) {
      events.add("timeout " + durationNanos / 1_000_000);
    }
  }

  /** Throws from every method. */
  static final class Thrower implements TimeoutListener {
    @Override
    public void onSuccess(long durationNanos) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void onFailure(long durationNanos, Throwable error) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void onTimeout(long durationNanos) {
      throw new IllegalStateException("listener bug");
    }
  }

  @Test
  void reportsEachOutcomeWithItsDuration() throws Exception {
    Recorder r = new Recorder();
    timeout.addListener(r);
    timeout.call(() -> blockFor(ticker, Duration.ofMillis(300)));
    assertThatThrownBy(
            () ->
                timeout.call(
                    () -> {
                      ticker.advanceMillis(20);
                      throw new IOException("disk");
                    }))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> timeout.call(() -> blockFor(ticker, Duration.ofSeconds(2))))
        .isInstanceOf(TimeoutExceededException.class);
    assertThatThrownBy(
            () ->
                timeout.call(
                    () -> {
                      ticker.advanceMillis(5);
                      throw new RejectedException(
                          "inner", RejectedException.Reason.OVERLOAD, null, "full", false) {
                        private static final long serialVersionUID = 1L;
                      };
                    }))
        .isInstanceOf(RejectedException.class);
    assertThat(r.events)
        .containsExactly("success 300", "failure 20 disk", "timeout 2000", "rejected 5 full");
  }

  @Test
  void aThrowingListenerIsLoggedAndChangesNothing() throws Exception {
    Recorder after = new Recorder();
    timeout.addListener(new Thrower());
    timeout.addListener(after);
    assertThat(timeout.call(() -> "ok")).isEqualTo("ok");
    IOException failure = new IOException("disk");
    assertThatThrownBy(
            () ->
                timeout.call(
                    () -> {
                      throw failure;
                    }))
        .isSameAs(failure);
    assertThatThrownBy(() -> timeout.call(() -> blockFor(ticker, Duration.ofSeconds(2))))
        .isInstanceOf(TimeoutExceededException.class);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(after.events).hasSize(3);
    assertThat(timeout.stats().calls()).isEqualTo(3);
    assertThat(LogCapture.lines(Timeout.class.getName()))
        .as("one line, then at most one a minute")
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.WARN);
              assertThat(l.message()).isEqualTo("name=heard listener threw; ignored");
              assertThat(l.error()).hasMessage("listener bug");
            });
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void aSingleThrowingListenerIsGuardedToo() {
    timeout.addListener(new Thrower());
    assertThat(timeout.call(() -> "ok")).isEqualTo("ok");
    assertThat(LogCapture.lines(Timeout.class.getName())).hasSize(1);
  }

  @Test
  void aClosedSubscriptionHearsNothingMore() throws Exception {
    Recorder r = new Recorder();
    Subscription s = timeout.addListener(r);
    timeout.call(() -> "one");
    s.close();
    s.close();
    timeout.call(() -> "two");
    assertThat(r.events).containsExactly("success 0");
  }

  @Test
  void holdsAtMost64Listeners() {
    for (int i = 0; i < 64; i++) {
      timeout.addListener(new TimeoutListener() {});
    }
    assertThatThrownBy(() -> timeout.addListener(new TimeoutListener() {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("timeout 'heard' already has 64 listeners");
  }

  @Test
  void changingTheDurationIsLoggedAtInfoAndNothingIsLoggedPerCall() throws Exception {
    timeout.call(() -> "quiet");
    assertThatThrownBy(() -> timeout.call(() -> blockFor(ticker, Duration.ofSeconds(2))))
        .isInstanceOf(TimeoutExceededException.class);
    assertThat(LogCapture.lines(Timeout.class.getName())).isEmpty();
    timeout.changeDuration(Duration.ofMillis(250));
    assertThat(LogCapture.lines(Timeout.class.getName()))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.INFO);
              assertThat(l.message())
                  .isEqualTo(
                      "name=heard duration=PT0.25S previous=PT1S cause=\"operator command\"");
            });
  }
}
