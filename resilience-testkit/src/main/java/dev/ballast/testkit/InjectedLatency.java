package dev.ballast.testkit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How a {@link FaultInjector}'s latency passes: on the real clock, or in virtual time on a {@link
 * ManualTicker} or {@link ManualScheduler}. Implementations are immutable and thread-safe.
 */
interface InjectedLatency {
  /** Waits, on the calling thread. */
  void await() throws InterruptedException;

  /** A stage that completes once the delay has passed; cancelling it stops the timer. */
  CompletableFuture<?> later();

  static InjectedLatency real(long nanos) {
    return new InjectedLatency() {
      @Override
      public void await() throws InterruptedException {
        // The thing being simulated: a dependency that takes this long.
        TimeUnit.NANOSECONDS.sleep(nanos);
      }

      @Override
      public CompletableFuture<?> later() {
        return CompletableFuture.runAsync(
            () -> {}, CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS));
      }
    };
  }

  static InjectedLatency on(ManualTicker ticker, long nanos) {
    return new InjectedLatency() {
      @Override
      public void await() {
        ticker.advanceNanos(nanos);
      }

      @Override
      public CompletableFuture<?> later() {
        ticker.advanceNanos(nanos);
        return CompletableFuture.completedFuture(Boolean.TRUE);
      }
    };
  }

  static InjectedLatency on(ManualScheduler scheduler, long nanos) {
    return new InjectedLatency() {
      @Override
      public void await() throws InterruptedException {
        scheduler.sleep(nanos);
      }

      @Override
      public CompletableFuture<?> later() {
        CompletableFuture<Boolean> passed = new CompletableFuture<>();
        var timer = scheduler.schedule(() -> passed.complete(Boolean.TRUE), nanos);
        var unused =
            passed.whenComplete(
                (value, failure) -> {
                  if (passed.isCancelled()) {
                    timer.cancel();
                  }
                });
        return passed;
      }
    };
  }
}
