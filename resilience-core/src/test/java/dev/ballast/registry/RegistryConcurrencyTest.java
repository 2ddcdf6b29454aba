package dev.ballast.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.circuitbreaker.CircuitBreaker;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
          Thread t =
              new Thread(
                  () -> {
                    try {
                      start.await();
                      seen.add(registry.circuitBreaker("inventory"));
                    } catch (Throwable e) {
                      failure.set(e);
                    }
                  },
                  "registry-test-" + i);
          t.start();
          threads.add(t);
        }
        start.countDown();
        for (Thread t : threads) {
          t.join();
        }

        assertThat(failure.get()).isNull();
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
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        int thread = i;
        Thread t =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                  for (int n = 0; n < 10; n++) {
                    try {
                      registry.bulkhead("b-" + thread + "-" + n);
                      made.incrementAndGet();
                    } catch (IllegalStateException e) {
                      refused.incrementAndGet();
                    }
                  }
                },
                "registry-fill-" + i);
        t.start();
        threads.add(t);
      }
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }

      assertThat(made).hasValue(max);
      assertThat(refused).hasValue(THREADS * 10 - max);
      assertThat(registry.size()).isEqualTo(max);
      assertThat(registry.components()).hasSize(max);
    }
  }
}
