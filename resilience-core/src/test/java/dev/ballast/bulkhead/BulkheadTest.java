package dev.ballast.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ballast.Allocations;
import dev.ballast.Gate;
import dev.ballast.RejectedException;
import dev.ballast.TestTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class BulkheadTest {
  private static final Duration LONG = Duration.ofHours(1);

  private static Bulkhead bulkhead(int max) {
    return Bulkhead.of("inventory", BulkheadConfig.builder().maxConcurrentCalls(max).build());
  }

  private static Bulkhead waiting(int max, int waiters, Duration wait) {
    return Bulkhead.of(
        "inventory",
        BulkheadConfig.builder().maxConcurrentCalls(max).maxWait(wait).maxWaiters(waiters).build());
  }

  /** Starts a thread that asks for a permit and records it (or REFUSED) and its interrupt flag. */
  private static Thread waiter(Bulkhead bulkhead, List<String> log, String who) {
    Thread t =
        new Thread(
            () -> {
              long permit = bulkhead.tryAcquire();
              log.add(
                  who
                      + (permit == Gate.REFUSED ? " refused" : " admitted")
                      + (Thread.currentThread().isInterrupted() ? " interrupted" : ""));
              if (permit != Gate.REFUSED) {
                bulkhead.release(permit);
              }
            },
            who);
    t.start();
    return t;
  }

  @Test
  void theDefaultsAreTwentyFiveCallsNoWaitAndAsManyWaitersAsCalls() {
    BulkheadConfig d = BulkheadConfig.defaults();
    assertThat(d.maxConcurrentCalls()).isEqualTo(25);
    assertThat(d.maxWait()).isEqualTo(Duration.ZERO);
    assertThat(d.maxWaiters()).isEqualTo(25);
    assertThat(BulkheadConfig.builder().maxConcurrentCalls(7).build().maxWaiters()).isEqualTo(7);
    assertThat(Bulkhead.ofDefaults("x").stats().maxConcurrentCalls()).isEqualTo(25);
    assertThat(d.toString())
        .isEqualTo("BulkheadConfig{maxConcurrentCalls=25, maxWait=PT0S, maxWaiters=25}");
  }

  @Test
  void toBuilderKeepsEverySettingAndAnUnsetWaitingRoomKeepsFollowingTheLimit() {
    BulkheadConfig set =
        BulkheadConfig.builder()
            .maxConcurrentCalls(3)
            .maxWait(Duration.ofMillis(5))
            .maxWaiters(9)
            .build();
    assertThat(set.toBuilder().build()).isEqualTo(set).hasSameHashCodeAs(set);
    assertThat(set.toBuilder().maxConcurrentCalls(4).build().maxWaiters()).isEqualTo(9);
    BulkheadConfig unset = BulkheadConfig.builder().maxConcurrentCalls(3).build();
    assertThat(unset.toBuilder().maxConcurrentCalls(8).build().maxWaiters()).isEqualTo(8);
    assertThat(unset).isNotEqualTo(BulkheadConfig.builder().maxConcurrentCalls(3).maxWaiters(3));
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void badInputIsRefusedNamingTheOptionAndTheValue() {
    BulkheadConfig.Builder b = BulkheadConfig.builder();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.maxConcurrentCalls(0))
        .withMessage("maxConcurrentCalls must be >= 1, was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.maxConcurrentCalls(65_537))
        .withMessage("maxConcurrentCalls must be <= 65536, was 65537");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.maxWait(Duration.ofMillis(-1)))
        .withMessage("maxWait must be >= 0, was PT-0.001S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.maxWait(Duration.ofDays(366)))
        .withMessage("maxWait must be <= PT8760H, was PT8784H");
    assertThatNullPointerException()
        .isThrownBy(() -> b.maxWait(null))
        .withMessageContaining("maxWait");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.maxWaiters(-1))
        .withMessage("maxWaiters must be >= 0, was -1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Bulkhead.ofDefaults(" "))
        .withMessageContaining("name");
    assertThatNullPointerException()
        .isThrownBy(() -> Bulkhead.of("x", null))
        .withMessageContaining("config");
    Bulkhead bulkhead = bulkhead(2);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> bulkhead.changeMaxConcurrentCalls(-3))
        .withMessage("maxConcurrentCalls must be >= 1, was -3");
    assertThat(bulkhead.stats().maxConcurrentCalls()).isEqualTo(2);
  }

  @Test
  void aFullBulkheadRefusesWithOverloadAndItsNameAndCountsBoth() {
    Bulkhead bulkhead = bulkhead(2);
    long a = bulkhead.acquire();
    long b = bulkhead.tryAcquire();
    assertThat(a).isNotEqualTo(b).isNotEqualTo(Gate.REFUSED);

    assertThat(bulkhead.tryAcquire()).isEqualTo(Gate.REFUSED);
    assertThatThrownBy(bulkhead::acquire)
        .isInstanceOfSatisfying(
            BulkheadFullException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RejectedException.Reason.OVERLOAD);
              assertThat(e.component()).isEqualTo("inventory");
              assertThat(e.retryAfter()).isEmpty();
              assertThat(e.getStackTrace()).isEmpty();
            })
        .hasMessage("bulkhead 'inventory' is full: 2 calls in flight, maxConcurrentCalls 2");
    assertThatThrownBy(() -> bulkhead.get(() -> "never")).isInstanceOf(BulkheadFullException.class);

    BulkheadStats stats = bulkhead.stats();
    assertThat(stats.calls()).isEqualTo(2);
    assertThat(stats.rejections()).isEqualTo(3);
    assertThat(stats.inFlight()).isEqualTo(2);
    assertThat(stats.waiting()).isZero();
    assertThat(stats)
        .hasToString(
            "BulkheadStats{calls=2, rejections=3, inFlight=2, waiting=0, maxConcurrentCalls=2}");
    bulkhead.onResult(a, "done");
    bulkhead.onError(b, new IOException("down"));
    assertThat(bulkhead.stats().inFlight()).isZero();
    assertThat(bulkhead).hasToString("bulkhead[inventory]");
  }

  @Test
  void everyExitPathReturnsItsPermit() {
    Bulkhead bulkhead = bulkhead(1);
    assertThat(bulkhead.get(() -> "ok")).isEqualTo("ok");
    assertThatThrownBy(
            () ->
                bulkhead.call(
                    () -> {
                      throw new IOException("down");
                    }))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(
            () ->
                bulkhead.run(
                    () -> {
                      throw new AssertionError("an Error");
                    }))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(
            () ->
                bulkhead.get(
                    () -> {
                      throw new IllegalStateException("bug");
                    }))
        .isInstanceOf(IllegalStateException.class);
    bulkhead.run(() -> assertThat(bulkhead.stats().inFlight()).isEqualTo(1));

    assertThat(bulkhead.stats().inFlight()).isZero();
    assertThat(bulkhead.stats().calls()).isEqualTo(5);
    assertThat(bulkhead.get(() -> "still room")).isEqualTo("still room");
  }

  @Test
  void aPermitCompletedTwiceIsReleasedOnceAndAForeignOneChangesNothing() {
    Bulkhead bulkhead = bulkhead(1);
    long permit = bulkhead.acquire();
    bulkhead.onResult(permit, "ok");
    bulkhead.release(permit);
    bulkhead.onError(permit, new IOException("late"));
    bulkhead.release(Gate.REFUSED);
    bulkhead.release(123L << 32);
    bulkhead.release(-7);

    long again = bulkhead.acquire();
    assertThat(again).as("a new permit for the same slot").isNotEqualTo(permit);
    bulkhead.release(permit);
    assertThat(bulkhead.tryAcquire()).as("still only one call at a time").isEqualTo(Gate.REFUSED);
    assertThat(bulkhead.stats().inFlight()).isEqualTo(1);
    bulkhead.release(again);
    assertThat(bulkhead.stats().inFlight()).isZero();
  }

  @Test
  void aWaiterIsAdmittedWhenAPermitFrees() throws InterruptedException {
    Bulkhead bulkhead = waiting(1, 4, LONG);
    long held = bulkhead.acquire();
    List<String> log = new CopyOnWriteArrayList<>();
    Thread t = waiter(bulkhead, log, "w");
    await().until(() -> bulkhead.stats().waiting() == 1);

    bulkhead.release(held);
    t.join();
    assertThat(log).containsExactly("w admitted");
    assertThat(bulkhead.stats().waiting()).isZero();
    assertThat(bulkhead.stats().rejections()).isZero();
  }

  @Test
  void waitersAreAdmittedInArrivalOrder() throws InterruptedException {
    Bulkhead bulkhead = waiting(1, 4, LONG);
    long held = bulkhead.acquire();
    List<String> log = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (String who : List.of("first", "second", "third")) {
      threads.add(waiter(bulkhead, log, who));
      int n = threads.size();
      await().until(() -> bulkhead.stats().waiting() == n);
    }

    bulkhead.release(held);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(log).containsExactly("first admitted", "second admitted", "third admitted");
  }

  @Test
  void aCallerFindingTheWaitingRoomFullIsRefusedAtOnce() throws InterruptedException {
    Bulkhead bulkhead = waiting(1, 1, LONG);
    long held = bulkhead.acquire();
    List<String> log = new CopyOnWriteArrayList<>();
    Thread t = waiter(bulkhead, log, "w");
    await().until(() -> bulkhead.stats().waiting() == 1);

    assertTimeoutPreemptively(
        Duration.ofSeconds(10), () -> assertThat(bulkhead.tryAcquire()).isEqualTo(Gate.REFUSED));
    bulkhead.release(held);
    t.join();
    assertThat(log).containsExactly("w admitted");
    assertThat(bulkhead.stats().rejections()).isEqualTo(1);
  }

  @Test
  void aWaitThatRunsOutIsRefusedAndLeavesNoWaiter() {
    Bulkhead bulkhead = waiting(1, 1, Duration.ofMillis(20));
    long held = bulkhead.acquire();
    assertThatThrownBy(bulkhead::acquire).isInstanceOf(BulkheadFullException.class);
    assertThat(bulkhead.stats().waiting()).isZero();
    assertThat(bulkhead.stats().inFlight()).isEqualTo(1);
    bulkhead.release(held);
    assertThat(bulkhead.get(() -> "ok")).isEqualTo("ok");
  }

  @Test
  void anInterruptWhileWaitingRefusesAndKeepsTheFlag() throws InterruptedException {
    Bulkhead bulkhead = waiting(1, 2, LONG);
    long held = bulkhead.acquire();
    List<String> log = new CopyOnWriteArrayList<>();
    Thread t = waiter(bulkhead, log, "w");
    await().until(() -> bulkhead.stats().waiting() == 1);

    t.interrupt();
    t.join();
    assertThat(log).containsExactly("w refused interrupted");
    BulkheadStats stats = bulkhead.stats();
    assertThat(stats.waiting()).isZero();
    assertThat(stats.inFlight()).isEqualTo(1);
    assertThat(stats.rejections()).isEqualTo(1);
    bulkhead.release(held);
    assertThat(bulkhead.stats().inFlight()).isZero();
  }

  @Test
  void anInterruptedCallerOfABulkheadThatWaitsIsRefusedEvenWithRoom() {
    Bulkhead bulkhead = waiting(1, 2, LONG);
    Thread.currentThread().interrupt();
    try {
      assertThat(bulkhead.tryAcquire()).isEqualTo(Gate.REFUSED);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(bulkhead.stats().inFlight()).isZero();
    Thread.currentThread().interrupt();
    try {
      assertThat(bulkhead(1).tryAcquire()).as("one that never waits").isNotEqualTo(Gate.REFUSED);
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void raisingTheLimitAdmitsWaitersAtOnce() throws InterruptedException {
    Bulkhead bulkhead = waiting(1, 4, LONG);
    AtomicLong heard = new AtomicLong();
    bulkhead.addListener(
        new BulkheadListener() {
          @Override
          public void onLimitChanged(long previous, long current) {
            heard.set(previous * 100 + current);
          }
        });
    long held = bulkhead.acquire();
    List<String> log = new CopyOnWriteArrayList<>();
    Thread a = waiter(bulkhead, log, "a");
    await().until(() -> bulkhead.stats().waiting() == 1);
    Thread b = waiter(bulkhead, log, "b");
    await().until(() -> bulkhead.stats().waiting() == 2);

    bulkhead.changeMaxConcurrentCalls(3);
    a.join();
    b.join();
    // Both are admitted at once, so which writes its line first is a race; the order in which
    // waiters are admitted one at a time is waitersAreAdmittedInArrivalOrder's.
    assertThat(log).containsExactlyInAnyOrder("a admitted", "b admitted");
    assertThat(heard).hasValue(103);
    assertThat(bulkhead.stats().inFlight()).isEqualTo(1);
    bulkhead.release(held);
    assertThat(bulkhead.stats().inFlight()).isZero();
    assertThat(bulkhead.stats().maxConcurrentCalls()).isEqualTo(3);
  }

  @Test
  void loweringTheLimitLetsCallsInFlightFinishAndAdmitsBelowTheNewLimit() {
    Bulkhead bulkhead = bulkhead(3);
    long a = bulkhead.acquire();
    long b = bulkhead.acquire();
    long c = bulkhead.acquire();

    bulkhead.changeMaxConcurrentCalls(1);
    assertThat(bulkhead.stats().inFlight()).isEqualTo(3);
    assertThat(bulkhead.stats().maxConcurrentCalls()).isEqualTo(1);
    bulkhead.release(a);
    bulkhead.release(b);
    assertThat(bulkhead.tryAcquire()).as("one still in flight").isEqualTo(Gate.REFUSED);
    bulkhead.release(c);
    long d = bulkhead.acquire();
    assertThat(bulkhead.tryAcquire()).isEqualTo(Gate.REFUSED);
    bulkhead.release(d);

    bulkhead.changeMaxConcurrentCalls(40);
    List<Long> held = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      held.add(bulkhead.acquire());
    }
    assertThat(held).doesNotHaveDuplicates();
    assertThat(bulkhead.tryAcquire()).isEqualTo(Gate.REFUSED);
    held.forEach(bulkhead::release);
    assertThat(bulkhead.stats().inFlight()).isZero();
  }

  @Test
  void anAsyncCallHoldsItsPermitUntilItsStageCompletes() {
    Bulkhead bulkhead = bulkhead(1);
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletionStage<String> out = bulkhead.callAsync(() -> work);
    assertThat(bulkhead.stats().inFlight()).isEqualTo(1);
    assertThat(bulkhead.callAsync(() -> CompletableFuture.completedFuture("x")))
        .isCompletedExceptionally();

    work.complete("done");
    assertThat(out.toCompletableFuture()).isCompletedWithValue("done");
    assertThat(bulkhead.stats().inFlight()).isZero();

    CompletableFuture<String> failing = new CompletableFuture<>();
    CompletionStage<String> failed = bulkhead.callAsync(() -> failing);
    failing.completeExceptionally(new IOException("down"));
    assertThat(failed.toCompletableFuture()).isCompletedExceptionally();
    assertThat(bulkhead.stats().inFlight()).isZero();
  }

  @Test
  void cancellingAnAsyncCallReturnsItsPermitOnce() {
    Bulkhead bulkhead = bulkhead(1);
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletionStage<String> out = bulkhead.callAsync(() -> work);

    out.toCompletableFuture().cancel(true);
    assertThat(work).isCancelled();
    assertThat(bulkhead.stats().inFlight()).isZero();
    long other = bulkhead.acquire();
    work.complete("late");
    assertThat(bulkhead.tryAcquire())
        .as("the late outcome released nothing")
        .isEqualTo(Gate.REFUSED);
    bulkhead.release(other);
  }

  @Test
  void admittingAndRefusingAllocateNothing() {
    Bulkhead bulkhead = bulkhead(1);
    assertThat(Allocations.bytesPerCall(() -> bulkhead.get(() -> "ok"))).isZero();
    assertThat(Allocations.bytesPerCall(() -> bulkhead.release(bulkhead.tryAcquire()))).isZero();
    long held = bulkhead.acquire();
    assertThat(Allocations.bytesPerCall(bulkhead::tryAcquire)).isZero();
    bulkhead.release(held);
    Bulkhead waits = waiting(2, 2, LONG);
    assertThat(Allocations.bytesPerCall(() -> waits.run(() -> {}))).isZero();
  }

  @Test
  void aWaitersMaxWaitRunsOutOnTheBulkheadsTicker() {
    TestTicker ticker = new TestTicker();
    Bulkhead b =
        Bulkhead.of(
            "ticked",
            BulkheadConfig.builder()
                .maxConcurrentCalls(1)
                .maxWait(Duration.ofMillis(20))
                .ticker(ticker)
                .build());
    long held = b.tryAcquire();
    CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(b::tryAcquire);
    await().until(() -> b.stats().waiting() == 1);
    assertThat(waiter).as("real time passing does not end a wait on a still ticker").isNotDone();
    ticker.advanceMillis(20);
    await().until(waiter::isDone);
    assertThat(waiter.join()).isEqualTo(Gate.REFUSED);
    b.release(held);
  }
}
