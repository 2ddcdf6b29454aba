package dev.ballast.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.TestTicker;
import dev.ballast.Together;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("concurrency")
final class ConcurrencyTest {
  private static final int THREADS = 8;

  /** Counts every event the breaker reports. */
  static final class Counts implements CircuitBreakerListener {
    final LongAdder successes = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder ignored = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder toHalfOpen = new LongAdder();
    final LongAdder halfOpenToClosed = new LongAdder();

    @Override
    public void onStateTransition(CircuitBreakerState from, CircuitBreakerState to) {
      if (to == CircuitBreakerState.HALF_OPEN) {
        toHalfOpen.increment();
      }
      if (from == CircuitBreakerState.HALF_OPEN && to == CircuitBreakerState.CLOSED) {
        halfOpenToClosed.increment();
      }
    }

    @Override
    public void onRejected(CircuitBreakerState state) {
      rejected.increment();
    }

    @Override
    public void onSuccess(long durationNanos) {
      successes.increment();
    }

    @Override
    public void onFailure(long durationNanos, @Nullable Throwable error) {
      failures.increment();
    }

    @Override
    public void onIgnored(long durationNanos, @Nullable Throwable error) {
      ignored.increment();
    }
  }

  private static void runAll(List<Runnable> bodies) throws InterruptedException {
    Together.run(bodies.size(), t -> bodies.get(t).run());
  }

  @Test
  void countsAddUpUnderMixedOutcomesAndForcedTransitions() throws Exception {
    TestTicker ticker = new TestTicker();
    CircuitBreaker b =
        CircuitBreaker.of(
            "mixed",
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .countWindow(50)
                .minimumCalls(10)
                .failureRateThreshold(0.4)
                .waitInOpen(Duration.ofMillis(5))
                .halfOpenProbes(3)
                .build());
    Counts counts = new Counts();
    b.addListener(counts);
    int perThread = 20_000;
    LongAdder ran = new LongAdder();
    LongAdder threwOwn = new LongAdder();
    LongAdder returned = new LongAdder();
    LongAdder rejectedSeen = new LongAdder();
    List<Runnable> bodies = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      SplittableRandom random = new SplittableRandom(42 + t);
      bodies.add(
          () -> {
            for (int i = 0; i < perThread; i++) {
              if (random.nextInt(100) == 0) {
                ticker.advanceMillis(1);
              }
              if (random.nextInt(2_000) == 0) { // an operator, now and then
                switch (random.nextInt(3)) {
                  case 0 -> b.forceOpen();
                  case 1 -> b.disable();
                  default -> b.reset();
                }
              }
              boolean failNow = random.nextInt(100) < 45;
              try {
                b.call(
                    () -> {
                      ran.increment();
                      if (failNow) {
                        throw new IOException("down");
                      }
                      return "ok";
                    });
                returned.increment();
              } catch (CircuitBreakerOpenException e) {
                rejectedSeen.increment();
              } catch (IOException e) {
                threwOwn.increment();
              }
            }
          });
    }
    runAll(bodies);

