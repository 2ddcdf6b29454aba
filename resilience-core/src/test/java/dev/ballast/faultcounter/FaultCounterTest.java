package dev.ballast.faultcounter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.TestTicker;
import dev.ballast.Together;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

final class FaultCounterTest {
  private final TestTicker ticker = new TestTicker();

  @Test
  void overflowsOnlyAboveCapacity() {
    FaultCounter c = FaultCounter.of(3, Duration.ofSeconds(1), ticker);
    assertThat(c.recordFault()).isFalse();
    assertThat(c.recordFault()).isFalse();
    assertThat(c.recordFault()).isFalse();
    assertThat(c.level()).isEqualTo(3);
    assertThat(c.isOverflowing()).isFalse();
    assertThat(c.recordFault()).isTrue();
    assertThat(c.isOverflowing()).isTrue();
  }

  @Test
  void leaksOneFaultPerInterval() {
    FaultCounter c = FaultCounter.of(10, Duration.ofSeconds(2), ticker);
    for (int i = 0; i < 5; i++) {
      c.recordFault();
    }
    assertThat(c.level()).isEqualTo(5);
    ticker.advance(Duration.ofSeconds(2));
    assertThat(c.level()).isEqualTo(4);
    ticker.advance(Duration.ofMillis(1));
    assertThat(c.level()).isEqualTo(4); // a partly leaked fault still counts
    ticker.advance(Duration.ofSeconds(60));
    assertThat(c.level()).isZero();
    c.recordFault();
    assertThat(c.level()).isEqualTo(1); // an empty bucket does not bank credit
  }

  @Test
  void aStormDrainsInBoundedTime() {
    FaultCounter c = FaultCounter.of(2, Duration.ofSeconds(1), ticker);
    for (int i = 0; i < 10_000; i++) {
      c.recordFault();
    }
    assertThat(c.level()).isEqualTo(3);
    ticker.advance(Duration.ofSeconds(3));
    assertThat(c.level()).isZero();
  }

  @Test
  void resetEmptiesTheBucket() {
    FaultCounter c = FaultCounter.of(1, Duration.ofMinutes(1), ticker);
    c.recordFault();
    c.recordFault();
    c.reset();
    assertThat(c.level()).isZero();
    assertThat(c.recordFault()).isFalse();
  }

  @Test
  void aNewBucketIsEmptyWhateverTheTickersOrigin() {
    // System.nanoTime() may read negative: only differences of readings mean anything.
    AtomicLong nanos = new AtomicLong(-5_000_000_000L);
    FaultCounter c = FaultCounter.of(1, Duration.ofSeconds(1), nanos::get);
    assertThat(c.level()).isZero();
    assertThat(c.isOverflowing()).isFalse();
    assertThat(c.recordFault()).isFalse();
    assertThat(c.level()).isEqualTo(1);
    nanos.addAndGet(1_000_000_000L);
    assertThat(c.level()).isZero();
  }

  @Test
  void aBucketTooLongToDrainIsRefusedInsteadOfNeverOverflowing() {
    // 1,001 faults of 365 days each: the spans saturated and the bucket could never overflow.
    assertThatThrownBy(() -> FaultCounter.of(1000, Duration.ofDays(365), ticker))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "(capacity + 1) * leakInterval must be at most 26687 days,"
                + " was capacity=1000 leakInterval=PT8760H");
    assertThatThrownBy(() -> FaultCounter.of(Integer.MAX_VALUE, Duration.ofNanos(1L << 32), ticker))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLongestBucketAllowedStillOverflows() {
    long leak = FaultCounter.MAX_SPAN_NANOS / 3; // capacity 2: (2 + 1) * leak is the maximum
    FaultCounter c = FaultCounter.of(2, Duration.ofNanos(leak), ticker);
    assertThat(c.recordFault()).isFalse();
    assertThat(c.recordFault()).isFalse();
    assertThat(c.level()).isEqualTo(2);
    assertThat(c.recordFault()).isTrue();
    assertThat(c.level()).isEqualTo(3);
    assertThat(c.isOverflowing()).isTrue();
  }

  @Test
  void theLevelIsCountedForLeakIntervalsOfDecades() {
    FaultCounter c = FaultCounter.of(1, Duration.ofDays(10_000), ticker);
    assertThat(c.recordFault()).isFalse();
    assertThat(c.recordFault()).isTrue();
    assertThat(c.level()).isEqualTo(2);
    assertThat(c.isOverflowing()).isTrue();
  }

  @Test
  void reportsItsSettingsAndLevel() {
    FaultCounter c = FaultCounter.of(3, Duration.ofSeconds(2), ticker);
    c.recordFault();
    c.recordFault();
    assertThat(c.capacity()).isEqualTo(3);
    assertThat(c.leakInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c).hasToString("FaultCounter{level=2, capacity=3, leak=PT2S}");
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void validatesItsArguments() {
    assertThatThrownBy(() -> FaultCounter.of(0, Duration.ofSeconds(1), ticker))
        .hasMessageContaining("capacity")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> FaultCounter.of(1, Duration.ZERO, ticker))
        .hasMessageContaining("leakInterval");
    assertThatThrownBy(() -> FaultCounter.of(1, Duration.ofSeconds(1), null))
        .hasMessageContaining("ticker");
    assertThatThrownBy(() -> FaultCounter.of(1, Duration.ofSeconds(Long.MAX_VALUE), ticker))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leakInterval");
  }

  @Test
  @Tag("concurrency")
  void concurrentFaultsAreAllCounted() throws Exception {
    FaultCounter c = FaultCounter.of(1_000_000, Duration.ofMinutes(1), ticker);
    int threads = 8;
    int perThread = 5_000;
    AtomicInteger overflows = new AtomicInteger();
    Together.run(
        threads,
        t -> {
          for (int i = 0; i < perThread; i++) {
            if (c.recordFault()) {
              overflows.incrementAndGet();
            }
          }
        });
    assertThat(c.level()).isEqualTo((long) threads * perThread);
    assertThat(overflows).hasValue(0);
  }
}
