package dev.ballast.shed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ballast.Allocations;
import dev.ballast.Gate;
import dev.ballast.OutcomeClassifier;
import dev.ballast.RejectedException;
import dev.ballast.TestTicker;
import dev.ballast.testlog.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

final class AdaptiveThrottleTest {
  private final TestTicker ticker = new TestTicker();

  /** The backend's refusal as a client maps it: a 429 or a 503. */
  static final class TooManyRequests extends RejectedException {
    private static final long serialVersionUID = 1L;

    TooManyRequests() {
      super("backend", Reason.OVERLOAD, null, "429 Too Many Requests", false);
    }
  }

  /** A generator that always draws {@code value}. */
  private static RandomGenerator always(double value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  private AdaptiveThrottleConfig.Builder config() {
    return AdaptiveThrottleConfig.builder()
        .window(Duration.ofSeconds(10))
        .minimumRequests(1)
        .ticker(ticker);
  }

  /** {@code n} requests the backend refuses. */
  private static void refused(AdaptiveThrottle throttle, int n) {
    for (int i = 0; i < n; i++) {
      long permit = throttle.tryAcquire();
      if (permit != Gate.REFUSED) {
        throttle.onError(permit, new TooManyRequests());
      }
    }
  }

  /** {@code n} requests the backend accepts. */
  private static void accepted(AdaptiveThrottle throttle, int n) {
    for (int i = 0; i < n; i++) {
      long permit = throttle.tryAcquire();
      if (permit != Gate.REFUSED) {
        throttle.onResult(permit, "ok");
      }
    }
  }

  @Test
  void theDefaultsAreTheBooksKOfTwoOverTwoMinutes() {
    AdaptiveThrottleConfig d = AdaptiveThrottleConfig.defaults();
    assertThat(d.k()).isEqualTo(2.0);
    assertThat(d.window()).isEqualTo(Duration.ofMinutes(2));
    assertThat(d.minimumRequests()).isEqualTo(10);
    assertThat(d.classifier()).isSameAs(OutcomeClassifier.defaults());
    assertThat(d.toBuilder().build()).isEqualTo(d).hasSameHashCodeAs(d);
    assertThat(d).hasToString("AdaptiveThrottleConfig{k=2.0, window=PT2M, minimumRequests=10}");
    assertThat(AdaptiveThrottle.ofDefaults("backend").config()).isSameAs(d);
  }

  @Test
  void nothingIsRefusedWhileTheBackendAcceptsAtLeastOneRequestInK() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("backend", config().random(always(0.0)).build());
    for (int i = 0; i < 100; i++) {
      accepted(throttle, 1);
      refused(throttle, 1); // one in two accepted, K = 2
    }
    AdaptiveThrottleStats stats = throttle.stats();
    assertThat(stats.rejections()).isZero();
    assertThat(stats.calls()).isEqualTo(200);
    assertThat(stats.windowRequests()).isEqualTo(200);
    assertThat(stats.windowAccepts()).isEqualTo(100);
    assertThat(stats.windowRejectionProbability()).isZero();
  }

  @Test
  void theRejectionProbabilityIsTheBooksFormulaFromTheCountsEachRequestFinds() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("backend", config().random(always(0.9)).build());
    refused(throttle, 10); // p of the k-th request: (k - 1) / k, at most 9 / 10: all sent
    assertThat(throttle.stats().rejections()).isZero();
    accepted(throttle, 2); // (10 - 0) / 11 = 0.909 > 0.9: refused locally; then 11 / 12 also
    AdaptiveThrottleStats stats = throttle.stats();
    assertThat(stats.windowRequests()).isEqualTo(12);
    assertThat(stats.windowAccepts()).isZero();
    assertThat(stats.rejections()).isEqualTo(2);
    assertThat(stats.windowRejectionProbability()).isCloseTo(12.0 / 13, within(1e-12));

