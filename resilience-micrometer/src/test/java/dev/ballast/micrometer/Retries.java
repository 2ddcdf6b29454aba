package dev.ballast.micrometer;

import dev.ballast.retry.Backoff;
import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryConfig;
import dev.ballast.testkit.ManualScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Retries in virtual time, and calls through them that succeed or fail at a chosen attempt. Every
 * retry makes at most 3 attempts, 100 ms apart, and retries {@link UncheckedIOException}s only.
 */
final class Retries {
  static final int MAX_ATTEMPTS = 3;

  private Retries() {}

  /** A retry that counts every call. */
  static Retry counting(String name, ManualScheduler scheduler) {
    return Retry.of(name, config(scheduler).countCalls(true).build());
  }

  /** A retry that does not count calls whose first attempt succeeds (the default). */
  static Retry notCounting(String name, ManualScheduler scheduler) {
    return Retry.of(name, config(scheduler).build());
  }

  /**
   * A retry whose budget grants two retries a second (the ratio adds nothing below 100 calls) and
   * refuses the next; it counts every call, as every budget does.
   */
  static Retry budgeted(String name, ManualScheduler scheduler) {
    return Retry.of(name, config(scheduler).budget(0.01, 2, Duration.ofSeconds(1)).build());
  }

  private static RetryConfig.Builder config(ManualScheduler scheduler) {
    return RetryConfig.builder()
        .maxAttempts(MAX_ATTEMPTS)
        .backoff(Backoff.fixed(Duration.ofMillis(100)))
        .retryOn(UncheckedIOException.class)
        .scheduler(scheduler);
  }

  /**
   * A call whose attempts fail until attempt {@code succeedAt} (1 for the first), which succeeds; a
   * number above {@link #MAX_ATTEMPTS} fails every attempt.
   *
   * @return whether the call succeeded
   */
  static boolean call(Retry retry, int succeedAt) {
    AtomicInteger attempt = new AtomicInteger();
    try {
      retry.get(
          () -> {
            if (attempt.incrementAndGet() < succeedAt) {
              throw new UncheckedIOException(new IOException("down"));
            }
            return "ok";
          });
      return true;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /** A call whose one attempt throws {@code error}, which the retry does not retry. */
  static void callThrowing(Retry retry, RuntimeException error) {
    try {
      retry.get(
          () -> {
            throw error;
          });
    } catch (RuntimeException e) {
      if (e != error) {
        throw new AssertionError("expected " + error + ", got " + e, e);
      }
    }
  }
}
