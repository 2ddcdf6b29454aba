package dev.ballast.registry;

import dev.ballast.TestTicker;
import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadConfig;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.queue.BoundedQueue;
import dev.ballast.queue.BoundedQueueConfig;
import dev.ballast.shed.LoadShedder;
import dev.ballast.shed.LoadShedderConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The instance docs/health.md shows: the inventory service's breaker open (a dependency's trouble),
 * the database bulkhead full (this process's own overload), a job queue and a load shedder doing
 * fine. Built in virtual time, so its figures are the same on every run.
 */
final class Scenario {
  private Scenario() {}

  static HealthSnapshot snapshot() {
    TestTicker ticker = new TestTicker();
    CircuitBreaker inventory =
        CircuitBreaker.of(
            "inventory",
            CircuitBreakerConfig.builder()
                .countWindow(10)
                .minimumCalls(10)
                .failureRateThreshold(0.5)
                .waitInOpen(Duration.ofSeconds(30))
                .ticker(ticker)
                .build());
    for (int i = 0; i < 4; i++) {
      inventory.onResult(inventory.acquire(), "ok");
    }
    for (int i = 0; i < 6; i++) {
      inventory.onError(inventory.acquire(), new IOException("connection reset"));
    }
    ticker.advance(Duration.ofSeconds(12));
    inventory.tryAcquire(); // refused while open

    Bulkhead db =
        Bulkhead.of("db", BulkheadConfig.builder().maxConcurrentCalls(2).ticker(ticker).build());
    for (int i = 0; i < 40; i++) {
      db.onResult(db.acquire(), "ok");
    }
    db.acquire();
    db.acquire(); // both held: the pool is busy
    db.tryAcquire(); // refused

    BoundedQueue<String> jobs =
        BoundedQueue.of("jobs", BoundedQueueConfig.builder().capacity(100).ticker(ticker).build());
    for (int i = 0; i < 10; i++) {
      jobs.add("job-" + i);
    }
    for (int i = 0; i < 7; i++) {
      jobs.poll();
    }

    LoadShedder api =
        LoadShedder.of(
            "api",
            LoadShedderConfig.builder()
                .target(Duration.ofMillis(100))
                .minimumSamples(5)
                .ticker(ticker)
                .build());
    for (int i = 0; i < 20; i++) {
      long permit = api.acquire();
      ticker.advanceMillis(40);
      api.onResult(permit, "ok");
    }
    return HealthSnapshot.of(List.of(inventory, db, jobs, api), HealthSnapshotTest.CLOCK);
  }
}
