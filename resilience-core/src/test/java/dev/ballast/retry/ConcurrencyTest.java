package dev.ballast.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.RejectedException;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.Together;
import dev.ballast.retry.Retries.TestRejection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("concurrency")
final class ConcurrencyTest {
  private static final int THREADS = 8;
  private static final int CALLS = 2_000;
  private static final double RATIO = 0.1;
  private static final int MIN_PER_SECOND = 1;
  private static final Duration WINDOW = Duration.ofSeconds(10);

  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);

  /** What the callers saw. */
  private final AtomicLong attempts = new AtomicLong();

  private final LongAdder returned = new LongAdder();
  private final LongAdder threwIo = new LongAdder();
  private final LongAdder threwIllegal = new LongAdder();
  private final LongAdder threwRejection = new LongAdder();

  @Test
  void mixedOutcomesThroughOneBudgetedRetryAddUp() throws Exception {
    Retry retry =
        Retry.of(
            "shared",
            RetryConfig.builder()
                .scheduler(scheduler)
                .backoff(Backoff.fixed(Duration.ZERO))
                .maxAttempts(3)
                .retryOn(IOException.class)
                .budget(RATIO, MIN_PER_SECOND, WINDOW)
                .build());
    Together.run(
        THREADS,
        t -> {
          SplittableRandom random = new SplittableRandom(t);
          for (int i = 0; i < CALLS; i++) {
            oneCall(retry, random.nextInt(5), 1 + random.nextInt(2));
          }
        });

    RetryStats s = retry.stats();
    long calls = (long) THREADS * CALLS;
    assertThat(s.calls()).isEqualTo(calls);
    assertThat(attempts.get()).isEqualTo(s.calls() + s.retries());
    assertThat(s.retries())
        .isLessThanOrEqualTo((long) Math.max(MIN_PER_SECOND * 10, RATIO * calls));
    assertThat(s.budgetRefusals()).isPositive();
    assertThat(s.successesWithoutRetry() + s.successesAfterRetry()).isEqualTo(returned.sum());
    assertThat(s.rejections()).isEqualTo(threwRejection.sum());
    assertThat(s.failuresWithoutRetry() + s.failuresAfterRetry() + s.budgetRefusals())
        .isEqualTo(threwIo.sum() + threwIllegal.sum());
    assertThat(returned.sum() + threwIo.sum() + threwIllegal.sum() + threwRejection.sum())
        .isEqualTo(calls);
  }

  @Test
  void countsAddUpWhileWaitsMoveTheClockAndTheBudgetWindowRolls() throws Exception {
    // Every wait advances the shared virtual clock, so buckets roll while threads take retries.
    Retry retry =
        Retry.of(
            "rolling",
            RetryConfig.builder()
                .scheduler(scheduler)
                .backoff(Backoff.exponential(Duration.ofMillis(1), 2.0).withFullJitter())
                .maxAttempts(3)
                .retryOn(IOException.class)
                .budget(RATIO, MIN_PER_SECOND, Duration.ofMillis(200))
                .build());
    List<Thread> threads = new ArrayList<>();
    AtomicReference<@Nullable Throwable> unexpected = new AtomicReference<>();
    for (int t = 0; t < THREADS; t++) {
      long seed = 100L + t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  SplittableRandom random = new SplittableRandom(seed);
                  for (int i = 0; i < CALLS; i++) {
                    oneCall(retry, random.nextInt(5), 1 + random.nextInt(2));
                  }
                } catch (Throwable e) {
                  unexpected.set(e);
                }
              },
              "retry-rolling-" + t);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join(60_000);
      assertThat(thread.isAlive()).isFalse();
    }
    assertThat(unexpected.get()).isNull();
    RetryStats s = retry.stats();
    long calls = (long) THREADS * CALLS;
    assertThat(s.calls()).isEqualTo(calls);
    assertThat(attempts.get()).isEqualTo(s.calls() + s.retries());
    assertThat(s.successesWithoutRetry() + s.successesAfterRetry()).isEqualTo(returned.sum());
    assertThat(s.rejections()).isEqualTo(threwRejection.sum());
    assertThat(s.failuresWithoutRetry() + s.failuresAfterRetry() + s.budgetRefusals())
        .isEqualTo(threwIo.sum() + threwIllegal.sum());
  }

  /**
   * One call: 0 succeeds at once, 1 fails {@code failures} times then succeeds, 2 always fails, 3
   * fails in a way not retried, 4 is rejected.
   */
  private void oneCall(Retry retry, int kind, int failures) {
    long[] made = new long[1];
    try {
      retry.call(
          () -> {
            attempts.incrementAndGet();
            made[0]++;
            return switch (kind) {
              case 1 -> {
                if (made[0] <= failures) {
                  throw new IOException("flaky");
                }
                yield "recovered";
              }
              case 2 -> throw new IOException("down");
              case 3 -> throw new IllegalArgumentException("bad");
              case 4 -> throw new TestRejection(RejectedException.Reason.OVERLOAD, null);
              default -> "ok";
            };
          });
      returned.increment();
    } catch (IOException e) {
      threwIo.increment();
    } catch (IllegalArgumentException e) {
      threwIllegal.increment();
    } catch (RejectedException e) {
      threwRejection.increment();
    }
  }

  @Test
  void asyncCallsCompletedOnOtherThreadsAndCancelledAtRandomAllCompleteAndAddUp() throws Exception {
    // Attempts complete at once or later on a pool, retries start inline (zero wait,
    // executor(Runnable::run)), and some callers cancel: every step of the trampoline races.
    Retry retry =
        Retry.of(
            "async-shared",
            RetryConfig.builder()
                .scheduler(scheduler)
                .executor(Runnable::run)
                .backoff(Backoff.fixed(Duration.ZERO))
                .maxAttempts(4)
                .retryOn(IOException.class)
                .countCalls(true)
                .build());
    java.util.concurrent.ExecutorService completers =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    List<java.util.concurrent.CompletableFuture<String>> outs =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    LongAdder cancelled = new LongAdder();
    try {
      Together.run(
          THREADS,
          t -> {
            SplittableRandom random = new SplittableRandom(200L + t);
            for (int i = 0; i < CALLS; i++) {
              SplittableRandom callRandom = random.split();
              java.util.concurrent.CompletableFuture<String> out =
                  retry
                      .<String>callAsync(
                          () -> {
                            attempts.incrementAndGet();
                            boolean fails = callRandom.nextInt(3) > 0;
                            if (callRandom.nextBoolean()) {
                              return fails
                                  ? java.util.concurrent.CompletableFuture.failedFuture(
                                      new IOException("now"))
                                  : java.util.concurrent.CompletableFuture.completedFuture("now");
                            }
                            return java.util.concurrent.CompletableFuture.supplyAsync(
                                () -> {
                                  if (fails) {
                                    throw new IllegalStateException(new IOException("later"));
                                  }
                                  return "later";
                                },
                                completers);
                          })
                      .toCompletableFuture();
              outs.add(out);
              if (random.nextInt(10) == 0 && out.cancel(true)) {
                cancelled.increment();
              }
            }
          });
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> outs.stream().allMatch(java.util.concurrent.CompletableFuture::isDone));
    } finally {
      completers.shutdownNow();
    }
    long calls = (long) THREADS * CALLS;
    assertThat(outs).hasSize((int) calls);
    long succeeded = outs.stream().filter(f -> !f.isCompletedExceptionally()).count();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> retry.stats().calls() == calls);
    RetryStats s = retry.stats();
    assertThat(s.calls()).isEqualTo(calls);
    // A cancel that comes after the call settled on a success leaves it counted a success: the
    // caller sees the cancellation, the stats what the dependency did. So up to `cancelled`
    // successes may have been seen as cancellations.
    long successes = s.successesAfterRetry() + s.successesWithoutRetry();
    assertThat(successes).isBetween(succeeded, succeeded + cancelled.sum());
    assertThat(s.failuresWithoutRetry() + s.failuresAfterRetry()).isEqualTo(calls - successes);
    assertThat(s.retries()).isLessThanOrEqualTo(3 * calls);
    assertThat(attempts.get()).isEqualTo(s.calls() + s.retries());
    assertThat(cancelled.sum()).isPositive();
  }
}
