package dev.ballast.retry;

import static dev.ballast.retry.Retries.config;
import static dev.ballast.retry.Retries.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.retry.Retries.Flaky;
import dev.ballast.retry.Retries.Recorder;
import dev.ballast.retry.Retries.Thrower;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class ListenerTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);

  private Retry retry(int attempts) {
    return Retry.of(
        "heard", config(scheduler).backoff(Backoff.fixed(ms(10))).maxAttempts(attempts).build());
  }

  @Test
  void reportsEachRetryAndTheGiveUp() {
    Retry retry = retry(3);
    Recorder r = new Recorder();
    retry.addListener(r);
    assertThat(retry.call(() -> "first time")).isEqualTo("first time");
    assertThat(r.events).isEmpty(); // nothing for a first-attempt success
    assertThatThrownBy(() -> retry.call(new Flaky(3))).isInstanceOf(IOException.class);
    assertThat(r.events)
        .containsExactly(
            "retry 2 after 10000000 java.io.IOException: boom 1",
            "retry 3 after 10000000 java.io.IOException: boom 2",
            "give up after 3 java.io.IOException: boom 3");
  }

  @Test
  void aFailureThatIsNotRetriedIsNotAGiveUp() {
    Retry retry =
        Retry.of("heard", config(scheduler).retryOn(IOException.class).maxAttempts(3).build());
    Recorder r = new Recorder();
    retry.addListener(r);
    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      throw new IllegalArgumentException("bad request");
                    }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(r.events).isEmpty();
  }

  @Test
  void aThrowingListenerLeavesTheOutcomeAndTheCountsIntact() throws IOException {
    Retry retry = retry(3);
    retry.addListener(new Thrower());
    Recorder r = new Recorder();
    retry.addListener(r);
    assertThat(retry.call(new Flaky(2))).isEqualTo("ok");
    IOException mine = new IOException("mine");
    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      throw mine;
                    }))
        .isSameAs(mine);
    assertThat(retry.stats().successesAfterRetry()).isEqualTo(1);
    assertThat(retry.stats().failuresAfterRetry()).isEqualTo(1);
    assertThat(r.events).hasSize(5); // two retries, then two retries and a give-up
  }

  @Test
  void aThrowingBudgetListenerLeavesTheFailureIntact() {
    Retry retry =
        Retry.of(
            "budget",
            config(scheduler)
                .backoff(Backoff.fixed(Duration.ZERO))
                .budget(0.0, 1, Duration.ofSeconds(1))
                .build());
    retry.addListener(new Thrower());
    IOException down = new IOException("down");
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(
              () ->
                  retry.call(
                      () -> {
                        throw down;
                      }))
          .isSameAs(down);
    }
    assertThat(retry.stats().budgetRefusals()).isEqualTo(3);
  }

  @Test
  void everyListenerHearsEveryEvent() {
    Retry retry =
        Retry.of(
            "heard",
            config(scheduler)
                .backoff(Backoff.fixed(ms(10)))
                .maxAttempts(2)
                .budget(0.0, 1, Duration.ofSeconds(1))
                .build());
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    retry.addListener(first);
    retry.addListener(second);
    for (int i = 0; i < 2; i++) { // the window allows one retry: the second call is refused
      assertThatThrownBy(() -> retry.call(new Flaky(9))).isInstanceOf(IOException.class);
    }
    for (Recorder r : new Recorder[] {first, second}) {
      assertThat(r.events)
          .containsExactly(
              "retry 2 after 10000000 java.io.IOException: boom 1",
              "give up after 2 java.io.IOException: boom 2",
              "budget exhausted",
              "give up after 1 java.io.IOException: boom 1");
    }
  }
}