    AdaptiveThrottle lucky = AdaptiveThrottle.of("b", config().random(always(0.95)).build());
    refused(lucky, 12);
    assertThat(lucky.stats().rejections()).isZero(); // 0.95 >= every p up to 11 / 12
  }

  @Test
  void aLocalRefusalNamesTheFiguresAndWhenTheWindowMoves() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("backend", config().random(always(0.0)).build());
    refused(throttle, 9);
    ticker.advanceMillis(300);
    assertThatThrownBy(throttle::acquire)
        .isInstanceOfSatisfying(
            ThrottledException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RejectedException.Reason.OVERLOAD);
              assertThat(e.component()).isEqualTo("backend");
              assertThat(e.probability()).isCloseTo(9.0 / 10, within(1e-12));
              assertThat(e.retryAfter()).contains(Duration.ofMillis(700)); // the bucket's end
              assertThat(e.getStackTrace()).isEmpty();
            })
        .hasMessage(
            "adaptive throttle 'backend' refused the request locally: 10 requests and 0 accepted"
                + " in the window, k 2.0, rejection probability 0.900");
  }

  @Test
  void noRequestIsRefusedBelowTheMinimum() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("backend", config().minimumRequests(5).random(always(0.0)).build());
    refused(throttle, 5); // each finds fewer than 5 requests before it
    assertThat(throttle.stats().rejections()).isZero();
    refused(throttle, 1);
    assertThat(throttle.stats().rejections()).isEqualTo(1);
  }

  @Test
  void countsLeaveAfterTheWindowSoTheThrottleRecovers() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("backend", config().random(always(0.5)).build());
    refused(throttle, 50);
    assertThat(throttle.stats().windowRejectionProbability()).isGreaterThan(0.9);
    ticker.advance(Duration.ofSeconds(10));
    AdaptiveThrottleStats stats = throttle.stats();
    assertThat(stats.windowRequests()).isZero();
    assertThat(stats.windowRejectionProbability()).isZero();
    assertThat(throttle.tryAcquire()).isNotEqualTo(Gate.REFUSED);
  }

  @Test
  void againstABackendThatAcceptsAQuarterOfTheDemandTheClientSendsKTimesWhatItAccepts() {
    long[] first = simulate(42);
    long[] again = simulate(42);
    assertThat(again).containsExactly(first); // seeded: the same refusals
    // 400 requests asked a second, 100 accepted: over the last 30 s the client sends about
    // K * 100 = 200 a second and refuses the rest itself.
    assertThat(first[0] / 30.0).isBetween(180.0, 220.0);
    assertThat(first[1] / 30.0).isBetween(95.0, 100.0);
  }

  /** 60 s of 400 requests a second to a backend accepting 100 a second; the last 30 s' counts. */
  private long[] simulate(long seed) {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("backend", config().random(new Random(seed)).build());
    long sent = 0;
    long accepts = 0;
    for (int second = 0; second < 60; second++) {
      int acceptedThisSecond = 0;
      for (int i = 0; i < 400; i++) {
        ticker.advanceNanos(2_500_000);
        long permit = throttle.tryAcquire();
        if (permit == Gate.REFUSED) {
          continue;
        }
        boolean counted = second >= 30;
        sent += counted ? 1 : 0;
        if (acceptedThisSecond < 100) {
          acceptedThisSecond++;
          accepts += counted ? 1 : 0;
          throttle.onResult(permit, "ok");
        } else {
          throttle.onError(permit, new TooManyRequests());
        }
      }
    }
    return new long[] {sent, accepts};
  }

  @Test
  void theClassifierDecidesWhatTheBackendAccepted() {
    OutcomeClassifier onlyRefusals =
        OutcomeClassifier.builder()
            .failureOn(IllegalStateException.class)
            .failureOnResult(r -> "busy".equals(r))
            .ignore(InterruptedException.class)
            .build();
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of(
            "backend", config().classifier(onlyRefusals).random(always(0.99)).build());
    throttle.onError(throttle.acquire(), new IOException("500")); // answered: accepted
    throttle.onResult(throttle.acquire(), "ok"); // accepted
    throttle.onResult(throttle.acquire(), "busy"); // a FAILURE: not accepted
    throttle.onError(throttle.acquire(), new IllegalStateException()); // not accepted
    throttle.onError(throttle.acquire(), new TooManyRequests()); // a rejection: never accepted
    throttle.onError(throttle.acquire(), new InterruptedException()); // IGNORED: uncounted
    AdaptiveThrottleStats stats = throttle.stats();
    assertThat(stats.windowRequests()).isEqualTo(5);
    assertThat(stats.windowAccepts()).isEqualTo(2);
  }

  @Test
  void theDefaultClassifierAcceptsEveryResultAndNoException() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("backend", config().random(always(0.99)).build());
    throttle.onResult(throttle.acquire(), null);
    throttle.onError(throttle.acquire(), new IOException("500"));
    assertThat(throttle.stats().windowAccepts()).isEqualTo(1);
    assertThat(throttle.stats().windowRequests()).isEqualTo(2);
  }

  @Test
  void aReleasedPermitTakesItsRequestBackOut() {
    AdaptiveThrottle throttle = AdaptiveThrottle.of("backend", config().build());
    long permit = throttle.acquire();
    assertThat(throttle.stats().windowRequests()).isEqualTo(1); // counted before the call
    throttle.release(permit);
    assertThat(throttle.stats().windowRequests()).isZero();
    throttle.release(Gate.REFUSED);
    throttle.release(-7);
    assertThat(throttle.stats().windowRequests()).isZero();
  }

  @Test
  void aClassifierThatThrowsNeverLosesTheCallersOutcome() {
    LogCapture.clear();
    OutcomeClassifier broken =
        OutcomeClassifier.builder()
            .failureWhen(
                e -> {
                  throw new IllegalStateException("classifier bug");
                })
            .failureOnResult(
                r -> {
                  throw new IllegalStateException("classifier bug");
                })
            .build();
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("backend", config().classifier(broken).random(always(0.99)).build());
    assertThat(throttle.get(() -> "answer")).isEqualTo("answer"); // counted as accepted
    assertThatThrownBy(
            () ->
                throttle.call(
                    () -> {
                      throw new IOException("down");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("down"); // counted as not accepted
    assertThat(throttle.stats().windowAccepts()).isEqualTo(1);
    assertThat(LogCapture.lines(AdaptiveThrottle.class.getName()))
        .extracting(LogCapture.Line::message)
        .contains("name=backend classifier threw; the result counts as accepted");
  }

  @Test
  void aRandomGeneratorThatThrowsAdmitsTheRequest() {
    RandomGenerator broken =
        new RandomGenerator() {
          @Override
          public long nextLong() {
            throw new IllegalStateException("generator bug");
          }

          @Override
          public double nextDouble() {
            throw new IllegalStateException("generator bug");
          }
        };
    AdaptiveThrottle throttle = AdaptiveThrottle.of("backend", config().random(broken).build());
    refused(throttle, 20);
    assertThat(throttle.stats().rejections()).isZero();
    assertThat(throttle.stats().calls()).isEqualTo(20);
  }

  @Test
  void listenersHearEachLocalRefusalWithItsProbability() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("backend", config().random(always(0.0)).build());
    List<Double> heard = new ArrayList<>();
    throttle.addListener(
        new AdaptiveThrottleListener() {
          @Override
          public void onRejected(double probability) {
            heard.add(probability);
          }
        });
    refused(throttle, 3); // the first finds no request before it: p = 0
    assertThat(heard).containsExactly(1.0 / 2, 2.0 / 3);
  }

  @Test
  void callsCountSinceCreationWhileTheWindowForgets() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("backend", config().random(always(0.99)).build());
    accepted(throttle, 5);
    throttle.release(throttle.acquire()); // let through, then taken back out of the window
    for (int bucket = 0; bucket < 25; bucket++) { // every slot replaced, twice over
      ticker.advanceMillis(1_000);
      accepted(throttle, 1);
    }
    AdaptiveThrottleStats stats = throttle.stats();
    assertThat(stats.calls()).isEqualTo(31);
    assertThat(stats.windowRequests()).isEqualTo(10);
    assertThat(stats.windowAccepts()).isEqualTo(10);
  }

  @Test
  void requestsPilingUpWithoutAnswersAreJudgedWhenTheBucketRolls() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("backend", config().random(always(0.0)).build());
    accepted(
        throttle, 1); // nothing to refuse: the bucket is quiet while every outcome is an accept
    for (int i = 0; i < 10; i++) {
      assertThat(throttle.tryAcquire()).isNotEqualTo(Gate.REFUSED); // a hang: no outcome yet
    }
    ticker.advanceMillis(1_000);
    assertThat(throttle.tryAcquire()).isEqualTo(Gate.REFUSED); // (11 - 2 * 1) / 12 > 0
  }

  @Test
  void anOutcomeThatIsNotAnAcceptHasTheNextRequestJudged() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("backend", config().random(always(0.0)).build());
    accepted(throttle, 1);
    long hung = throttle.acquire(); // quiet: admitted without a look at the counts
    throttle.onError(throttle.acquire(), new IOException("500")); // not accepted
    assertThat(throttle.tryAcquire()).isEqualTo(Gate.REFUSED); // (3 - 2 * 1) / 4 > 0
    throttle.release(hung);
  }

  @Test
  void theSuccessPathAllocatesNothing() {
    AdaptiveThrottle exact = AdaptiveThrottle.of("backend", config().build());
    AdaptiveThrottle rolled = AdaptiveThrottle.ofDefaults("rolled");
    assertThat(Allocations.bytesPerCall(() -> exact.run(() -> {}))).isZero();
    assertThat(Allocations.bytesPerCall(() -> rolled.run(() -> {}))).isZero();
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void badSettingsAreRefusedNamingTheOptionAndTheValue() {
    AdaptiveThrottleConfig.Builder b = AdaptiveThrottleConfig.builder();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.k(0.5))
        .withMessage("k must be a finite number >= 1.0, was 0.5");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.k(Double.NaN))
        .withMessage("k must be a finite number >= 1.0, was NaN");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.k(Double.POSITIVE_INFINITY))
        .withMessage("k must be a finite number >= 1.0, was Infinity");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.window(Duration.ofSeconds(-1)))
        .withMessage("window must be > 0, was PT-1S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.window(Duration.ofDays(2)))
        .withMessage("window must be <= PT24H, was PT48H");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.minimumRequests(0))
        .withMessage("minimumRequests must be >= 1, was 0");
    assertThatNullPointerException()
        .isThrownBy(() -> b.classifier(null))
        .withMessage("classifier must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> b.random(null))
        .withMessage("random must not be null");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AdaptiveThrottle.ofDefaults(""))
        .withMessage("name must not be blank, was ''");
  }

  @Test
  void statsAndToStringNameTheFigures() {
    AdaptiveThrottle throttle =
        AdaptiveThrottle.of("backend", config().random(always(0.99)).build());
    accepted(throttle, 1);
    refused(throttle, 1);
    assertThat(throttle.stats())
        .hasToString(
            "AdaptiveThrottleStats{calls=2, rejections=0, windowRequests=2, windowAccepts=1,"
                + " windowRejectionProbability=0.0}");
    assertThat(throttle).hasToString("adaptiveThrottle[backend]");
    assertThat(throttle.name()).isEqualTo("backend");
  }
}
