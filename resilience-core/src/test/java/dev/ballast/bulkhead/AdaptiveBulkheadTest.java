package dev.ballast.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Allocations;
import dev.ballast.Gate;
import dev.ballast.Pipeline;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutConfig;
import dev.ballast.timeout.TimeoutExceededException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/** The hook: what a bulkhead with an adaptive limit feeds it, and where the limit shows. */
final class AdaptiveBulkheadTest {
  private final TestTicker ticker = new TestTicker();
  private final List<String> changes = new CopyOnWriteArrayList<>();

  private Bulkhead adaptive(AdaptiveLimit.Builder limit) {
    Bulkhead b =
        Bulkhead.of(
            "adaptive",
            BulkheadConfig.builder()
                .adaptiveLimit(limit.window(Duration.ofMillis(100)).sampling(1).build())
                .ticker(ticker)
                .build());
    b.addListener(
        new BulkheadListener() {
          @Override
          public void onLimitChanged(long previous, long current) {
            changes.add(previous + "->" + current);
          }
        });
    return b;
  }

  private static AdaptiveLimit.Builder aimd() {
    return AdaptiveLimit.aimd().initialLimit(10).latencyThreshold(Duration.ofMillis(50));
  }

  /** {@code n} calls at once taking {@code ms} each, every permit then completed by {@code how}. */
  private void calls(Bulkhead b, int n, long ms, LongConsumer how) {
    long[] permits = new long[n];
    for (int i = 0; i < n; i++) {
      permits[i] = b.tryAcquire();
      assertThat(permits[i]).isNotEqualTo(Gate.REFUSED);
    }
    ticker.advanceMillis(ms);
    for (long p : permits) {
      how.accept(p);
    }
  }

  /** A window of ten rounds of {@code n} calls of 10 ms, completed by {@code how}. */
  private void window(Bulkhead b, int n, LongConsumer how) {
    for (int round = 0; round < 10; round++) {
      calls(b, n, 10, how);
    }
  }

  @Test
  void theLimitShowsInStatsAndEachChangeInTheListeners() {
    Bulkhead b = adaptive(aimd());
    assertThat(b.stats().maxConcurrentCalls()).isEqualTo(10);
    window(b, 10, p -> b.onResult(p, "ok"));
    assertThat(changes).containsExactly("10->11");
    assertThat(b.stats().maxConcurrentCalls()).isEqualTo(11);
    window(b, 11, p -> b.onResult(p, "ok"));
    assertThat(changes).containsExactly("10->11", "11->12");
    calls(b, 12, 0, p -> {}); // twelve permits held now
    assertThat(b.tryAcquire()).isEqualTo(Gate.REFUSED);
  }

  @Test
  void oneRejectionFromTheCallAmongOtherErrorsIsADropThatBacksOff() {
    Bulkhead b = adaptive(aimd());
    BulkheadFullException rejection = new BulkheadFullException("inner", 25, 25);
    int[] n = {0};
    window(b, 10, p -> b.onError(p, n[0]++ == 42 ? rejection : new IllegalStateException()));
    assertThat(changes).containsExactly("10->9");
  }

