package dev.ballast.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.CheckedCallable;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A null call is the caller's bug, not the dependency's failure: every entry of a timeout refuses
 * it with a {@link NullPointerException} naming the parameter, before it counts, schedules a timer
 * or tells a listener anything.
 */
@SuppressWarnings("NullAway") // passes null on purpose
final class NullCallTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final ExecutorService pool = Fakes.namedPool("null-test-");
  private final List<String> heard = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  private Timeout listened(Timeout t) {
    t.addListener(
        new TimeoutListener() {
          @Override
          public void onSuccess(long durationNanos) {
            heard.add("success");
          }

          @Override
          public void onFailure(long durationNanos, Throwable error) {
            heard.add("failure " + error);
          }
        });
    return t;
  }

  private void refusesEveryNullCall(Timeout t) {
    Duration d = Duration.ofSeconds(1);
    refuses(() -> t.call((CheckedCallable<String, RuntimeException>) null), "callable");
    refuses(() -> t.call(d, (CheckedCallable<String, RuntimeException>) null), "callable");
    refuses(() -> t.get((Supplier<String>) null), "supplier");
    refuses(() -> t.run(null), "runnable");
    refuses(() -> t.callAsync((Supplier<CompletionStage<String>>) null), "supplier");
    refuses(() -> t.callAsync(d, (Supplier<CompletionStage<String>>) null), "supplier");
    assertThat(t.stats().calls()).as("nothing counted").isZero();
    assertThat(heard).as("no listener event").isEmpty();
    assertThat(scheduler.pending()).as("no timer").isZero();
  }

  private static void refuses(ThrowingCallable call, String parameter) {
    assertThatThrownBy(call)
        .isInstanceOf(NullPointerException.class)
        .hasMessage(parameter + " must not be null");
  }

  @Test
  void everyEntryOfAnInterruptingTimeoutRefusesANullCallBeforeCountingIt() {
    refusesEveryNullCall(
        listened(
            Timeout.of(
                "nulls",
                TimeoutConfig.builder(Duration.ofSeconds(1)).scheduler(scheduler).build())));
  }

  @Test
  void everyEntryOfAnAbandoningTimeoutRefusesANullCallBeforeCountingIt() {
    refusesEveryNullCall(
        listened(
            Timeout.of(
                "nulls",
                TimeoutConfig.builder(Duration.ofSeconds(1))
                    .scheduler(scheduler)
                    .mode(Timeout.Mode.ABANDON)
                    .executor(pool)
                    .build())));
  }

  @Test
  void runRunsTheRunnableUnderTheTimeout() {
    Timeout t =
        listened(
            Timeout.of(
                "runs", TimeoutConfig.builder(Duration.ofSeconds(1)).scheduler(scheduler).build()));
    List<String> ran = new CopyOnWriteArrayList<>();
    t.run(() -> ran.add("ran"));
    assertThat(ran).containsExactly("ran");
    assertThat(heard).containsExactly("success");
    assertThatThrownBy(() -> t.run(() -> Fakes.ignoreInterruptsFor(ticker, Duration.ofSeconds(2))))
        .isInstanceOf(TimeoutExceededException.class);
    assertThat(t.stats().timeouts()).isEqualTo(1);
    assertThat(Thread.interrupted()).isFalse();
  }
}
