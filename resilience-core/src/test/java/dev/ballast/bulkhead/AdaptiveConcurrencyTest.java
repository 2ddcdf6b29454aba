package dev.ballast.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.Gate;
import dev.ballast.Together;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many threads on one adaptive bulkhead, with random hold times and every way of completing a
 * permit (a result, an exception, a drop, a release, a duplicate), while the controller changes the
 * limit every millisecond of real time.
 */
@Tag("concurrency")
final class AdaptiveConcurrencyTest {
  private static final int THREADS = 8;
  private static final int CALLS = 10_000;
  private static final int MIN = 3;
  private static final int MAX = 40;

  private static void spin(int n) {
    for (int i = 0; i < n; i++) {
      Thread.onSpinWait();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"aimd", "gradient"})
  void afterManyThreadsTheLimitIsWithinItsBoundsAndNoPermitIsHeldOrLost(String algorithm)
      throws Exception {
    AdaptiveLimit.Builder limit =
        algorithm.equals("aimd")
            ? AdaptiveLimit.aimd().latencyThreshold(Duration.ofNanos(20_000))
            : AdaptiveLimit.gradient();
    Bulkhead bulkhead =
        Bulkhead.of(
            "adaptive",
            BulkheadConfig.builder()
                .adaptiveLimit(
                    limit
                        .initialLimit(10)
                        .minLimit(MIN)
                        .maxLimit(MAX)
                        .window(Duration.ofMillis(1))
                        .sampling(2)
                        .build())
                .build());
    List<long[]> changes = new CopyOnWriteArrayList<>();
    bulkhead.addListener(
        new BulkheadListener() {
          @Override
          public void onLimitChanged(long previous, long current) {
            changes.add(new long[] {previous, current});
          }
        });
    LongAdder admitted = new LongAdder();
    LongAdder refused = new LongAdder();
    Together.run(
        THREADS,
        t -> {
          SplittableRandom random = new SplittableRandom(t);
          for (int i = 0; i < CALLS; i++) {
            long permit = bulkhead.tryAcquire();
            if (permit == Gate.REFUSED) {
              refused.increment();
              continue;
            }
            admitted.increment();
            spin(random.nextInt(random.nextInt(10) == 0 ? 20_000 : 500));
            switch (random.nextInt(5)) {
              case 0 -> bulkhead.onError(permit, new IOException("failed"));
              case 1 -> bulkhead.onError(permit, new BulkheadFullException("in", 1, 1));
              case 2 -> bulkhead.release(permit);
              case 3 -> {
                bulkhead.onResult(permit, "ok");
                bulkhead.onResult(permit, "duplicate");
              }
              default -> bulkhead.onResult(permit, "ok");
            }
          }
        });

    BulkheadStats stats = bulkhead.stats();
    assertThat(admitted.sum() + refused.sum()).isEqualTo((long) THREADS * CALLS);
    assertThat(stats.calls()).isEqualTo(admitted.sum());
    assertThat(stats.rejections()).isEqualTo(refused.sum());
    assertThat(stats.inFlight()).isZero();
    assertThat(stats.maxConcurrentCalls()).isBetween(MIN, MAX);
    assertThat(changes).as("the controller changed the limit while the threads ran").isNotEmpty();
    long last = 10;
    for (long[] c : changes) {
      assertThat(c[0]).as("changes are reported in order, one after another").isEqualTo(last);
      assertThat(c[1]).isBetween((long) MIN, (long) MAX);
      last = c[1];
    }
    assertThat(last).isEqualTo(stats.maxConcurrentCalls());
    // every permit of the limit can be taken, and not one more
    List<Long> held = new ArrayList<>();
    for (int i = 0; i < stats.maxConcurrentCalls(); i++) {
      long p = bulkhead.tryAcquire();
      assertThat(p).isNotEqualTo(Gate.REFUSED);
      held.add(p);
    }
    assertThat(bulkhead.tryAcquire()).isEqualTo(Gate.REFUSED);
    held.forEach(bulkhead::release);
    assertThat(bulkhead.stats().inFlight()).isZero();
  }
}
