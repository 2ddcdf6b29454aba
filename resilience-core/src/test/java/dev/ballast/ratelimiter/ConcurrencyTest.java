package dev.ballast.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.Gate;
import dev.ballast.TestTicker;
import dev.ballast.Together;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Many threads on one limiter while virtual time moves: never over the limit, counts add up. */
final class ConcurrencyTest {
  private static final int THREADS = 8;
  private static final int CALLS = 20_000;

  private final TestTicker ticker = new TestTicker();

  @ParameterizedTest
  @EnumSource(RateLimiterConfig.Mode.class)
  void permitsGrantedNeverExceedTheBurstPlusTheRateOverTheElapsedTime(RateLimiterConfig.Mode mode)
      throws InterruptedException {
    RateLimiter limiter =
        RateLimiter.of(
            "api",
            RateLimiterConfig.builder()
                .limitForPeriod(1000)
                .period(Duration.ofSeconds(1))
                .burst(20)
                .mode(mode)
                .ticker(ticker)
                .build());
    long start = ticker.read();
    LongAdder granted = new LongAdder();
    LongAdder admitted = new LongAdder();
    LongAdder refused = new LongAdder();
    Together.run(
        THREADS,
        t -> {
          for (int i = 0; i < CALLS; i++) {
            int n = 1 + (i & 1);
            if (limiter.tryAcquire(n) == Gate.REFUSED) {
              refused.increment();
            } else {
              admitted.increment();
              granted.add(n);
            }
            if (i % 8 == 0) {
              ticker.advanceNanos(100_000); // 0.1 ms: a tenth of a permit
            }
          }
        });
    long elapsed = ticker.read() - start;
    long ceiling = 20 + elapsed / 1_000_000;
    RateLimiterStats s = limiter.stats();
    assertThat(granted.sum()).isLessThanOrEqualTo(ceiling).isGreaterThan(ceiling / 2);
    assertThat(s.permits()).isEqualTo(granted.sum());
    assertThat(s.calls()).isEqualTo(admitted.sum());
    assertThat(s.rejections()).isEqualTo(refused.sum());
    assertThat(s.calls() + s.rejections()).isEqualTo((long) THREADS * CALLS);
  }

  @Test
  void aWarmingLimiterNeverGrantsFasterThanItsFullRate() throws InterruptedException {
    RateLimiter limiter =
        RateLimiter.of(
            "api",
            RateLimiterConfig.builder()
                .limitForPeriod(1000)
                .period(Duration.ofSeconds(1))
                .mode(RateLimiterConfig.Mode.SMOOTH)
                .warmUp(Duration.ofMillis(50))
                .ticker(ticker)
                .build());
    long start = ticker.read();
    LongAdder granted = new LongAdder();
    Together.run(
        THREADS,
        t -> {
          for (int i = 0; i < CALLS; i++) {
            if (limiter.tryAcquire() != Gate.REFUSED) {
              granted.increment();
            }
            if (i % 8 == 0) {
              ticker.advanceNanos(100_000);
            }
          }
        });
    long elapsed = ticker.read() - start;
    assertThat(granted.sum()).isLessThanOrEqualTo(1 + elapsed / 1_000_000);
    assertThat(limiter.stats().calls() + limiter.stats().rejections())
        .isEqualTo((long) THREADS * CALLS);
  }
}
