package dev.ballast.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.Together;
import dev.ballast.circuitbreaker.CircuitBreaker;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("concurrency")
final class RegistryConcurrencyTest {
  private static final int THREADS = 16;

  @Test
  void manyThreadsAskingForOneNameGetOneInstanceCreatedOnce() throws InterruptedException {
    for (int round = 0; round < 20; round++) {
      try (BallastRegistry registry = BallastRegistry.ofDefaults()) {
        AtomicInteger added = new AtomicInteger();
        registry.addListener(
            new RegistryListener() {
              @Override
              public void onAdded(ComponentType<?, ?> type, String name, Object component) {
                added.incrementAndGet();
              }
            });
        Set<CircuitBreaker> seen = ConcurrentHashMap.newKeySet();
        Together.run(THREADS, t -> seen.add(registry.circuitBreaker("inventory")));

        assertThat(seen).hasSize(1);
        assertThat(added).as("created once").hasValue(1);
        assertThat(registry.size()).isEqualTo(1);
      }
    }
  }

  @Test
  void manyThreadsFillingARegistryNeverPassItsBound() throws InterruptedException {
    int max = 50;
    try (BallastRegistry registry = BallastRegistry.builder().maxInstances(max).build()) {
      AtomicInteger made = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      Together.run(
          THREADS,
          thread -> {
            for (int n = 0; n < 10; n++) {
              try {
                registry.bulkhead("b-" + thread + "-" + n);
                made.incrementAndGet();
              } catch (IllegalStateException e) {
                refused.incrementAndGet();
              }
            }
          });

      assertThat(made).hasValue(max);
      assertThat(refused).hasValue(THREADS * 10 - max);
      assertThat(registry.size()).isEqualTo(max);
      assertThat(registry.components()).hasSize(max);
    }
  }
}
