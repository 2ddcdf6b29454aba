package dev.ballast.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.TestTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Many threads on one breaker, their outcomes mixing hints, open-at-once errors, failures and
 * successes while time moves: afterwards every call was admitted or refused exactly once, no probe
 * slot leaked (one success after the longest wait closes the breaker), and each OPEN period seen
 * waited exactly its hint or the breaker's own wait.
 */
@Tag("concurrency")
final class HintConcurrencyTest {
  private static final int THREADS = 8;
  private static final int CALLS = 20_000;
  private static final Duration OWN_WAIT = Duration.ofSeconds(10);
  private static final Duration HINT = Duration.ofSeconds(3);

  static final class Locked extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void hintsRacingWithTripsAndProbesLeaveTheBreakerConsistent() throws InterruptedException {
    TestTicker ticker = new TestTicker();
    CircuitBreaker b =
        CircuitBreaker.of(
            "racing",
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .consecutiveFailures(3)
                .waitInOpen(OWN_WAIT)
                .halfOpenProbes(2)
                .backOffHint((r, e) -> "503".equals(r) ? HINT : null, Duration.ofMinutes(1))
                .openAtOnceOn(e -> e instanceof Locked)
                .build());
    LongAdder admitted = new LongAdder();
    LongAdder refused = new LongAdder();
    LongAdder seenHinted = new LongAdder();
    LongAdder seenOwn = new LongAdder();
    List<Duration> badWaits = new CopyOnWriteArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      long seed = t;
      Thread thread =
          new Thread(
              () -> {
                SplittableRandom random = new SplittableRandom(seed);
                for (int i = 0; i < CALLS; i++) {
                  int pick = random.nextInt(100);
                  try {
                    b.call(
                        () -> {
                          admitted.increment();
                          if (pick < 2) {
                            return "503";
                          } else if (pick < 3) {
                            throw new Locked();
                          } else if (pick < 10) {
                            throw new IOException("down");
                          }
                          return "ok";
                        });
                  } catch (CircuitBreakerOpenException e) {
                    refused.increment();
                  } catch (IOException | Locked expected) {
                    // counted by the breaker
                  }
                  if (pick >= 97) {
                    ticker.advanceMillis(500);
                  }
                  CircuitBreakerStats s = b.stats();
                  if (s.state() == CircuitBreakerState.OPEN) {
                    boolean hinted = s.openWaitHint().isPresent();
                    (hinted ? seenHinted : seenOwn).increment();
                    Duration expected = hinted ? HINT : OWN_WAIT;
                    if (!s.openWait().equals(expected)) {
                      badWaits.add(s.openWait());
                    }
                  }
                }
              },
              "racer-" + t);
      thread.setUncaughtExceptionHandler((th, e) -> errors.add(e));
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.MINUTES.toMillis(2));
      assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
    }

    assertThat(errors).isEmpty();
    assertThat(badWaits).isEmpty();
    assertThat(seenHinted.sum()).as("OPEN for a hint, seen").isPositive();
    assertThat(seenOwn.sum()).as("OPEN for the own wait, seen").isPositive();
    assertThat(admitted.sum() + refused.sum()).isEqualTo((long) THREADS * CALLS);
    assertThat(b.stats().rejections()).isEqualTo(refused.sum());
    ticker.advance(Duration.ofMinutes(2));
    for (int i = 0; i < 2; i++) {
      assertThat(b.call(() -> "ok")).isEqualTo("ok");
    }
    assertThat(b.state()).as("no probe slot leaked").isEqualTo(CircuitBreakerState.CLOSED);
  }
}
