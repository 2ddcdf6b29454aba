package dev.ballast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

final class TogetherTest {

  @Test
  void everyThreadRunsTheBodyOnceWithItsOwnIndex() throws InterruptedException {
    Set<Integer> indexes = ConcurrentHashMap.newKeySet();
    Set<String> names = ConcurrentHashMap.newKeySet();
    Together.run(
        5,
        t -> {
          indexes.add(t);
          names.add(Thread.currentThread().getName());
          assertThat(Thread.currentThread().isDaemon()).isTrue();
        });
    assertThat(indexes).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    assertThat(names).contains("together-0", "together-4");
  }

  @Test
  void aFailedAssertionOnAnyThreadFailsTheRunWithEveryError() {
    assertThatThrownBy(
            () ->
                Together.run(
                    4,
                    t -> {
                      if (t % 2 == 1) {
                        throw new IOException("thread " + t);
                      }
                    }))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("2 thread(s) failed; the first: java.io.IOException: thread ")
        .hasCauseInstanceOf(IOException.class)
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
  }

  @Test
  void theOperatorRepeatsUntilEveryThreadHasEnded() throws InterruptedException {
    LongAdder calls = new LongAdder();
    AtomicInteger rounds = new AtomicInteger();
    AtomicInteger lastRound = new AtomicInteger(-1);
    Together.whileRepeating(
        3,
        t -> {
          for (int i = 0; i < 1_000; i++) {
            calls.increment();
          }
        },
        round -> {
          assertThat(round).isEqualTo(lastRound.get() + 1);
          lastRound.set(round);
          rounds.incrementAndGet();
        });
    assertThat(calls.sum()).isEqualTo(3_000);
    assertThat(rounds.get()).isPositive().isEqualTo(lastRound.get() + 1);
  }

  @Test
  void aFailingCallOrOperatorFailsARacingRun() {
    assertThatThrownBy(
            () -> Together.whileRepeating(2, t -> assertThat(t).isEqualTo(0), round -> {}))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("1 thread(s) failed");
    assertThatThrownBy(
            () ->
                Together.whileRepeating(
                    2,
                    t -> {},
                    round -> {
                      throw new IllegalStateException("operator");
                    }))
        .isInstanceOf(AssertionError.class)
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("operator");
  }
}
