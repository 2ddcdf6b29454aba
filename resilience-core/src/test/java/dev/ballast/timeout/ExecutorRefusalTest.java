package dev.ballast.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.RejectedException;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * An abandoning timeout whose executor refuses the work is back pressure from this process: the
 * call is refused with a {@link TimeoutRejectedException} (reason {@code OVERLOAD}), counted as a
 * rejection, never as a failure. A closed timeout is a program bug and says so.
 */
final class ExecutorRefusalTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final RejectedExecutionException full = new RejectedExecutionException("queue full");
  private final Executor refusing =
      task -> {
        throw full;
      };

  private Timeout abandoningOn(Executor executor, boolean stackTraces) {
    return Timeout.of(
        "legacy",
        TimeoutConfig.builder(Duration.ofSeconds(1))
            .scheduler(scheduler)
            .mode(Timeout.Mode.ABANDON)
            .executor(executor)
            .stackTraces(stackTraces)
            .build());
  }

  @Test
  void aRefusedTaskIsACheapOverloadRejectionNamingTheTimeout() {
    Timeout timeout = abandoningOn(refusing, false);
    List<String> heard = new CopyOnWriteArrayList<>();
    timeout.addListener(
        new TimeoutListener() {
          @Override
          public void onRejected(long durationNanos, RejectedException rejection) {
            heard.add("rejected " + rejection.component());
          }

          @Override
          public void onFailure(long durationNanos, Throwable error) {
            heard.add("failure");
          }
        });
    assertThatThrownBy(() -> timeout.call(() -> "never runs"))
        .isInstanceOfSatisfying(
            TimeoutRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RejectedException.Reason.OVERLOAD);
              assertThat(e.component()).isEqualTo("legacy");
              assertThat(e.retryAfter()).isEmpty();
              assertThat(e.getCause()).isSameAs(full);
              assertThat(e)
                  .hasMessage(
                      "timeout 'legacy' refused the call: its executor did not accept the work"
                          + " (java.util.concurrent.RejectedExecutionException: queue full)");
              assertThat(e.getStackTrace()).as("cheap by default").isEmpty();
            });
    assertThat(heard).containsExactly("rejected legacy");
    TimeoutStats s = timeout.stats();
    assertThat(s.rejections()).isEqualTo(1);
    assertThat(s.failures()).isZero();
    assertThat(s.calls()).isEqualTo(1);
    assertThat(scheduler.pending()).as("the timer is cancelled").isZero();
  }

  @Test
  void stackTracesOnFillsTheRejectionsStackTraceToo() {
    assertThatThrownBy(() -> abandoningOn(refusing, true).get(() -> "never runs"))
        .isInstanceOfSatisfying(
            TimeoutRejectedException.class, e -> assertThat(e.getStackTrace()).isNotEmpty());
  }

  @Test
  void aClosedTimeoutRefusesWithIllegalStateAndCountsNothing() {
    Timeout own =
        Timeout.of(
            "own",
            TimeoutConfig.builder(Duration.ofSeconds(1))
                .scheduler(scheduler)
                .mode(Timeout.Mode.ABANDON)
                .build());
    own.close();
    assertThatThrownBy(() -> own.call(() -> "after close"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("timeout 'own' is closed");
    assertThatThrownBy(() -> own.run(() -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("timeout 'own' is closed");
    assertThat(own.stats().calls()).isZero();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void somethingElseAnExecutorThrowsIsCountedAsAFailureAndPassesThrough() {
    IllegalStateException broken = new IllegalStateException("executor bug");
    Timeout timeout =
        abandoningOn(
            task -> {
              throw broken;
            },
            false);
    assertThatThrownBy(() -> timeout.call(() -> "never runs")).isSameAs(broken);
    assertThat(timeout.stats().failures()).isEqualTo(1);
    assertThat(timeout.stats().rejections()).isZero();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void aTimerThatFiresWhileTheExecutorRefusesLeavesNoAbandonedWorkCounted() {
    // A slow rejection handler: the deadline passes (and the timer fires) before it refuses.
    Timeout timeout =
        abandoningOn(
            task -> {
              ticker.advance(Duration.ofSeconds(2));
              throw full;
            },
            false);
    assertThatThrownBy(() -> timeout.call(() -> "never runs"))
        .isInstanceOf(TimeoutRejectedException.class);
    assertThat(timeout.stats().abandonedRunning()).isZero();
    assertThat(timeout.stats().rejections()).isEqualTo(1);
  }
}
