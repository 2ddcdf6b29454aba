package dev.ballast.timeout;

import static dev.ballast.timeout.Fakes.blockFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ballast.RejectedException;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.testlog.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * Several listeners, one of which throws on every event: each event still reaches the others, and
 * each throw goes through the throttled line (one a minute on the timeout's ticker), whatever kind
 * of event it was.
 */
final class ListenerFanOutTest {
  private static final Duration INTERVAL = Duration.ofMinutes(1);

  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final ExecutorService pool = Fakes.namedPool("fan-out-test-");
  private final CompletableFuture<Void> release = new CompletableFuture<>();

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  @AfterEach
  void stop() throws InterruptedException {
    release.complete(null);
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  /** Throws from every method, naming the event. */
  static final class AlwaysThrows implements TimeoutListener {
    @Override
    public void onSuccess(long durationNanos) {
      throw new IllegalStateException("bug on success");
    }

    @Override
    public void onFailure(long durationNanos, Throwable error) {
      throw new IllegalStateException("bug on failure");
    }

    @Override
    public void onRejected(long durationNanos, RejectedException rejection) {
      throw new IllegalStateException("bug on rejected");
    }

    @Override
    public void onTimeout(long durationNanos) {
      throw new IllegalStateException("bug on timeout");
    }

    @Override
    public void onAbandonedFinished(long durationNanos) {
      throw new IllegalStateException("bug on abandoned finished");
    }
  }

  /** Records every event with its duration in milliseconds. */
  static final class Recorder implements TimeoutListener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onSuccess(long durationNanos) {
      events.add("success " + durationNanos / 1_000_000);
    }

    @Override
    public void onFailure(long durationNanos, Throwable error) {
      events.add("failure " + durationNanos / 1_000_000);
    }

    @Override
    public void onRejected(long durationNanos, RejectedException rejection) {
      events.add("rejected " + durationNanos / 1_000_000);
    }

    @Override
    public void onTimeout(long durationNanos) {
      events.add("timeout " + durationNanos / 1_000_000);
    }

    @Override
    public void onAbandonedFinished(long durationNanos) {
      events.add("abandoned finished " + durationNanos / 1_000_000);
    }
  }

  private List<String> warnings() {
    return LogCapture.lines(Timeout.class.getName()).stream()
        .filter(l -> l.level() == Level.WARN)
        .map(l -> l.message() + ": " + Objects.requireNonNull(l.error()).getMessage())
        .toList();
  }

  @Test
  void everyListenerAfterAThrowingOneHearsEveryOutcomeAndEveryThrowIsLogged() throws Exception {
    Timeout timeout =
        Timeout.of(
            "fan", TimeoutConfig.builder(Duration.ofSeconds(1)).scheduler(scheduler).build());
    Recorder after = new Recorder();
    timeout.addListener(new AlwaysThrows());
    timeout.addListener(after);

    timeout.call(() -> blockFor(ticker, Duration.ofMillis(10)));
    ticker.advance(INTERVAL);
    assertThatThrownBy(
            () ->
                timeout.call(
                    () -> {
                      ticker.advanceMillis(20);
                      throw new IOException("disk");
                    }))
        .isInstanceOf(IOException.class);
    ticker.advance(INTERVAL);
    assertThatThrownBy(
            () ->
                timeout.call(
                    () -> {
                      ticker.advanceMillis(30);
                      throw new RejectedException(
                          "inner", RejectedException.Reason.OVERLOAD, null, "full", false) {
                        private static final long serialVersionUID = 1L;
                      };
                    }))
        .isInstanceOf(RejectedException.class);
    ticker.advance(INTERVAL);
    assertThatThrownBy(() -> timeout.call(() -> blockFor(ticker, Duration.ofSeconds(2))))
        .isInstanceOf(TimeoutExceededException.class);

    assertThat(after.events)
        .containsExactly("success 10", "failure 20", "rejected 30", "timeout 2000");
    assertThat(warnings())
        .containsExactly(
            "name=fan listener threw; ignored: bug on success",
            "name=fan listener threw; ignored: bug on failure",
            "name=fan listener threw; ignored: bug on rejected",
            "name=fan listener threw; ignored: bug on timeout");
    assertThat(timeout.stats().calls()).isEqualTo(4);
    assertThat(Thread.interrupted()).isFalse();
  }

  @Test
  void theEndOfAbandonedWorkReachesEveryListenerAndEachThrowIsLogged() {
    Timeout single = abandoning("single");
    single.addListener(new AlwaysThrows());
    Timeout fan = abandoning("fan");
    Recorder after = new Recorder();
    fan.addListener(new AlwaysThrows());
    fan.addListener(after);

    for (Timeout t : List.of(single, fan)) {
      assertThatThrownBy(
              () ->
                  t.call(
                      () -> {
                        ticker.advance(Duration.ofSeconds(2)); // the timer fires here
                        release.join();
                        return "late";
                      }))
          .isInstanceOf(TimeoutExceededException.class);
    }
    ticker.advance(INTERVAL); // the abandoned work ends a minute later: a new line is due
    release.complete(null);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> single.stats().abandonedRunning() == 0 && fan.stats().abandonedRunning() == 0);

    assertThat(after.events).containsExactly("timeout 2000", "abandoned finished 62000");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(warnings())
                    .containsExactlyInAnyOrder(
                        "name=single listener threw; ignored: bug on timeout",
                        "name=fan listener threw; ignored: bug on timeout",
                        "name=single listener threw; ignored: bug on abandoned finished",
                        "name=fan listener threw; ignored: bug on abandoned finished"));
  }

  private Timeout abandoning(String name) {
    return Timeout.of(
        name,
        TimeoutConfig.builder(Duration.ofSeconds(1))
            .scheduler(scheduler)
            .mode(Timeout.Mode.ABANDON)
            .executor(pool)
            .build());
  }
}