    long total = (long) THREADS * perThread;
    assertThat(returned.sum() + threwOwn.sum() + rejectedSeen.sum()).isEqualTo(total);
    assertThat(ran.sum()).isEqualTo(returned.sum() + threwOwn.sum());
    assertThat(counts.successes.sum()).isEqualTo(returned.sum());
    assertThat(counts.failures.sum()).isEqualTo(threwOwn.sum());
    assertThat(counts.ignored.sum()).isZero();
    assertThat(counts.rejected.sum()).isEqualTo(rejectedSeen.sum());
    assertThat(b.stats().rejections()).isEqualTo(rejectedSeen.sum());
    assertThat(rejectedSeen.sum()).isPositive();
    assertThat(counts.toHalfOpen.sum()).isPositive();
  }

  @Test
  void aTimeWindowLosesNoCallWhileThreadsRollItsBuckets() throws Exception {
    // Each round: a fresh window of ten 1 s buckets, nine seconds that pass one at a time while
    // every thread calls, so that the threads race to install each new bucket; no call leaves
    // the window, so every one must be in it at the end.
    for (int round = 0; round < 50; round++) {
      TestTicker ticker = new TestTicker();
      CircuitBreaker b =
          CircuitBreaker.of(
              "rolling",
              CircuitBreakerConfig.builder()
                  .ticker(ticker)
                  .timeWindow(Duration.ofSeconds(10))
                  .minimumCalls(1)
                  .failureRateThreshold(1.0)
                  .build());
      b.disable(); // measures every call and never opens, whatever the rate
      int perThread = 1_000;
      AtomicLong advanced = new AtomicLong();
      LongAdder failed = new LongAdder();
      List<Runnable> bodies = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        SplittableRandom random = new SplittableRandom(round * 100L + t);
        bodies.add(
            () -> {
              for (int i = 0; i < perThread; i++) {
                if (random.nextInt(400) == 0 && advanced.incrementAndGet() <= 9) {
                  ticker.advance(Duration.ofSeconds(1));
                }
                if (random.nextInt(4) == 0) {
                  Breakers.fail(b, 1);
                  failed.increment();
                } else {
                  Breakers.succeed(b, 1);
                }
              }
            });
      }
      runAll(bodies);

      CircuitBreakerStats s = b.stats();
      assertThat(s.windowCalls()).as("round %d", round).isEqualTo((long) THREADS * perThread);
      assertThat(s.windowFailures()).as("round %d", round).isEqualTo(failed.sum());
    }
  }

  @Test
  void eachHalfOpenPeriodAdmitsExactlyTheConfiguredProbes() throws Exception {
    int probes = 3;
    int rounds = 300;
    TestTicker ticker = new TestTicker();
    CircuitBreaker b =
        CircuitBreaker.of(
            "probes",
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .consecutiveFailures(1)
                .waitInOpen(Duration.ofSeconds(1))
                .halfOpenProbes(probes)
                .build());
    Counts counts = new Counts();
    b.addListener(counts);
    AtomicLong admittedThisRound = new AtomicLong();
    List<Long> admittedPerRound = new java.util.concurrent.CopyOnWriteArrayList<>();
    Runnable tripAndWait =
        () -> {
          try {
            b.call(
                () -> {
                  throw new IOException("trip");
                });
          } catch (IOException expected) {
            // the breaker is now open
          }
          ticker.advance(Duration.ofSeconds(1));
        };
    tripAndWait.run();
    // Round: every thread asks for a permit while time stands still (barrier `asked`), then the
    // admitted ones succeed (barrier `done`). Between rounds, with every thread parked: record
    // how many were admitted, trip the breaker again and let the wait pass.
    CyclicBarrier asked = new CyclicBarrier(THREADS);
    CyclicBarrier done =
        new CyclicBarrier(
            THREADS,
            () -> {
              admittedPerRound.add(admittedThisRound.getAndSet(0));
              tripAndWait.run();
            });
    List<Runnable> bodies = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      bodies.add(
          () -> {
            try {
              for (int r = 0; r < rounds; r++) {
                long permit = Long.MIN_VALUE;
                boolean admitted;
                try {
                  permit = b.acquire();
                  admitted = true;
                  admittedThisRound.incrementAndGet();
                } catch (CircuitBreakerOpenException e) {
                  admitted = false;
                }
                asked.await(1, TimeUnit.MINUTES);
                if (admitted) {
                  b.onResult(permit, "ok");
                }
                done.await(1, TimeUnit.MINUTES);
              }
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
              throw new AssertionError(e);
            }
          });
    }
    runAll(bodies);
    assertThat(admittedPerRound).isNotEmpty();
    assertThat(admittedPerRound).hasSize(rounds).containsOnly((long) probes);
    assertThat(counts.toHalfOpen.sum()).isEqualTo(rounds);
    assertThat(counts.halfOpenToClosed.sum()).isEqualTo(rounds);
    assertThat(counts.successes.sum()).isEqualTo((long) rounds * probes);
    assertThat(counts.rejected.sum()).isEqualTo((long) rounds * (THREADS - probes));
  }

  @Test
  void probesCompletedTwiceNeverLetMoreProbesRunThanConfigured() throws Exception {
    int probes = 2;
    int perThread = 50_000;
    TestTicker ticker = new TestTicker(); // stands still: the probe lease never runs out
    CircuitBreaker b =
        CircuitBreaker.of(
            "twice",
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .consecutiveFailures(1)
                .waitInOpen(Duration.ofSeconds(1))
                .halfOpenProbes(probes)
                .classifier(
                    dev.ballast.OutcomeClassifier.builder()
                        .ignore(IllegalStateException.class)
                        .build())
                .build());
    b.onError(b.acquire(), new IOException("trip"));
    ticker.advance(Duration.ofSeconds(1));
    java.util.concurrent.atomic.AtomicInteger running =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger mostRunning =
        new java.util.concurrent.atomic.AtomicInteger();
    LongAdder admitted = new LongAdder();
    LongAdder duplicates = new LongAdder();
    List<Runnable> bodies = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      SplittableRandom random = new SplittableRandom(7 + t);
      bodies.add(
          () -> {
            for (int i = 0; i < perThread; i++) {
              long permit = b.tryAcquire();
              if (permit == dev.ballast.Gate.REFUSED) {
                continue;
              }
              admitted.increment();
              mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
              Thread.onSpinWait(); // hold the probe a moment, so that an extra one would overlap
              running.decrementAndGet(); // before the permit goes back: never an overcount
              // Outcomes that give the probe back (released, or ignored by the classifier), some
              // of them delivered twice, by the same thread or by the last thread to finish.
              int how = random.nextInt(4);
              if (how == 0) {
                b.release(permit);
              } else {
                b.onError(permit, new IllegalStateException("ignored"));
              }
              if (how >= 2) {
                duplicates.increment();
                b.release(permit);
              }
            }
          });
    }
    runAll(bodies);

    assertThat(admitted.sum()).isGreaterThan(probes);
    assertThat(duplicates.sum()).isPositive();
    assertThat(mostRunning.get()).isLessThanOrEqualTo(probes);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    assertThat(b.stats().windowCalls()).isZero(); // every probe given back exactly once
    long first = b.acquire();
    long second = b.acquire();
    assertThat(b.tryAcquire()).isEqualTo(dev.ballast.Gate.REFUSED);
    b.onResult(first, "ok");
    b.onResult(second, "ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }
}