  @Test
  void aBallastTimeoutInsideIsADropThatBacksOff() {
    Bulkhead b = adaptive(aimd().initialLimit(20));
    Timeout timeout =
        Timeout.of(
            "slow",
            TimeoutConfig.builder(Duration.ofMillis(200))
                .scheduler(new TestScheduler(ticker))
                .build());
    Pipeline p = Pipeline.of(b, timeout);
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> p.call(this::hang)).isInstanceOf(TimeoutExceededException.class);
    }
    assertThat(changes).containsExactly("20->18");
  }

  private String hang() throws InterruptedException {
    for (int waited = 0; waited < 10_000; waited += 10) {
      ticker.advanceMillis(10);
      if (Thread.interrupted()) {
        throw new InterruptedException("read interrupted");
      }
    }
    return "very late";
  }

  @Test
  void anyOtherExceptionIsALatencySample() {
    Bulkhead b = adaptive(aimd());
    window(b, 10, p -> b.onError(p, new IOException("404")));
    assertThat(changes).containsExactly("10->11");
  }

  @Test
  void aReleasedPermitIsNoSample() {
    Bulkhead b = adaptive(aimd());
    for (int w = 0; w < 5; w++) {
      window(b, 10, b::release);
    }
    assertThat(changes).isEmpty();
    assertThat(b.stats().inFlight()).isZero();
  }

  @Test
  void aPermitCompletedTwiceIsOneSample() {
    Bulkhead b = adaptive(aimd());
    calls(
        b,
        5,
        50,
        p -> {
          b.onResult(p, "ok");
          b.onResult(p, "again");
          b.onError(p, new BulkheadFullException("inner", 1, 1));
        });
    assertThat(changes).as("5 samples, no drop: no window yet").isEmpty();
    calls(b, 5, 50, p -> b.onResult(p, "ok"));
    assertThat(changes).as("10 samples, none dropped").containsExactly("10->11");
  }

  @Test
  void aWindowWaitsForTenCompletedCallsHoweverLongItLasts() {
    Bulkhead b = adaptive(aimd());
    calls(b, 9, 1_000, p -> b.onResult(p, "ok"));
    assertThat(changes).isEmpty();
    calls(b, 1, 10, p -> b.onResult(p, "ok"));
    assertThat(changes).hasSize(1);
  }

  @Test
  void theSuccessPathAllocatesNothing() {
    for (int sampling : new int[] {1, 8}) {
      Bulkhead b =
          Bulkhead.of(
              "adaptive",
              BulkheadConfig.builder()
                  .adaptiveLimit(
                      AdaptiveLimit.gradient()
                          .window(Duration.ofMillis(1))
                          .sampling(sampling)
                          .build())
                  .build());
      assertThat(Allocations.bytesPerCall(() -> b.get(() -> "ok"))).isZero();
      assertThat(Allocations.bytesPerCall(() -> b.release(b.tryAcquire()))).isZero();
    }
  }

  @Test
  void aPartitionsCallsAreSamplesAndItsReservationStaysWhileTheLimitBacksOff() {
    Bulkhead b =
        Bulkhead.of(
            "adaptive",
            BulkheadConfig.builder()
                .adaptiveLimit(
                    aimd().minLimit(3).window(Duration.ofMillis(100)).sampling(1).build())
                .ticker(ticker)
                .partition("admin", 2)
                .build());
    Gate admin = b.partition("admin");
    int[] n = {0};
    // every partition's calls reach the same dependency: a drop through the admin gate backs off
    BulkheadFullException rejection = new BulkheadFullException("inner", 25, 25);
    for (int round = 0; round < 10; round++) {
      long mine = admin.tryAcquire();
      assertThat(mine).isNotEqualTo(Gate.REFUSED);
      ticker.advanceMillis(10);
      admin.onError(mine, n[0]++ == 3 ? rejection : new IllegalStateException());
    }
    assertThat(b.stats().maxConcurrentCalls()).isEqualTo(9);
    // the unreserved permits follow the limit; the two admin permits stay the admin's
    b.changeMaxConcurrentCalls(3);
    assertThat(b.tryAcquire()).isNotEqualTo(Gate.REFUSED);
    assertThat(b.tryAcquire()).isEqualTo(Gate.REFUSED);
    assertThat(admin.tryAcquire()).isNotEqualTo(Gate.REFUSED);
    assertThat(admin.tryAcquire()).isNotEqualTo(Gate.REFUSED);
  }

  @Test
  void partitionsMustLeaveRoomBelowTheAdaptiveMinimum() {
    BulkheadConfig.Builder config =
        BulkheadConfig.builder()
            .adaptiveLimit(aimd().minLimit(3).build())
            .partition("admin", 2)
            .partition("health", 1);
    assertThatThrownBy(config::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partitions reserve 3 permits")
        .hasMessageContaining("minLimit 3");
  }
}
