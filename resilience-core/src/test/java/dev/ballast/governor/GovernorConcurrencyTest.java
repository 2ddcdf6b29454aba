package dev.ballast.governor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.TestTicker;
import dev.ballast.Together;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class GovernorConcurrencyTest {

  @Test
  void manyThreadsAskingNeverExceedTheRateAndTheCountsAddUp() throws Exception {
    TestTicker ticker = new TestTicker();
    Governor g =
        Governor.of(
            "g",
            GovernorConfig.builder()
                .action("scale-up", 50, Duration.ofMinutes(1))
                .band(0, 100)
                .ticker(ticker)
                .build());
    int threads = 8;
    int asks = 5_000;
    AtomicInteger allowed = new AtomicInteger();
    AtomicInteger delayed = new AtomicInteger();
    Together.run(
        threads,
        t -> {
          for (int i = 0; i < asks; i++) {
            Decision d = g.decide("scale-up", 50);
            (d.allowed() ? allowed : delayed).incrementAndGet();
          }
        });

    assertThat(allowed).as("the burst, never more in one period").hasValue(50);
    assertThat(delayed).hasValue(threads * asks - 50);
    GovernorStats s = g.stats();
    assertThat(s.allowed()).isEqualTo(50);
    assertThat(s.delays()).isEqualTo((long) threads * asks - 50);
    assertThat(s.decisions()).isEqualTo((long) threads * asks);
  }
}
