package dev.ballast.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.Together;
import dev.ballast.testlog.ReconfigurationLog;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

final class ReconfigurationTest {
  private final TestScheduler scheduler = new TestScheduler(new TestTicker());
  private final Retry retry =
      Retry.of(
          "inventory",
          Retries.config(scheduler).maxAttempts(3).backoff(Backoff.fixed(Duration.ZERO)).build());

  @RegisterExtension final ReconfigurationLog log = new ReconfigurationLog(Retry.class);

  @Test
  void moreAttemptsApplyToTheNextCallAndTheCountersStay() throws IOException {
    Retries.Flaky first = new Retries.Flaky(5);
    assertThatThrownBy(() -> retry.call(first)).isInstanceOf(IOException.class);
    RetryConfig next = retry.config().toBuilder().maxAttempts(6).build();
    retry.reconfigure(next);
    assertThat(retry.config()).isSameAs(next);
    assertThat(retry.name()).isEqualTo("inventory");
    Retries.Flaky second = new Retries.Flaky(5);
    assertThat(retry.call(second)).isEqualTo("ok");
    assertThat(second.attempts()).isEqualTo(6);
    assertThat(retry.stats().failuresAfterRetry()).isEqualTo(1);
    assertThat(retry.stats().successesAfterRetry()).isEqualTo(1);
  }

  @Test
  void aCallAlreadyRetryingFinishesUnderTheConfigItStartedWith() throws IOException {
    Retries.Flaky flaky = new Retries.Flaky(2);
    String r =
        retry.call(
            () -> {
              if (flaky.attempts() == 0) {
                retry.reconfigure(retry.config().toBuilder().maxAttempts(1).build());
              }
              return flaky.call();
            });
    assertThat(r).isEqualTo("ok");
    assertThat(flaky.attempts()).isEqualTo(3);
    Retries.Flaky later = new Retries.Flaky(1);
    assertThatThrownBy(() -> retry.call(later)).isInstanceOf(IOException.class);
    assertThat(later.attempts()).isEqualTo(1);
  }

  @Test
  void aNewPredicateDecidesFromTheNextCall() {
    retry.reconfigure(retry.config().toBuilder().abortOn(IOException.class).build());
    Retries.Flaky flaky = new Retries.Flaky(1);
    assertThatThrownBy(() -> retry.call(flaky)).isInstanceOf(IOException.class);
    assertThat(flaky.attempts()).isEqualTo(1);
  }

  @Test
  void theSchedulerAndTheBudgetCannotChangeAndNothingDoes() {
    RetryConfig before = retry.config();
    assertThatThrownBy(
            () ->
                retry.reconfigure(
                    before.toBuilder()
                        .maxAttempts(9)
                        .scheduler(new TestScheduler(new TestTicker()))
                        .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("retry 'inventory': scheduler cannot change at run time (was ");
    assertThatThrownBy(
            () ->
                retry.reconfigure(
                    before.toBuilder().budget(0.1, 5, Duration.ofSeconds(10)).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot change at run time");
    assertThat(retry.config()).isSameAs(before);
    assertThat(log.lines("inventory")).isEmpty();
  }

  @Test
  void oneInfoLineNamesTheChangedSettings() {
    retry.reconfigure(retry.config().toBuilder().maxAttempts(5).build());
    assertThat(log.lines("inventory"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.INFO);
              assertThat(l.message()).isEqualTo("name=inventory reconfigured maxAttempts=3->5");
            });
  }

  @Test
  @Tag("concurrency")
  void callsRacingReconfigurationsEachRunUnderOneConfig() throws Exception {
    List<RetryConfig> configs =
        List.of(retry.config(), retry.config().toBuilder().maxAttempts(2).build());
    int perThread = 5_000;
    Together.whileRepeating(
        4,
        t -> {
          for (int i = 0; i < perThread; i++) {
            Retries.Flaky flaky = new Retries.Flaky(1);
            assertThat(retry.call(flaky)).isEqualTo("ok"); // both configs allow two
            assertThat(flaky.attempts()).isEqualTo(2);
            assertThat(configs).contains(retry.config());
          }
        },
        round -> retry.reconfigure(configs.get(round % 2)));
    assertThat(retry.stats().successesAfterRetry()).isEqualTo(4L * perThread);
  }
}
