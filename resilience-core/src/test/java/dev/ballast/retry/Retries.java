package dev.ballast.retry;

import dev.ballast.CheckedCallable;
import dev.ballast.RejectedException;
import dev.ballast.TestScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Helpers shared by the retry tests. */
final class Retries {
  private Retries() {}

  /** Virtual time, async attempts on the advancing thread, seeded jitter. */
  static RetryConfig.Builder config(TestScheduler scheduler) {
    return RetryConfig.builder()
        .scheduler(scheduler)
        .executor(Runnable::run)
        .random(new Random(42));
  }

  /** Fails with a numbered IOException {@code failures} times, then returns "ok". */
  static final class Flaky implements CheckedCallable<String, IOException> {
    private final int failures;
    private final AtomicInteger attempts = new AtomicInteger();

    Flaky(int failures) {
      this.failures = failures;
    }

    @Override
    public String call() throws IOException {
      int n = attempts.incrementAndGet();
      if (n <= failures) {
        throw new IOException("boom " + n);
      }
      return "ok";
    }

    int attempts() {
      return attempts.get();
    }

    /** The call, its IOException wrapped, for {@code Retry.get}. */
    String callUnchecked() {
      try {
        return call();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** A rejection made by a test, with the reason and wait it is given. */
  static final class TestRejection extends RejectedException {
    private static final long serialVersionUID = 1L;

    TestRejection(Reason reason, @Nullable Duration retryAfter) {
      super("dependency", reason, retryAfter, "refused by the test", false);
    }
  }

  /** Records every event as a line. */
  static final class Recorder implements RetryListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Long> delays = new CopyOnWriteArrayList<>();

    @Override
    public void onRetry(int attempt, long delayNanos, @Nullable Throwable cause) {
      delays.add(delayNanos);
      events.add(
          "retry " + attempt + " after " + delayNanos + " " + (cause == null ? "result" : cause));
    }

    @Override
    public void onGiveUp(int attempts, @Nullable Throwable cause) {
      events.add("give up after " + attempts + " " + (cause == null ? "result" : cause));
    }

    @Override
    public void onBudgetExhausted() {
      events.add("budget exhausted");
    }
  }

  /** Throws from every method. */
  static final class Thrower implements RetryListener {
    @Override
    public void onRetry(int attempt, long delayNanos, @Nullable Throwable cause) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void onGiveUp(int attempts, @Nullable Throwable cause) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void onBudgetExhausted() {
      throw new IllegalStateException("listener bug");
    }
  }

  static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  static long nanos(long millis) {
    return millis * 1_000_000L;
  }
}
