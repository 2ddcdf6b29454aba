package dev.ballast.internal;

import dev.ballast.Cancellable;
import dev.ballast.Scheduler;

/**
 * A {@link Scheduler} that also takes a task's time as a deadline on its {@link #ticker()}: a
 * caller that has just read the ticker (a timeout, at the start of its call) saves the scheduler a
 * second read, which costs as much as the rest of scheduling on some machines. Implemented by the
 * timer wheel and the shared scheduler. Not API. Thread-safe, as {@link Scheduler}.
 */
public interface DeadlineScheduler extends Scheduler {

  /**
   * Runs {@code task} once, at {@code deadline} on this scheduler's ticker or as soon after as the
   * scheduler's resolution allows; a deadline already past runs it as a delay of zero would.
   *
   * @param task the task
   * @param deadline a reading of {@link #ticker()} (nanoseconds) at or after which it runs
   * @return the handle that cancels it
   * @throws IllegalStateException when the scheduler is closed
   */
  Cancellable scheduleAt(Runnable task, long deadline);
}
