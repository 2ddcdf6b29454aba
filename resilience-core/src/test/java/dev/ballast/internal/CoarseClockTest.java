package dev.ballast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class CoarseClockTest {

  private static final long MS = 1_000_000L;

  private final TestTicker source = new TestTicker();
  private final TestScheduler timer = new TestScheduler(source);

  /** The source's time moved by hand without running the timer: what a busy timer lags behind. */
  private final AtomicLong behind = new AtomicLong();

  private final Ticker lagging = () -> source.read() + behind.get();

  /** The source's reading when the test began (a TestTicker does not start at zero). */
  private final long t0 = source.read();

  @Test
  void withoutATimerItIsTheSourceItself() {
    assertThat(CoarseClock.of(source, null, MS)).isSameAs(source);
  }

  @Test
  void aReadBetweenRefreshesReturnsTheLastRefreshNeverAheadOfTheSource() {
    Ticker clock = CoarseClock.of(lagging, timer, MS);
    assertThat(clock.read()).as("the first read starts the timer and is exact").isEqualTo(t0);
    behind.set(400_000);
    assertThat(clock.read()).as("0.4 ms later, before a refresh").isEqualTo(t0);
    behind.set(0);
    source.advanceNanos(MS); // the refresh runs at 1 ms
    assertThat(clock.read()).isEqualTo(t0 + MS);
    behind.set(999_999);
    assertThat(clock.read()).isEqualTo(t0 + MS).isLessThanOrEqualTo(lagging.read());
  }

  @Test
  void theTimerStopsWhenNobodyReadsAndTheNextReadIsExactAndStartsItAgain() {
    Ticker clock = CoarseClock.of(source, timer, MS);
    long unused = clock.read();
    assertThat(timer.pending()).isEqualTo(1);
    source.advanceNanos(MS); // a refresh: nobody read since the start, so it stops
    assertThat(timer.pending()).as("stopped: an idle owner costs no timer work").isZero();
    source.advanceNanos(5 * MS + 123);
    assertThat(clock.read()).as("read through to the source").isEqualTo(t0 + 6 * MS + 123);
    assertThat(timer.pending()).isEqualTo(1);
    unused = clock.read(); // read since the restart: the next refresh schedules another
    source.advanceNanos(MS);
    assertThat(timer.pending()).isEqualTo(1);
  }

  @Test
  void aClosedTimerTurnsItIntoItsSourceReadEveryTime() {
    Ticker clock = CoarseClock.of(lagging, timer, MS);
    timer.close();
    behind.set(7);
    assertThat(clock.read()).isEqualTo(t0 + 7);
    behind.set(9);
    assertThat(clock.read()).isEqualTo(t0 + 9);
  }

  @Test
  void readingsNeverGoBackwardsUnderManyReaders() throws Exception {
    Ticker clock = CoarseClock.of(source, timer, MS);
    List<Thread> readers = new ArrayList<>();
    AtomicLong backwards = new AtomicLong();
    for (int t = 0; t < 4; t++) {
      readers.add(
          new Thread(
              () -> {
                long last = Long.MIN_VALUE;
                for (int i = 0; i < 20_000; i++) {
                  long r = clock.read();
                  if (r < last) {
                    backwards.incrementAndGet();
                  }
                  last = r;
                }
              }));
    }
    readers.forEach(Thread::start);
    for (int i = 0; i < 2_000; i++) {
      source.advanceNanos(MS / 2);
    }
    for (Thread r : readers) {
      r.join();
    }
    assertThat(backwards).hasValue(0);
    assertThat(clock.read()).isLessThanOrEqualTo(source.read());
  }

  @Test
  void aResolutionBelowOneNanosecondIsRefusedNamingIt() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> CoarseClock.of(source, timer, 0))
        .withMessage("resolutionNanos must be > 0, was 0");
  }
}
