package dev.ballast.timeout;

import static dev.ballast.timeout.Fakes.blockFor;
import static dev.ballast.timeout.Fakes.ignoreInterruptsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ballast.RejectedException;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class InterruptModeTest {
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);
  private final Timeout timeout =
      Timeout.of(
          "inventory", TimeoutConfig.builder(Duration.ofSeconds(1)).scheduler(scheduler).build());

  @AfterEach
  void noInterruptLeftBehind() {
    assertThat(Thread.interrupted()).as("interrupt flag after the test").isFalse();
    assertThat(scheduler.pending()).as("timers still pending").isZero();
  }

  @Test
  void returnsTheResultOfACallThatFinishesInTimeAndCancelsTheTimer() throws Exception {
    String result =
        timeout.call(
            () -> {
              assertThat(scheduler.pending()).isEqualTo(1);
              return blockFor(ticker, Duration.ofMillis(999));
            });
    assertThat(result).isEqualTo("done");
    assertThat(timeout.stats().successes()).isEqualTo(1);
    assertThat(timeout.stats().calls()).isEqualTo(1);
  }

  @Test
  void interruptsTheCallAtTheDeadlineAndClearsTheInterruptItCaused() {
    assertThatThrownBy(() -> timeout.call(() -> blockFor(ticker, Duration.ofSeconds(5))))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class,
            e -> {
              assertThat(e.component()).isEqualTo("inventory");
              assertThat(e.duration()).isEqualTo(Duration.ofSeconds(1));
              assertThat(e).hasMessage("timeout 'inventory' of 1000 ms exceeded");
              assertThat(e.getCause()).isInstanceOf(InterruptedException.class);
              assertThat(e.getStackTrace()).isEmpty();
            })
        .isNotInstanceOf(RejectedException.class);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(timeout.stats().timeouts()).isEqualTo(1);
    assertThat(timeout.stats().failures()).isZero();
  }

  @Test
  void dropsTheResultOfACallThatIgnoresTheInterruptAndReturnsAfterTheTimerFired() {
    assertThatThrownBy(() -> timeout.call(() -> ignoreInterruptsFor(ticker, Duration.ofSeconds(5))))
        .isInstanceOf(TimeoutExceededException.class)
        .hasNoCause();
    assertThat(Thread.currentThread().isInterrupted())
        .as("the flag the timer set and the call ignored is cleared")
        .isFalse();
  }

  @Test
  void clearsTheInterruptACallReassertedWhileWrappingIt() {
    assertThatThrownBy(
            () ->
                timeout.call(
                    () -> {
                      try {
                        return blockFor(ticker, Duration.ofSeconds(5));
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // the idiom
                        throw new IOException("read interrupted", e);
                      }
                    }))
        .isInstanceOf(TimeoutExceededException.class)
        .cause()
        .isInstanceOf(IOException.class);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void keepsAnInterruptThatWasSetBeforeTheCall() {
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> timeout.call(() -> ignoreInterruptsFor(ticker, Duration.ofSeconds(5))))
        .isInstanceOf(TimeoutExceededException.class);
    assertThat(Thread.interrupted()).as("the caller's own interrupt is still set").isTrue();

    Thread.currentThread().interrupt();
    assertThat(timeout.call(() -> ignoreInterruptsFor(ticker, Duration.ofMillis(10))))
        .isEqualTo("late");
    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void keepsAnInterruptFromElsewhereAndPassesTheCallsAnswerThrough() {
    assertThatThrownBy(
            () ->
                timeout.call(
                    () -> {
                      Thread.currentThread().interrupt(); // another thread, before the deadline
                      return blockFor(ticker, Duration.ofMillis(10));
                    }))
        .isExactlyInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).isFalse(); // the call consumed it

    String r =
        timeout.call(
            () -> {
              Thread.currentThread().interrupt();
              return ignoreInterruptsFor(ticker, Duration.ofMillis(10));
            });
    assertThat(r).isEqualTo("late");
    assertThat(Thread.interrupted()).as("an interrupt from elsewhere stays set").isTrue();

    assertThatThrownBy(
            () ->
                timeout.call(
                    () -> {
                      ticker.advanceMillis(10);
                      Thread.currentThread().interrupt(); // from elsewhere, before the deadline
                      return ignoreInterruptsFor(ticker, Duration.ofSeconds(5));
                    }))
        .isInstanceOf(TimeoutExceededException.class);
    assertThat(Thread.interrupted())
        .as("the timer found the flag set and did not take it over")
        .isTrue();
  }

  @Test
  void aTimerThatFiresAsTheCallReturnsNeverInterruptsTheNextCall() throws Exception {
    Fakes.RacingScheduler racing = new Fakes.RacingScheduler(scheduler);
    Timeout t =
        Timeout.of(
            "racing", TimeoutConfig.builder(Duration.ofSeconds(1)).scheduler(racing).build());
    assertThat(t.call(() -> blockFor(ticker, Duration.ofMillis(10)))).isEqualTo("done");
    assertThat(racing.ranOnCancel).as("the timer fired after the call returned").hasSize(1);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    // The next call on this thread runs undisturbed, and so does the timer's second run.
    racing.ranOnCancel.get(0).run();
    assertThat(t.call(() -> blockFor(ticker, Duration.ofMillis(10)))).isEqualTo("done");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(t.stats().successes()).isEqualTo(2);
  }

  @Test
  void aTimerThatFiresBetweenTheCallReturningAndItsOutcomeWins() {
    // The call's last act lets time pass the deadline: the timer fires before the caller decides.
    assertThatThrownBy(
            () ->
                timeout.call(
                    () -> {
                      ticker.advance(Duration.ofSeconds(1));
                      return "just too late";
                    }))
        .isInstanceOf(TimeoutExceededException.class);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(timeout.call(() -> "next")).isEqualTo("next");
  }

  @Test
  void theCallerWaitsForTheTimersInterruptToLandBeforeClearingIt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch goAhead = new CountDownLatch(1);
    CountDownLatch interrupting = new CountDownLatch(1);
    CountDownLatch land = new CountDownLatch(1);
    AtomicReference<Object> outcome = new AtomicReference<>();
    AtomicBoolean flagAfter = new AtomicBoolean(true);
    Thread caller =
        new Thread("slow-interrupt") {
          @Override
          public void run() {
            try {
              outcome.set(
                  timeout.call(
                      () -> {
                        started.countDown();
                        awaitUninterruptibly(goAhead);
                        return "late";
                      }));
            } catch (RuntimeException e) {
              outcome.set(e);
            }
            flagAfter.set(Thread.currentThread().isInterrupted());
          }

          @Override
          public void interrupt() {
            interrupting.countDown();
            awaitUninterruptibly(land); // the timer is between its CAS and the interrupt
            super.interrupt();
          }
        };
    caller.setDaemon(true);
    caller.start();
    started.await();
    Thread timerThread = new Thread(() -> ticker.advance(Duration.ofSeconds(2)), "timer");
    timerThread.setDaemon(true);
    timerThread.start();
    interrupting.await();
    goAhead.countDown(); // the call returns while the interrupt is still on its way
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Arrays.stream(caller.getStackTrace())
                    .anyMatch(f -> f.getMethodName().equals("timedOut")));
    land.countDown();
    caller.join(5_000);
    timerThread.join(5_000);
    assertThat(outcome.get()).isInstanceOf(TimeoutExceededException.class);
    assertThat(flagAfter).as("the interrupt landed, then was cleared").isFalse();
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void checkedExceptionsPassThroughUnchanged() {
    IOException failure = new IOException("disk");
    assertThatThrownBy(() -> read(timeout, failure)).isSameAs(failure);
    assertThat(timeout.stats().failures()).isEqualTo(1);
  }

  private static String read(Timeout t, IOException failure) throws IOException {
    return t.call(
        () -> {
          throw failure;
        });
  }

  @Test
  void aRefusalFromAnInnerPolicyIsCountedApartFromFailures() {
    RejectedException refusal =
        new RejectedException("bulkhead", RejectedException.Reason.OVERLOAD, null, "full", false) {
          private static final long serialVersionUID = 1L;
        };
    assertThatThrownBy(
            () ->
                timeout.call(
                    () -> {
                      throw refusal;
                    }))
        .isSameAs(refusal);
    assertThat(timeout.stats().rejections()).isEqualTo(1);
    assertThat(timeout.stats().failures()).isZero();
  }

  @Test
  void overridesTheDurationPerCall() throws Exception {
    assertThatThrownBy(
            () ->
                timeout.call(
                    Duration.ofMillis(100), () -> blockFor(ticker, Duration.ofMillis(200))))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class,
            e -> assertThat(e.duration()).isEqualTo(Duration.ofMillis(100)));
    assertThat(timeout.call(Duration.ofSeconds(5), () -> blockFor(ticker, Duration.ofSeconds(2))))
        .isEqualTo("done");
    assertThat(timeout.duration()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void changesTheDurationAtRunTimeForLaterCalls() throws Exception {
    timeout.changeDuration(Duration.ofMillis(100));
    assertThat(timeout.duration()).isEqualTo(Duration.ofMillis(100));
    assertThat(timeout.stats().duration()).isEqualTo(Duration.ofMillis(100));
    assertThat(timeout.config().duration()).isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> timeout.call(() -> blockFor(ticker, Duration.ofMillis(200))))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class,
            e -> assertThat(e.duration()).isEqualTo(Duration.ofMillis(100)));
    timeout.changeDuration(Duration.ofSeconds(3));
    assertThat(timeout.call(() -> blockFor(ticker, Duration.ofSeconds(2)))).isEqualTo("done");
  }

  @Test
  void aCallStartedBeforeAChangeKeepsItsDeadline() throws Exception {
    String r =
        timeout.call(
            () -> {
              timeout.changeDuration(Duration.ofMillis(1));
              return blockFor(ticker, Duration.ofMillis(500));
            });
    assertThat(r).isEqualTo("done");
  }

  @Test
  void suppliersRunnablesAndDecoratedSuppliersAreTimedToo() {
    assertThat(timeout.get(() -> "got")).isEqualTo("got");
    AtomicReference<String> ran = new AtomicReference<>();
    timeout.run(() -> ran.set("ran"));
    assertThat(ran).hasValue("ran");
    Supplier<String> slow =
        timeout.decorate(() -> ignoreInterruptsFor(ticker, Duration.ofSeconds(2)));
    assertThatThrownBy(slow::get).isInstanceOf(TimeoutExceededException.class);
    assertThatThrownBy(
            () ->
                timeout.get(
                    () -> {
                      throw new UncheckedIOException(new IOException("x"));
                    }))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(timeout.stats().calls()).isEqualTo(4);
  }

  @Test
  void fillsInStackTracesWhenAsked() {
    Timeout traced =
        Timeout.of(
            "traced",
            TimeoutConfig.builder(Duration.ofSeconds(1))
                .scheduler(scheduler)
                .stackTraces(true)
                .build());
    assertThatThrownBy(() -> traced.call(() -> blockFor(ticker, Duration.ofSeconds(2))))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class, e -> assertThat(e.getStackTrace()).isNotEmpty());
  }

  @Test
  void printsItsName() {
    assertThat(timeout).hasToString("timeout[inventory]");
    assertThat(timeout.name()).isEqualTo("inventory");
  }

  @Test
  void formatsSubMillisecondDurationsExactly() {
    assertThat(new TimeoutExceededException("x", 1_500_000, null, false))
        .hasMessage("timeout 'x' of PT0.0015S exceeded");
  }
}
