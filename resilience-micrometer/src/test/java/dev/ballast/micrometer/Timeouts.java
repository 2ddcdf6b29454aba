package dev.ballast.micrometer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.testkit.ManualScheduler;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutConfig;
import dev.ballast.timeout.TimeoutExceededException;
import java.io.IOException;
import java.time.Duration;

/** Timeouts in virtual time, and calls through them that take a given time on the scheduler. */
final class Timeouts {
  static final Duration LIMIT = Duration.ofSeconds(1);

  private Timeouts() {}

  /** A timeout of {@link #LIMIT} in interrupt mode, on the scheduler given. */
  static Timeout interrupting(String name, ManualScheduler scheduler) {
    return Timeout.of(name, TimeoutConfig.builder(LIMIT).scheduler(scheduler).build());
  }

  /** A call that takes {@code took} and returns. */
  static void succeed(Timeout timeout, ManualScheduler scheduler, Duration took) {
    timeout.get(
        () -> {
          scheduler.ticker().advance(took);
          return "ok";
        });
  }

  /** A call that takes {@code took} and throws. */
  static void fail(Timeout timeout, ManualScheduler scheduler, Duration took) {
    assertThatThrownBy(
            () ->
                timeout.call(
                    () -> {
                      scheduler.ticker().advance(took);
                      throw new IOException("down");
                    }))
        .isInstanceOf(IOException.class);
  }

  /** A call that a policy inside the timeout refuses after {@code took}. */
  static void reject(Timeout timeout, ManualScheduler scheduler, Duration took) {
    assertThatThrownBy(
            () ->
                timeout.get(
                    () -> {
                      scheduler.ticker().advance(took);
                      throw Fallbacks.rejection("full");
                    }))
        .isInstanceOf(dev.ballast.RejectedException.class);
  }

  /**
   * A call that outlives the limit by {@code late}: the timer fires and interrupts the caller, and
   * the call ends in a {@link TimeoutExceededException}.
   */
  static void timeOut(Timeout timeout, ManualScheduler scheduler, Duration late) {
    assertThatThrownBy(
            () ->
                timeout.get(
                    () -> {
                      scheduler.ticker().advance(LIMIT.plus(late));
                      return "too late";
                    }))
        .isInstanceOf(TimeoutExceededException.class);
  }
}
