package dev.ballast.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.TestTicker;
import dev.ballast.Together;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("concurrency")
final class ReconfigurationConcurrencyTest {
  private static final int THREADS = 6;

  @Test
  void callsRacingReconfigurationsLoseNoOutcomeAndEndInTheLastConfig() throws Exception {
    TestTicker ticker = new TestTicker();
    CircuitBreakerConfig a =
        CircuitBreakerConfig.builder()
            .ticker(ticker)
            .countWindow(50)
            .minimumCalls(10)
            .failureRateThreshold(0.4)
            .waitInOpen(Duration.ofMillis(5))
            .halfOpenProbes(3)
            .build();
    CircuitBreakerConfig b =
        a.toBuilder()
            .failureRateThreshold(0.6)
            .waitInOpen(Duration.ofMillis(2))
            .halfOpenProbes(2)
            .build();
    CircuitBreakerConfig c = a.toBuilder().countWindow(30).minimumCalls(5).build();
    List<CircuitBreakerConfig> configs = List.of(a, b, c);
    CircuitBreaker breaker = CircuitBreaker.of("racing", a);
    ConcurrencyTest.Counts counts = new ConcurrencyTest.Counts();
    breaker.addListener(counts);
    int perThread = 20_000;
    LongAdder returned = new LongAdder();
    LongAdder threw = new LongAdder();
    LongAdder refused = new LongAdder();
    SplittableRandom operatorRandom = new SplittableRandom(99);
    Together.whileRepeating(
        THREADS,
        t -> {
          SplittableRandom random = new SplittableRandom(7 + t);
          for (int i = 0; i < perThread; i++) {
            if (random.nextInt(100) == 0) {
              ticker.advanceMillis(1);
            }
            boolean failNow = random.nextInt(100) < 45;
            try {
              breaker.call(
                  () -> {
                    if (failNow) {
                      throw new IOException("down");
                    }
                    return "ok";
                  });
              returned.increment();
            } catch (CircuitBreakerOpenException e) {
              refused.increment();
            } catch (IOException e) {
              threw.increment();
            }
            assertThat(configs).contains(breaker.config());
          }
        },
        round -> {
          breaker.reconfigure(configs.get(operatorRandom.nextInt(configs.size())));
          Thread.onSpinWait();
        });

    long total = (long) THREADS * perThread;
    assertThat(returned.sum() + threw.sum() + refused.sum()).isEqualTo(total);
    assertThat(counts.successes.sum()).isEqualTo(returned.sum());
    assertThat(counts.failures.sum()).isEqualTo(threw.sum());
    assertThat(counts.rejected.sum()).isEqualTo(refused.sum());
    assertThat(breaker.stats().rejections()).isEqualTo(refused.sum());

    // No probe was lost, whatever the state: once the longest wait and lease are over, calls pass.
    ticker.advance(Duration.ofMinutes(2));
    Breakers.succeed(breaker, 3);
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
    // The window in force is the last config's, never one a racing transition built from another.
    Breakers.succeed(breaker, 100);
    assertThat(breaker.stats().windowCalls()).isEqualTo(breaker.config().windowCalls());
  }
}
