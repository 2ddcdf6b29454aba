package dev.ballast.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.TestTicker;
import dev.ballast.Together;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerListener;
import dev.ballast.circuitbreaker.CircuitBreakerOpenException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("concurrency")
final class ReloadConcurrencyTest {
  private static final int THREADS = 6;
  private static final String THRESHOLD =
      "ballast.circuitbreaker.configs.default.failure-rate-threshold";
  private static final String WAIT = "ballast.circuitbreaker.configs.default.wait-in-open";

  @Test
  void callsRacingReloadsLoseNoOutcomeAndEndInTheLastFilesConfig() throws Exception {
    TestTicker ticker = new TestTicker();
    CircuitBreakerConfig inCode =
        CircuitBreakerConfig.builder().ticker(ticker).countWindow(50).minimumCalls(10).build();
    List<Map<String, String>> files =
        List.of(
            Map.of(THRESHOLD, "0.4", WAIT, "5ms"),
            Map.of(THRESHOLD, "0.6", WAIT, "2ms"),
            Map.of(THRESHOLD, "0.5", WAIT, "3ms"));
    try (BallastRegistry registry =
        BallastRegistry.builder()
            .name("reload-race")
            .config(ComponentType.CIRCUIT_BREAKER, "default", inCode)
            .properties(files.get(0))
            .build()) {
      CircuitBreaker breaker = registry.circuitBreaker("inventory");
      LongAdder heardSuccesses = new LongAdder();
      LongAdder heardFailures = new LongAdder();
      breaker.addListener(
          new CircuitBreakerListener() {
            @Override
            public void onSuccess(long durationNanos) {
              heardSuccesses.increment();
            }

            @Override
            public void onFailure(long durationNanos, @Nullable Throwable error) {
              heardFailures.increment();
            }
          });
      int perThread = 20_000;
      LongAdder returned = new LongAdder();
      LongAdder threw = new LongAdder();
      LongAdder refused = new LongAdder();
      LongAdder reloads = new LongAdder();
      Together.whileRepeating(
          THREADS,
          t -> {
            SplittableRandom random = new SplittableRandom(11 + t);
            for (int i = 0; i < perThread; i++) {
              if (random.nextInt(100) == 0) {
                ticker.advanceMillis(1);
              }
              boolean failNow = random.nextInt(100) < 45;
              try {
                registry
                    .circuitBreaker("inventory")
                    .call(
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
            }
          },
          round -> {
            registry.reload(files.get((round + 1) % files.size()));
            reloads.increment();
          });
      registry.reload(files.get(1));

      long total = (long) THREADS * perThread;
      assertThat(returned.sum() + threw.sum() + refused.sum()).isEqualTo(total);
      assertThat(heardSuccesses.sum()).isEqualTo(returned.sum());
      assertThat(heardFailures.sum()).isEqualTo(threw.sum());
      assertThat(breaker.stats().rejections()).isEqualTo(refused.sum());
      assertThat(reloads.sum()).isPositive();
      assertThat(registry.circuitBreaker("inventory")).isSameAs(breaker);
      assertThat(registry.size()).isEqualTo(1);
      CircuitBreakerConfig last = breaker.config();
      assertThat(last.failureRateThreshold()).isEqualTo(0.6);
      assertThat(last.waitInOpen()).isEqualTo(Duration.ofMillis(2));
      assertThat(last.ticker()).as("the code config stays the base").isSameAs(ticker);
      assertThat(last.windowCalls()).isEqualTo(50);
    }
  }
}
