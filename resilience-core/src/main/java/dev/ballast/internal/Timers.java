package dev.ballast.internal;

import dev.ballast.Scheduler;
import dev.ballast.Ticker;
import org.jspecify.annotations.Nullable;

/**
 * The one rule for which timer serves a component's time source, so that its hot path need not read
 * the clock (a timer rolls its windows or refreshes a coarse reading): the scheduler the config was
 * given; else the shared scheduler when the ticker is the system ticker (both run on the JVM's
 * clock); else none, so a test's ticker without a scheduler is read on every call, exact.
 * Stateless.
 */
public final class Timers {

  private Timers() {}

  /**
   * The timer for a time source.
   *
   * @param ticker the component's ticker
   * @param scheduler the scheduler the config was given, or {@code null}
   * @return the timer, or {@code null} when there is none
   */
  public static @Nullable Scheduler of(Ticker ticker, @Nullable Scheduler scheduler) {
    if (scheduler != null) {
      return scheduler;
    }
    return ticker == Ticker.system() ? Scheduler.shared() : null;
  }
}
