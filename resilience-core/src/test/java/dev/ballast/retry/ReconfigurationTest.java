package dev.ballast.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.testlog.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

final class ReconfigurationTest {
  private final TestScheduler scheduler = new TestScheduler(new TestTicker());
  private final Retry retry =
      Retry.of(
          "inventory",
          Retries.config(scheduler).maxAttempts(3).backoff(Backoff.fixed(Duration.ZERO)).build());

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  private static List<LogCapture.Line> lines(String name) {
    return LogCapture.lines(Retry.class.getName()).stream()
        .filter(l -> l.message().contains("name=" + name + " reconfigured"))
        .toList();
  }

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
    assertThat(lines("inventory")).isEmpty();
  }

  @Test
  void oneInfoLineNamesTheChangedSettings() {
    retry.reconfigure(retry.config().toBuilder().maxAttempts(5).build());
    assertThat(lines("inventory"))
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
    AtomicBoolean done = new AtomicBoolean();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    int perThread = 5_000;
    for (int t = 0; t < 4; t++) {
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  Retries.Flaky flaky = new Retries.Flaky(1);
                  try {
                    assertThat(retry.call(flaky)).isEqualTo("ok"); // both configs allow two
                  } catch (IOException e) {
                    throw new AssertionError(e);
                  }
                  assertThat(flaky.attempts()).isEqualTo(2);
                  assertThat(configs).contains(retry.config());
                }
              }));
    }
    Thread operator =
        new Thread(
            () -> {
              int i = 0;
              while (!done.get()) {
                retry.reconfigure(configs.get(i++ % 2));
              }
            });
    for (Thread t : threads) {
      t.setUncaughtExceptionHandler((th, e) -> errors.add(e));
      t.start();
    }
    operator.start();
    for (Thread t : threads) {
      t.join(TimeUnit.MINUTES.toMillis(2));
    }
    done.set(true);
    operator.join(TimeUnit.MINUTES.toMillis(1));
    assertThat(errors).isEmpty();
    assertThat(retry.stats().successesAfterRetry()).isEqualTo(4L * perThread);
  }
}
