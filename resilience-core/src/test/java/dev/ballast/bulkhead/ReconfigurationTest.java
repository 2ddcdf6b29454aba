package dev.ballast.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ballast.Gate;
import dev.ballast.TestTicker;
import dev.ballast.Together;
import dev.ballast.testlog.ReconfigurationLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

final class ReconfigurationTest {
  private static final Duration LONG = Duration.ofHours(1);

  @RegisterExtension final ReconfigurationLog log = new ReconfigurationLog(Bulkhead.class);

  @Test
  void aLowerLimitKeepsTheCallsInFlightAndAdmitsNobodyUntilEnoughEnd() {
    Bulkhead b = Bulkhead.of("lower", BulkheadConfig.builder().maxConcurrentCalls(4).build());
    List<Long> held = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      held.add(b.acquire());
    }
    b.reconfigure(b.config().toBuilder().maxConcurrentCalls(2).build());
    assertThat(b.stats().inFlight()).isEqualTo(4);
    assertThat(b.stats().maxConcurrentCalls()).isEqualTo(2);
    assertThat(b.tryAcquire()).isEqualTo(Gate.REFUSED);
    b.onResult(held.get(0), null);
    b.onResult(held.get(1), null);
    assertThat(b.tryAcquire()).isEqualTo(Gate.REFUSED); // two in flight, at the new limit
    b.onResult(held.get(2), null);
    assertThat(b.tryAcquire()).isNotEqualTo(Gate.REFUSED);
  }

  @Test
  void aHigherLimitAdmitsMoreAtOnceAndListenersHearIt() {
    Bulkhead b = Bulkhead.of("higher", BulkheadConfig.builder().maxConcurrentCalls(1).build());
    List<String> heard = new CopyOnWriteArrayList<>();
    b.addListener(
        new BulkheadListener() {
          @Override
          public void onLimitChanged(long previous, long current) {
            heard.add(previous + "->" + current);
          }
        });
    b.acquire();
    b.reconfigure(b.config().toBuilder().maxConcurrentCalls(3).build());
    assertThat(b.tryAcquire()).isNotEqualTo(Gate.REFUSED);
    assertThat(b.tryAcquire()).isNotEqualTo(Gate.REFUSED);
    assertThat(b.tryAcquire()).isEqualTo(Gate.REFUSED);
    assertThat(heard).containsExactly("1->3");
    assertThat(b.config().maxConcurrentCalls()).isEqualTo(3);
  }

  @Test
  void aWaitAddedAtRunTimeLetsCallersWait() {
    Bulkhead b = Bulkhead.of("waits", BulkheadConfig.builder().maxConcurrentCalls(1).build());
    long held = b.acquire();
    b.reconfigure(b.config().toBuilder().maxWait(LONG).maxWaiters(1).build());
    CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(b::tryAcquire);
    await().until(() -> b.stats().waiting() == 1);
    b.onResult(held, null);
    assertThat(waiter.join()).isNotEqualTo(Gate.REFUSED);
  }

  @Test
  void aWaitSetToZeroRefusesTheWaitersAtOnce() {
    Bulkhead b =
        Bulkhead.of(
            "nowait",
            BulkheadConfig.builder().maxConcurrentCalls(1).maxWait(LONG).maxWaiters(2).build());
    b.acquire();
    CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(b::tryAcquire);
    await().until(() -> b.stats().waiting() == 1);
    b.reconfigure(b.config().toBuilder().maxWait(Duration.ZERO).build());
    assertThat(waiter.orTimeout(1, TimeUnit.MINUTES).join()).isEqualTo(Gate.REFUSED);
    assertThat(b.stats().waiting()).isZero();
    assertThat(b.stats().inFlight()).isEqualTo(1);
    assertThat(b.tryAcquire()).isEqualTo(Gate.REFUSED);
  }

  @Test
  void fewerWaitersTurnNewcomersAwayButKeepThoseWaiting() {
    Bulkhead b =
        Bulkhead.of(
            "fewer",
            BulkheadConfig.builder().maxConcurrentCalls(1).maxWait(LONG).maxWaiters(2).build());
    long held = b.acquire();
    CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(b::tryAcquire);
    await().until(() -> b.stats().waiting() == 1);
    b.reconfigure(b.config().toBuilder().maxWaiters(1).build());
    assertThat(b.tryAcquire()).isEqualTo(Gate.REFUSED); // the room is full at once
    b.onResult(held, null);
    assertThat(waiter.join()).isNotEqualTo(Gate.REFUSED);
  }

  @Test
  void partitionsTheAdaptiveLimitAndTheTickerCannotChange() {
    Bulkhead b = Bulkhead.of("fixed", BulkheadConfig.builder().maxConcurrentCalls(4).build());
    BulkheadConfig before = b.config();
    assertThatThrownBy(
            () ->
                b.reconfigure(
                    before.toBuilder().maxConcurrentCalls(8).partition("admin", 1).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bulkhead 'fixed': partitions cannot change at run time (was [],");
    assertThatThrownBy(() -> b.reconfigure(before.toBuilder().ticker(new TestTicker()).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ticker cannot change at run time");
    assertThat(b.config()).isSameAs(before);
    assertThat(b.stats().maxConcurrentCalls()).isEqualTo(4);
    assertThat(log.lines("fixed")).isEmpty();
  }

  @Test
  void oneInfoLineNamesTheChangedSettings() {
    Bulkhead b = Bulkhead.of("inventory", BulkheadConfig.builder().maxConcurrentCalls(4).build());
    b.reconfigure(b.config().toBuilder().maxConcurrentCalls(6).build());
    assertThat(log.lines("inventory"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.INFO);
              assertThat(l.message())
                  .isEqualTo("name=inventory reconfigured maxConcurrentCalls=4->6 maxWaiters=4->6");
            });
    assertThat(b.name()).isEqualTo("inventory");
  }

  @Test
  @Tag("concurrency")
  void callsRacingResizesNeverLoseOrDoubleAPermit() throws Exception {
    Bulkhead b = Bulkhead.of("racing", BulkheadConfig.builder().maxConcurrentCalls(4).build());
    List<BulkheadConfig> configs =
        List.of(
            b.config(),
            b.config().toBuilder().maxConcurrentCalls(1).build(),
            b.config().toBuilder().maxConcurrentCalls(8).build());
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    AtomicLong admitted = new AtomicLong();
    Together.whileRepeating(
        6,
        t -> {
          for (int i = 0; i < 20_000; i++) {
            long p = b.tryAcquire();
            if (p != Gate.REFUSED) {
              admitted.incrementAndGet();
              maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
              inside.decrementAndGet();
              b.onResult(p, null);
            }
            assertThat(configs).contains(b.config());
          }
        },
        round -> b.reconfigure(configs.get(round % configs.size())));
    assertThat(admitted.get()).isPositive();
    assertThat(maxInside.get()).isLessThanOrEqualTo(8);
    assertThat(b.stats().inFlight()).isZero();
    b.reconfigure(configs.get(2));
    List<Long> held = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      held.add(b.acquire()); // every permit came back: all eight are free
    }
    assertThat(b.tryAcquire()).isEqualTo(Gate.REFUSED);
    held.forEach(b::release);
  }
}
