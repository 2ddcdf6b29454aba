package dev.ballast.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.Subscription;
import dev.ballast.testlog.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("concurrency")
final class ConcurrencyTest {

  @AfterEach
  void forgetTheDebugLines() {
    LogCapture.clear(); // every fallback logged a DEBUG line; leave the capture empty
  }

  @Test
  void countsAddUpWhileThreadsCallAndListenersComeAndGo() throws InterruptedException {
    Fallback<String> f =
        Fallback.of(
            "busy",
            FallbackConfig.<String>builder()
                .onException(IllegalStateException.class)
                .exceptionFallback(
                    e -> {
                      if ("bad".equals(e.getMessage())) {
                        throw new IllegalArgumentException("fallback failed");
                      }
                      return "default";
                    })
                .rejectionFallbackValue("cached")
                .onResult(String::isEmpty)
                .resultFallbackValue("filled")
                .build());
    int threads = 8;
    int perThread = 5_000;
    AtomicLong passed = new AtomicLong();
    AtomicLong heard = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w =
          new Thread(
              () -> {
                awaitQuietly(start);
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < perThread; i++) {
                  int kind = random.nextInt(6);
                  try {
                    String r =
                        f.get(
                            () ->
                                switch (kind) {
                                  case 0 -> throw new IllegalStateException("down");
                                  case 1 -> throw new IllegalStateException("bad");
                                  case 2 -> throw Rejections.overload("bulkhead");
                                  case 3 -> "";
                                  case 4 -> throw new UnsupportedOperationException("unmatched");
                                  default -> "ok";
                                });
                    if (r.equals("ok")) {
                      passed.incrementAndGet();
                    }
                  } catch (UnsupportedOperationException e) {
                    passed.incrementAndGet();
                  } catch (IllegalArgumentException e) {
                    assertThat(e.getSuppressed()).hasSize(1);
                  }
                }
              },
              "fallback-worker-" + t);
      w.setDaemon(true);
      workers.add(w);
      w.start();
    }
    Thread churn =
        new Thread(
            () -> {
              awaitQuietly(start);
              for (int i = 0; i < 1_000; i++) {
                Subscription s =
                    f.addListener(
                        new FallbackListener() {
                          @Override
                          public void onFallback(FallbackTrigger trigger, @Nullable Throwable c) {
                            heard.incrementAndGet();
                          }
                        });
                s.close();
              }
            },
            "fallback-listener-churn");
    churn.setDaemon(true);
    churn.start();
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    churn.join();
    FallbackStats s = f.stats();
    assertThat(s.calls()).isEqualTo((long) threads * perThread);
    assertThat(passed.get() + s.fallbacks() + s.fallbackFailures()).isEqualTo(s.calls());
    assertThat(s.exceptionFallbacks()).isPositive();
    assertThat(s.rejectionFallbacks()).isPositive();
    assertThat(s.resultFallbacks()).isPositive();
    assertThat(heard.get()).isLessThanOrEqualTo(s.fallbacks());
    // every listener was removed: the no-op is back
    Subscription last = f.addListener(new FallbackListener() {});
    last.close();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
