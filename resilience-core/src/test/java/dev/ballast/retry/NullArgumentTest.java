package dev.ballast.retry;

import static dev.ballast.retry.Retries.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.CheckedCallable;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.retry.Retries.Recorder;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A null call is the caller's mistake: refused before any attempt, count, budget or event. */
final class NullArgumentTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final Recorder events = new Recorder();

  private Retry retry() {
    Retry retry =
        Retry.of(
            "nulls",
            config(scheduler)
                .backoff(Backoff.fixed(Duration.ZERO))
                .retryWhen(t -> true)
                .budget(0.0, 1, Duration.ofSeconds(1))
                .build());
    retry.addListener(events);
    return retry;
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void everyEntryRefusesANullCallNamingTheParameterAndCountsNothing() throws Exception {
    Retry retry = retry();
    assertThatThrownBy(() -> retry.call((CheckedCallable<String, RuntimeException>) null))
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("callable must not be null");
    assertThatThrownBy(() -> retry.get((Supplier<String>) null))
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("supplier must not be null");
    assertThatThrownBy(() -> retry.run(null))
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("runnable must not be null");
    assertThatThrownBy(() -> retry.callAsync((Supplier<CompletionStage<String>>) null))
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("supplier must not be null");
    // decorate is Policy's default method: it refuses at once, before any call is made.
    assertThatThrownBy(() -> retry.decorate((Supplier<String>) null))
        .isInstanceOf(NullPointerException.class);
    RetryStats s = retry.stats();
    assertThat(s.calls()).isZero();
    assertThat(s.retries()).isZero();
    assertThat(events.events).isEmpty();
    // The budget was not touched: its one retry per second is still there.
    assertThat(retry.call(new Retries.Flaky(1))).isEqualTo("ok");
    assertThat(retry.stats().retries()).isEqualTo(1);
    assertThat(retry.stats().budgetRefusals()).isZero();
  }
}
