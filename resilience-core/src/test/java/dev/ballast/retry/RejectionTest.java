package dev.ballast.retry;

import static dev.ballast.RejectedException.Reason.DEPENDENCY_FAILURE;
import static dev.ballast.RejectedException.Reason.OVERLOAD;
import static dev.ballast.retry.Retries.config;
import static dev.ballast.retry.Retries.ms;
import static dev.ballast.retry.Retries.nanos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.RejectedException;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.retry.Retries.Recorder;
import dev.ballast.retry.Retries.TestRejection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

final class RejectionTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);

  /** Refuses {@code refusals} times with the given rejection, then returns "through". */
  private static final class Refusing {
    final AtomicInteger attempts = new AtomicInteger();
    final int refusals;
    final RejectedException.Reason reason;
    final @Nullable Duration retryAfter;

    Refusing(int refusals, RejectedException.Reason reason, @Nullable Duration retryAfter) {
      this.refusals = refusals;
      this.reason = reason;
      this.retryAfter = retryAfter;
    }

    String call() {
      if (attempts.incrementAndGet() <= refusals) {
        throw new TestRejection(reason, retryAfter);
      }
      return "through";
    }
  }

  @Test
  void neverRetriesARejectionByDefault() {
    Retry retry =
        Retry.of("r", config(scheduler).retryOn(RuntimeException.class).maxAttempts(5).build());
    for (RejectedException.Reason reason : RejectedException.Reason.values()) {
      Refusing r = new Refusing(1, reason, Duration.ofMillis(5));
      assertThatThrownBy(() -> retry.get(r::call)).isInstanceOf(TestRejection.class);
      assertThat(r.attempts).hasValue(1);
    }
    assertThat(retry.stats().rejections()).isEqualTo(2);
    assertThat(retry.stats().calls()).isEqualTo(2);
  }

  @Test
  void retriesOverloadOnlyWhenConfigured() {
    Retry retry =
        Retry.of(
            "overload",
            config(scheduler)
                .retryOnOverload(true)
                .backoff(Backoff.fixed(ms(50)))
                .maxAttempts(5)
                .build());
    Refusing overloaded = new Refusing(2, OVERLOAD, null);
    long t0 = ticker.read();
    assertThat(retry.get(overloaded::call)).isEqualTo("through");
    assertThat(overloaded.attempts).hasValue(3);
    assertThat(ticker.read() - t0).isEqualTo(nanos(100));

    Refusing broken = new Refusing(2, DEPENDENCY_FAILURE, null);
    assertThatThrownBy(() -> retry.get(broken::call)).isInstanceOf(TestRejection.class);
    assertThat(broken.attempts).hasValue(1);
    assertThat(retry.stats().rejections()).isEqualTo(1);
    assertThat(retry.stats().successesAfterRetry()).isEqualTo(1);
  }

  @Test
  void waitsForRetryAfterWhenLongerThanTheBackoff() {
    Retry retry =
        Retry.of(
            "handshake",
            config(scheduler)
                .waitForRetryAfter(Duration.ofSeconds(5))
                .backoff(Backoff.fixed(ms(100)))
                .maxAttempts(3)
                .build());
    Recorder rec = new Recorder();
    retry.addListener(rec);
    Refusing r = new Refusing(1, DEPENDENCY_FAILURE, ms(1500));
    long t0 = ticker.read();
    assertThat(retry.get(r::call)).isEqualTo("through");
    assertThat(ticker.read() - t0).isEqualTo(nanos(1500));
    assertThat(rec.delays).containsExactly(nanos(1500));

    Refusing quick = new Refusing(1, OVERLOAD, ms(20));
    long t1 = ticker.read();
    assertThat(retry.get(quick::call)).isEqualTo("through");
    assertThat(ticker.read() - t1).isEqualTo(nanos(100)); // max(retryAfter, backoff)
  }

  @Test
  void aRetryAfterLongerThanTheLongestAcceptedEndsTheRetryAtOnce() {
    Retry retry =
        Retry.of(
            "handshake",
            config(scheduler)
                .waitForRetryAfter(Duration.ofSeconds(5))
                .retryOnOverload(true)
                .backoff(Backoff.fixed(ms(100)))
                .build());
    Refusing r = new Refusing(1, OVERLOAD, Duration.ofSeconds(30));
    long t0 = ticker.read();
    assertThatThrownBy(() -> retry.get(r::call)).isInstanceOf(TestRejection.class);
    assertThat(r.attempts).hasValue(1);
    assertThat(ticker.read()).isEqualTo(t0);
    assertThat(retry.stats().rejections()).isEqualTo(1);
  }

  @Test
  void aRejectionWithoutRetryAfterIsNotRetriedByWaitingForOne() {
    Retry retry =
        Retry.of("handshake", config(scheduler).waitForRetryAfter(Duration.ofSeconds(5)).build());
    Refusing r = new Refusing(1, DEPENDENCY_FAILURE, null);
    assertThatThrownBy(() -> retry.get(r::call)).isInstanceOf(TestRejection.class);
    assertThat(r.attempts).hasValue(1);
  }

  @Test
  void retryAfterStillObeysMaxAttemptsAndMaxDuration() {
    Retry attempts =
        Retry.of(
            "a",
            config(scheduler)
                .waitForRetryAfter(Duration.ofSeconds(5))
                .backoff(Backoff.fixed(ms(1)))
                .maxAttempts(2)
                .build());
    Refusing r = new Refusing(5, DEPENDENCY_FAILURE, ms(10));
    assertThatThrownBy(() -> attempts.get(r::call)).isInstanceOf(TestRejection.class);
    assertThat(r.attempts).hasValue(2);
    assertThat(attempts.stats().failuresAfterRetry()).isEqualTo(1);

    Retry bounded =
        Retry.of(
            "d",
            config(scheduler)
                .waitForRetryAfter(Duration.ofSeconds(5))
                .backoff(Backoff.fixed(ms(1)))
                .maxDuration(Duration.ofSeconds(1))
                .build());
    Refusing slow = new Refusing(5, DEPENDENCY_FAILURE, Duration.ofSeconds(2));
    assertThatThrownBy(() -> bounded.get(slow::call)).isInstanceOf(TestRejection.class);
    assertThat(slow.attempts).hasValue(1);
    assertThat(bounded.stats().failuresWithoutRetry()).isEqualTo(1);
  }

  @Test
  void aRetryAfterOfZeroIsRetriedAfterTheBackoff() {
    Retry retry =
        Retry.of(
            "handshake",
            config(scheduler)
                .waitForRetryAfter(Duration.ofSeconds(5))
                .backoff(Backoff.fixed(ms(100)))
                .build());
    Refusing r = new Refusing(1, DEPENDENCY_FAILURE, Duration.ZERO);
    long t0 = ticker.read();
    assertThat(retry.get(r::call)).isEqualTo("through");
    assertThat(r.attempts).hasValue(2);
    assertThat(ticker.read() - t0).isEqualTo(nanos(100));
  }

  @Test
  void aRetryAfterExactlyTheLongestAcceptedIsWaitedFor() {
    Retry retry =
        Retry.of(
            "handshake",
            config(scheduler)
                .waitForRetryAfter(Duration.ofSeconds(5))
                .backoff(Backoff.fixed(ms(100)))
                .build());
    Refusing r = new Refusing(1, DEPENDENCY_FAILURE, Duration.ofSeconds(5));
    long t0 = ticker.read();
    assertThat(retry.get(r::call)).isEqualTo("through");
    assertThat(ticker.read() - t0).isEqualTo(Duration.ofSeconds(5).toNanos());
  }

  /** A rejection whose subclass reports a wait longer than a long of nanoseconds holds. */
  private static final class Forever extends RejectedException {
    private static final long serialVersionUID = 1L;

    Forever() {
      super("dependency", DEPENDENCY_FAILURE, null, "refused for ever", false);
    }

    @Override
    public java.util.Optional<Duration> retryAfter() {
      return java.util.Optional.of(java.time.temporal.ChronoUnit.FOREVER.getDuration());
    }
  }

  @Test
  void aRetryAfterTooLongForNanosecondsIsLongerThanAnyAcceptedWait() {
    Retry retry =
        Retry.of(
            "handshake",
            config(scheduler)
                .waitForRetryAfter(Duration.ofDays(365))
                .backoff(Backoff.fixed(ms(100)))
                .build());
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry.run(
                    () -> {
                      attempts.incrementAndGet();
                      throw new Forever();
                    }))
        .isInstanceOf(Forever.class);
    assertThat(attempts).hasValue(1);
    assertThat(retry.stats().rejections()).isEqualTo(1);
  }
}
