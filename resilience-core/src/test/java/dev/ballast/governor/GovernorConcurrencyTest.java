package dev.ballast.governor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.TestTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = 0; i < asks; i++) {
                  Decision d = g.decide("scale-up", 50);
                  (d.allowed() ? allowed : delayed).incrementAndGet();
                }
              });
      th.start();
      all.add(th);
    }
    start.countDown();
    for (Thread th : all) {
      th.join();
    }

    assertThat(allowed).as("the burst, never more in one period").hasValue(50);
    assertThat(delayed).hasValue(threads * asks - 50);
    GovernorStats s = g.stats();
    assertThat(s.allowed()).isEqualTo(50);
    assertThat(s.delays()).isEqualTo((long) threads * asks - 50);
    assertThat(s.decisions()).isEqualTo((long) threads * asks);
  }
}
