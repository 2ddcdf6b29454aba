package dev.ballast.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ballast.Allocations;
import dev.ballast.Gate;
import dev.ballast.RejectedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

final class PartitionTest {

  private static Bulkhead bulkhead(BulkheadConfig.Builder b) {
    return Bulkhead.of("api", b.build());
  }

  private static List<Long> take(Gate gate, int n) {
    List<Long> held = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long p = gate.tryAcquire();
      assertThat(p).as("permit %s of %s through %s", i + 1, n, gate).isNotEqualTo(Gate.REFUSED);
      held.add(p);
    }
    return held;
  }

  @Test
  void aPartitionsReservedPermitsAreTheOnesOtherCallsCannotTake() {
    Bulkhead bulkhead =
        bulkhead(BulkheadConfig.builder().maxConcurrentCalls(5).partition("admin", 2));
    Gate admin = bulkhead.partition("admin");

    List<Long> shared = take(bulkhead, 3);
    assertThat(bulkhead.tryAcquire()).as("the unreserved three are in use").isEqualTo(Gate.REFUSED);
    List<Long> own = take(admin, 2);
    assertThat(admin.tryAcquire())
        .as("no borrowing, and nothing to borrow")
        .isEqualTo(Gate.REFUSED);

    BulkheadStats stats = bulkhead.stats();
    assertThat(stats.inFlight()).isEqualTo(5);
    assertThat(stats.calls()).isEqualTo(5);
    assertThat(stats.rejections()).isEqualTo(2);
    assertThat(stats.partitions())
        .containsExactly(new BulkheadStats.PartitionStats("admin", 2, 2, 1));
    assertThat(stats.toString())
        .endsWith(
            "maxConcurrentCalls=5, partitions=[PartitionStats[name=admin, reserved=2, inUse=2,"
                + " rejections=1]]}");
    shared.forEach(bulkhead::release);
    own.forEach(admin::release);
    assertThat(bulkhead.stats().inFlight()).isZero();
  }

  @Test
  void aPartitionThatDoesNotBorrowStaysWithinItsReservationWhileOthersAreIdle() {
    Bulkhead bulkhead =
        bulkhead(BulkheadConfig.builder().maxConcurrentCalls(10).partition("health", 1));
    Gate health = bulkhead.partition("health");
    long p = health.acquire();
    assertThatThrownBy(health::acquire)
        .isInstanceOfSatisfying(
            BulkheadFullException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RejectedException.Reason.OVERLOAD);
              assertThat(e.component()).isEqualTo("api");
            })
        .hasMessage(
            "bulkhead 'api' partition 'health' is full: 1 calls in flight, maxConcurrentCalls 10");
    take(bulkhead, 9).forEach(bulkhead::release);
    health.release(p);
  }

  @Test
  void aBorrowingPartitionTakesIdleUnreservedPermitsButNeverMoreThanTheLimit() {
    Bulkhead bulkhead =
        bulkhead(BulkheadConfig.builder().maxConcurrentCalls(4).partition("admin", 1, true));
    Gate admin = bulkhead.partition("admin");

    List<Long> held = take(admin, 4);
    assertThat(admin.tryAcquire()).as("own and unreserved all in use").isEqualTo(Gate.REFUSED);
    assertThat(bulkhead.tryAcquire()).as("the admin calls borrowed them").isEqualTo(Gate.REFUSED);
    assertThat(bulkhead.stats().inFlight()).isEqualTo(4);
    assertThat(bulkhead.stats().partitions().get(0).inUse()).as("its own permit").isEqualTo(1);

    bulkhead.release(held.get(3)); // a borrowed one, returned through the bulkhead: the same thing
    long shared = bulkhead.acquire();
    assertThat(admin.tryAcquire()).isEqualTo(Gate.REFUSED);
    bulkhead.release(shared);
    held.subList(0, 3).forEach(admin::release);

    List<Long> others = take(bulkhead, 3);
    long reserved = admin.acquire();
    assertThat(reserved >>> 32).as("the admin call got its reserved slot").isZero();
    assertThat(admin.tryAcquire()).as("nothing idle to borrow").isEqualTo(Gate.REFUSED);
    others.forEach(bulkhead::release);
    admin.release(reserved);
    assertThat(bulkhead.stats().inFlight()).isZero();
  }

  @Test
  void aPartitionGateHasEveryShapeOfCallAndNamesItself() {
    Bulkhead bulkhead =
        bulkhead(BulkheadConfig.builder().maxConcurrentCalls(3).partition("admin", 1));
    Gate admin = bulkhead.partition("admin");
    assertThat(bulkhead.partition("admin")).isSameAs(admin);
    assertThat(admin).hasToString("bulkhead[api/admin]");

    assertThat(admin.get(() -> "got")).isEqualTo("got");
    assertThat(admin.call(() -> "called")).isEqualTo("called");
    admin.run(() -> assertThat(bulkhead.stats().partitions().get(0).inUse()).isEqualTo(1));
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletionStage<String> out = admin.callAsync(() -> work);
    assertThat(admin.tryAcquire()).isEqualTo(Gate.REFUSED);
    work.complete("async");
    assertThat(out.toCompletableFuture()).isCompletedWithValue("async");

    long p = admin.acquire();
    admin.onResult(p, "ok");
    admin.onError(p, new IllegalStateException("late")); // a duplicate: changes nothing
    long q = admin.acquire();
    admin.release(p);
    assertThat(admin.tryAcquire()).isEqualTo(Gate.REFUSED);
    admin.onError(q, new IllegalStateException("down"));
    assertThat(bulkhead.stats().inFlight()).isZero();
    assertThat(bulkhead.stats().calls()).isEqualTo(6);
    assertThat(Allocations.bytesPerCall(() -> admin.release(admin.tryAcquire()))).isZero();
  }

  @Test
  void badPartitionsAreRefusedNamingTheOptionAndTheValue() {
    BulkheadConfig.Builder b = BulkheadConfig.builder().maxConcurrentCalls(10);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.partition("admin", 0))
        .withMessage("reserved permits of partition 'admin' must be >= 1, was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.partition(" ", 1))
        .withMessage("partition name must not be blank, was ' '");
    assertThatNullPointerException().isThrownBy(() -> b.partition(nullName(), 1));
    b.partition("admin", 4);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.partition("admin", 1, true))
        .withMessage("partition name 'admin' was already added");
    b.partition("health", 6);
    assertThatIllegalArgumentException()
        .isThrownBy(b::build)
        .withMessage(
            "partitions reserve 10 permits in all, which must be < maxConcurrentCalls 10 (calls"
                + " without a partition need at least one)");

    Bulkhead bulkhead =
        bulkhead(BulkheadConfig.builder().maxConcurrentCalls(10).partition("admin", 3));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> bulkhead.changeMaxConcurrentCalls(3))
        .withMessage("maxConcurrentCalls must be > the 3 permits the partitions reserve, was 3");
    assertThat(bulkhead.stats().maxConcurrentCalls()).isEqualTo(10);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> bulkhead.partition("reports"))
        .withMessage("bulkhead 'api' has no partition 'reports', it has [admin]");
  }

  @SuppressWarnings("NullAway") // passes null on purpose
  private static String nullName() {
    return null;
  }

  @Test
  void partitionsAreKeptByToBuilderAndShownInTheConfig() {
    BulkheadConfig config =
        BulkheadConfig.builder()
            .maxConcurrentCalls(5)
            .partition("admin", 1, true)
            .partition("health", 1)
            .build();
    assertThat(config.partitions())
        .containsExactly(
            new BulkheadConfig.Partition("admin", 1, true),
            new BulkheadConfig.Partition("health", 1, false));
    assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
    assertThat(config)
        .isNotEqualTo(BulkheadConfig.builder().maxConcurrentCalls(5).partition("admin", 1).build());
    assertThat(config.toString())
        .isEqualTo(
            "BulkheadConfig{maxConcurrentCalls=5, maxWait=PT0S, maxWaiters=5, partitions=["
                + "Partition[name=admin, reserved=1, borrowing=true], "
                + "Partition[name=health, reserved=1, borrowing=false]]}");
  }

  @Test
  void changingTheLimitChangesOnlyTheUnreservedPermits() {
    Bulkhead bulkhead =
        bulkhead(BulkheadConfig.builder().maxConcurrentCalls(4).partition("admin", 2));
    Gate admin = bulkhead.partition("admin");
    bulkhead.changeMaxConcurrentCalls(6);
    take(bulkhead, 4).forEach(bulkhead::release);
    take(admin, 2).forEach(admin::release);

    List<Long> shared = take(bulkhead, 4);
    bulkhead.changeMaxConcurrentCalls(3);
    List<Long> own = take(admin, 2);
    assertThat(bulkhead.tryAcquire()).as("6 in flight, limit 3").isEqualTo(Gate.REFUSED);
    shared.subList(0, 3).forEach(bulkhead::release);
    assertThat(bulkhead.tryAcquire()).as("3 in flight, limit 3").isEqualTo(Gate.REFUSED);
    bulkhead.release(shared.get(3));
    long p = bulkhead.acquire();
    assertThat(bulkhead.tryAcquire()).isEqualTo(Gate.REFUSED);
    bulkhead.release(p);
    own.forEach(admin::release);
    assertThat(bulkhead.stats().inFlight()).isZero();
  }

  @Test
  void aWaitingPartitionCallIsNotHeldUpBehindWaitersOfTheUnreservedPermits()
      throws InterruptedException {
    Bulkhead bulkhead =
        bulkhead(
            BulkheadConfig.builder()
                .maxConcurrentCalls(2)
                .maxWait(Duration.ofHours(1))
                .partition("admin", 1));
    Gate admin = bulkhead.partition("admin");
    long shared = bulkhead.acquire();
    long own = admin.acquire();
    List<String> log = new CopyOnWriteArrayList<>();
    Thread sharedWaiter = waiter(bulkhead, log, "shared");
    await().until(() -> bulkhead.stats().waiting() == 1);
    Thread adminWaiter = waiter(admin, log, "admin");
    await().until(() -> bulkhead.stats().waiting() == 2);

    admin.release(own);
    adminWaiter.join();
    assertThat(log).containsExactly("admin admitted");
    bulkhead.release(shared);
    sharedWaiter.join();
    assertThat(log).containsExactly("admin admitted", "shared admitted");
    assertThat(bulkhead.stats().waiting()).isZero();
    assertThat(bulkhead.stats().inFlight()).isZero();
  }

  private static Thread waiter(Gate gate, List<String> log, String who) {
    Thread t =
        new Thread(
            () -> {
              long permit = gate.tryAcquire();
              log.add(who + (permit == Gate.REFUSED ? " refused" : " admitted"));
              if (permit != Gate.REFUSED) {
                gate.release(permit);
              }
            },
            who);
    t.start();
    return t;
  }
}
