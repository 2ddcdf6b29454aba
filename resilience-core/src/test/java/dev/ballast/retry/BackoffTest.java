package dev.ballast.retry;

import static dev.ballast.retry.Retries.ms;
import static dev.ballast.retry.Retries.nanos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class BackoffTest {
  private static final int DRAWS = 20_000;
  private final Random random = new Random(1);

  @Test
  void fixedWaitsTheSameEveryTime() {
    Backoff b = Backoff.fixed(ms(250));
    for (int n = 1; n <= 5; n++) {
      assertThat(b.delayNanos(n, 0, random)).isEqualTo(nanos(250));
    }
    assertThat(Backoff.fixed(Duration.ZERO).delayNanos(1, 0, random)).isZero();
    assertThat(b.maxDelay()).isEqualTo(ms(250));
  }

  @Test
  void exponentialIsInitialTimesMultiplierToTheNMinusOneCapped() {
    Backoff b = Backoff.exponential(ms(100), 1.5, ms(1000));
    assertThat(b.delayNanos(1, 0, random)).isEqualTo(nanos(100));
    assertThat(b.delayNanos(2, 0, random)).isEqualTo(nanos(150));
    assertThat(b.delayNanos(3, 0, random)).isEqualTo(nanos(225));
    assertThat(b.delayNanos(6, 0, random)).isEqualTo(759_375_000L);
    assertThat(b.delayNanos(7, 0, random)).isEqualTo(nanos(1000));
    assertThat(b.delayNanos(Integer.MAX_VALUE, 0, random)).isEqualTo(nanos(1000));
  }

  @Test
  void aMultiplierOfOneIsFixedAndWithoutACapTheCeilingIs365Days() {
    assertThat(Backoff.exponential(ms(100), 1.0).delayNanos(50, 0, random)).isEqualTo(nanos(100));
    Backoff uncapped = Backoff.exponential(ms(100), 10.0);
    assertThat(uncapped.maxDelay()).isEqualTo(Duration.ofDays(365));
    assertThat(uncapped.delayNanos(1000, 0, random)).isEqualTo(Duration.ofDays(365).toNanos());
  }

  @Test
  void fullJitterStaysWithinZeroAndTheDelayAndSpreadsOverIt() {
    Backoff b = Backoff.exponential(ms(100), 2.0, ms(400)).withFullJitter();
    for (int n = 1; n <= 4; n++) {
      long d = Math.min(nanos(400), nanos(100) << (n - 1));
      LongSummaryStatistics s = draws(b, n, 0);
      assertThat(s.getMin()).isGreaterThanOrEqualTo(0).isLessThan(d / 50);
      assertThat(s.getMax()).isLessThanOrEqualTo(d).isGreaterThan(d - d / 50);
      assertThat(s.getAverage()).isBetween(d * 0.47, d * 0.53);
    }
  }

  @Test
  void proportionalJitterStaysWithinItsBand() {
    Backoff b = Backoff.fixed(ms(200)).withJitter(0.25);
    LongSummaryStatistics s = draws(b, 1, 0);
    assertThat(s.getMin()).isGreaterThanOrEqualTo(nanos(150)).isLessThan(nanos(152));
    assertThat(s.getMax()).isLessThanOrEqualTo(nanos(200)).isGreaterThan(nanos(198));
    assertThat(Backoff.fixed(ms(200)).withJitter(0.0).delayNanos(1, 0, random))
        .isEqualTo(nanos(200));
  }

  @Test
  void decorrelatedJitterStaysBetweenTheBaseAndThreeTimesThePreviousCapped() {
    Backoff b = Backoff.decorrelatedJitter(ms(10), ms(1000));
    LongSummaryStatistics first = draws(b, 1, 0);
    assertThat(first.getMin()).isGreaterThanOrEqualTo(nanos(10));
    assertThat(first.getMax()).isLessThanOrEqualTo(nanos(30)).isGreaterThan(nanos(29));
    LongSummaryStatistics later = draws(b, 5, nanos(100));
    assertThat(later.getMin()).isGreaterThanOrEqualTo(nanos(10)).isLessThan(nanos(12));
    assertThat(later.getMax()).isLessThanOrEqualTo(nanos(300)).isGreaterThan(nanos(295));
    LongSummaryStatistics capped = draws(b, 9, nanos(900));
    assertThat(capped.getMax()).isLessThanOrEqualTo(nanos(1000)).isGreaterThan(nanos(990));
    // A chain of draws never leaves [base, cap].
    long previous = 0;
    for (int n = 1; n <= DRAWS; n++) {
      previous = b.delayNanos(n, previous, random);
      assertThat(previous).isBetween(nanos(10), nanos(1000));
    }
  }

  @Test
  void jitterNeverYieldsANegativeDelayNorExceedsTheMax() {
    Backoff[] all = {
      Backoff.fixed(Duration.ZERO).withFullJitter(),
      Backoff.fixed(Duration.ofNanos(1)).withFullJitter(),
      Backoff.exponential(Duration.ofNanos(1), 3.0, Duration.ofNanos(7)).withJitter(0.9),
      Backoff.exponential(Duration.ofDays(1), 2.0, Duration.ofDays(365)).withFullJitter(),
      Backoff.decorrelatedJitter(Duration.ofNanos(1), Duration.ofNanos(2))
    };
    for (Backoff b : all) {
      long max = b.maxDelay().toNanos();
      for (int n = 1; n <= 200; n++) {
        assertThat(b.delayNanos(n, n * 3L, random)).isBetween(0L, max);
      }
    }
  }

  @Test
  void isAValueType() {
    assertThat(Backoff.exponential(ms(100), 2.0, ms(800)).withFullJitter())
        .isEqualTo(Backoff.exponential(ms(100), 2.0, ms(800)).withJitter(1.0))
        .hasSameHashCodeAs(Backoff.exponential(ms(100), 2.0, ms(800)).withJitter(1.0))
        .isNotEqualTo(Backoff.exponential(ms(100), 2.0, ms(800)))
        .hasToString("exponential(initial=PT0.1S, multiplier=2.0, max=PT0.8S, jitter=1.0)");
    assertThat(Backoff.fixed(ms(5)))
        .isNotEqualTo(null)
        .isNotEqualTo("fixed(delay=PT0.005S, jitter=0.0)")
        .isNotEqualTo(Backoff.fixed(ms(6)))
        .doesNotHaveSameHashCodeAs(Backoff.fixed(ms(6)));
    assertThat(Backoff.fixed(ms(5))).hasToString("fixed(delay=PT0.005S, jitter=0.0)");
    assertThat(Backoff.decorrelatedJitter(ms(5), ms(50)))
        .hasToString("decorrelatedJitter(base=PT0.005S, max=PT0.05S)");
    Backoff b = Backoff.exponential(ms(100), 2.0, ms(800)).withJitter(0.5);
    assertThat(b.initialDelay()).isEqualTo(ms(100));
    assertThat(b.multiplier()).isEqualTo(2.0);
    assertThat(b.maxDelay()).isEqualTo(ms(800));
    assertThat(b.jitter()).isEqualTo(0.5);
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void rejectsBadSettingsNamingTheParameterAndTheValue() {
    assertThatThrownBy(() -> Backoff.fixed(ms(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must be >= 0, was PT-0.001S");
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofDays(366)))
        .hasMessageStartingWith("delay must be <= PT8760H, was PT8784H");
    assertThatThrownBy(() -> Backoff.fixed(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("delay must not be null");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, 2.0))
        .hasMessage("initial must be > 0, was PT0S");
    assertThatThrownBy(() -> Backoff.exponential(ms(10), 0.5))
        .hasMessage("multiplier must be a finite number >= 1.0, was 0.5");
    assertThatThrownBy(() -> Backoff.exponential(ms(10), Double.NaN))
        .hasMessage("multiplier must be a finite number >= 1.0, was NaN");
    assertThatThrownBy(() -> Backoff.exponential(ms(10), Double.POSITIVE_INFINITY))
        .hasMessage("multiplier must be a finite number >= 1.0, was Infinity");
    assertThatThrownBy(() -> Backoff.exponential(ms(10), 2.0, ms(5)))
        .hasMessage("cap must be >= initial (PT0.01S), was PT0.005S");
    assertThatThrownBy(() -> Backoff.decorrelatedJitter(ms(10), ms(5)))
        .hasMessage("cap must be >= base (PT0.01S), was PT0.005S");
    assertThatThrownBy(() -> Backoff.fixed(ms(1)).withJitter(1.5))
        .hasMessage("jitter must be in [0, 1], was 1.5");
    assertThatThrownBy(() -> Backoff.fixed(ms(1)).withJitter(-0.1))
        .hasMessage("jitter must be in [0, 1], was -0.1");
    assertThatThrownBy(() -> Backoff.decorrelatedJitter(ms(1), ms(2)).withFullJitter())
        .isInstanceOf(IllegalStateException.class);
  }

  private LongSummaryStatistics draws(Backoff b, int retry, long previous) {
    LongSummaryStatistics s = new LongSummaryStatistics();
    for (int i = 0; i < DRAWS; i++) {
      s.accept(b.delayNanos(retry, previous, random));
    }
    return s;
  }

  @Test
  void theScheduleIsTheDelaysARetryWaits() {
    Backoff b = Backoff.exponential(ms(100), 2.0, ms(1000)).withJitter(0.5);
    List<Duration> schedule = b.delays(6, new Random(7));
    assertThat(b.delays(6, new Random(7))).isEqualTo(schedule); // deterministic for a seed
    dev.ballast.TestScheduler scheduler =
        new dev.ballast.TestScheduler(new dev.ballast.TestTicker());
    Retry retry =
        Retry.of(
            "schedule",
            RetryConfig.builder()
                .scheduler(scheduler)
                .maxAttempts(7)
                .backoff(b)
                .random(new Random(7))
                .build());
    Retries.Recorder r = new Retries.Recorder();
    retry.addListener(r);
    assertThatThrownBy(() -> retry.call(new Retries.Flaky(100)))
        .isInstanceOf(java.io.IOException.class);
    assertThat(r.delays)
        .containsExactlyElementsOf(schedule.stream().map(Duration::toNanos).toList());
  }

  @Test
  void theScheduleOfEachKind() {
    assertThat(Backoff.exponential(ms(100), 2.0, ms(1000)).delays(6, random))
        .containsExactly(ms(100), ms(200), ms(400), ms(800), ms(1000), ms(1000));
    assertThat(Backoff.fixed(ms(5)).delays(3, random)).containsExactly(ms(5), ms(5), ms(5));
    assertThat(Backoff.fixed(ms(5)).delays(0, random)).isEmpty();
    // Decorrelated jitter chains each delay to the one before it.
    List<Duration> chain = Backoff.decorrelatedJitter(ms(10), ms(1000)).delays(50, new Random(9));
    Random same = new Random(9);
    long previous = nanos(10);
    for (Duration d : chain) {
      long hi = Math.min(nanos(1000), previous * 3);
      long expected = nanos(10) + same.nextLong(hi - nanos(10) + 1);
      assertThat(d.toNanos()).isEqualTo(expected);
      previous = expected;
    }
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void theScheduleIsBoundedAndImmutable() {
    Backoff b = Backoff.fixed(ms(1));
    assertThat(b.delays(10_000, random)).hasSize(10_000);
    assertThatThrownBy(() -> b.delays(10_001, random))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retries must be in [0, 10000], was 10001");
    assertThatThrownBy(() -> b.delays(-1, random))
        .hasMessage("retries must be in [0, 10000], was -1");
    assertThatThrownBy(() -> b.delays(1, null)).hasMessage("random must not be null");
    assertThatThrownBy(() -> b.delays(2, random).add(ms(1)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aCapEqualToTheFirstDelayIsAcceptedAndHoldsEveryDelayThere() {
    assertThat(Backoff.exponential(ms(10), 2.0, ms(10)).delays(3, random))
        .containsExactly(ms(10), ms(10), ms(10));
    assertThat(Backoff.decorrelatedJitter(ms(10), ms(10)).delays(3, random))
        .containsExactly(ms(10), ms(10), ms(10));
  }

  @Test
  void aRetryChainsDecorrelatedDelaysAsTheScheduleDoes() {
    // Each decorrelated delay is drawn up to three times the one before it: the retry must
    // remember the last delay between attempts, as delays() does.
    Backoff b = Backoff.decorrelatedJitter(ms(10), ms(10_000));
    List<Duration> schedule = b.delays(8, new Random(3));
    dev.ballast.TestScheduler scheduler =
        new dev.ballast.TestScheduler(new dev.ballast.TestTicker());
    Retry retry =
        Retry.of(
            "decorrelated",
            RetryConfig.builder()
                .scheduler(scheduler)
                .maxAttempts(9)
                .backoff(b)
                .random(new Random(3))
                .build());
    Retries.Recorder r = new Retries.Recorder();
    retry.addListener(r);
    assertThatThrownBy(() -> retry.call(new Retries.Flaky(100)))
        .isInstanceOf(java.io.IOException.class);
    assertThat(r.delays)
        .containsExactlyElementsOf(schedule.stream().map(Duration::toNanos).toList());
    assertThat(schedule.get(7)).isGreaterThan(ms(30)); // grown past what an unchained draw allows
  }
}
