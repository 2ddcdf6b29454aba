package dev.ballast.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.Gate;
import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadConfig;
import dev.ballast.queue.BoundedQueue;
import dev.ballast.queue.BoundedQueueConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Probes taken while many threads use the components: every snapshot is well-formed JSON whose
 * statuses are ones the components can be in, and once the threads have joined the snapshot is back
 * to UP with nothing in use.
 */
final class HealthConcurrencyTest {

  @Test
  @SuppressWarnings("unchecked")
  void snapshotsTakenWhileThreadsHammerTheComponentsAreAlwaysWellFormed() throws Exception {
    Bulkhead bulkhead = Bulkhead.of("db", BulkheadConfig.builder().maxConcurrentCalls(2).build());
    BoundedQueue<Integer> queue =
        BoundedQueue.of("jobs", BoundedQueueConfig.builder().capacity(4).build());
    List<Object> components = List.of(bulkhead, queue);
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch go = new CountDownLatch(1);
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int id = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  go.await();
                  for (int i = 0; !stop.get() && i < 200_000; i++) {
                    long permit = bulkhead.tryAcquire();
                    if (permit != Gate.REFUSED) {
                      bulkhead.onResult(permit, "ok");
                    }
                    if (queue.offer(id)) {
                      queue.poll();
                    }
                  }
                } catch (Throwable e) {
                  errors.add(e);
                }
              },
              "health-worker-" + t);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    go.countDown();
    for (int probe = 0; probe < 300; probe++) {
      HealthSnapshot s = HealthSnapshot.of(components);
      Map<String, @Nullable Object> root =
          (Map<String, @Nullable Object>) Objects.requireNonNull(MiniJson.parse(s.toJson()));
      assertThat(root.get("ready")).isEqualTo(s.ready());
      assertThat(s.status()).isIn(HealthStatus.UP, HealthStatus.OVERLOADED);
      assertThat(s.live()).isTrue();
      for (ComponentHealth c : s.components()) {
        assertThat(c.state()).isIn("AVAILABLE", "FULL", "ACCEPTING", "FULL_LOAD");
      }
    }
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(errors).isEmpty();
    HealthSnapshot after = HealthSnapshot.of(components);
    assertThat(after.status()).isEqualTo(HealthStatus.UP);
    assertThat(after.components().get(1).figures()).containsEntry("inFlight", 0L);
    assertThat(after.components().get(0).figures()).containsEntry("size", 0L);
  }
}
