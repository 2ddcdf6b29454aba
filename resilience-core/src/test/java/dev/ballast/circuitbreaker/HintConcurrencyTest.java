package dev.ballast.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.TestTicker;
import dev.ballast.Together;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
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
    Together.run(
        THREADS,
        t -> {
          SplittableRandom random = new SplittableRandom(t);
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
        });
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
