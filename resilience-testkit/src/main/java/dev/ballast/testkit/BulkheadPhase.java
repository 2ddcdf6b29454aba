package dev.ballast.testkit;

import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadConfig;
import dev.ballast.bulkhead.BulkheadStats;
import dev.ballast.testkit.harness.Endpoint;
import dev.ballast.testkit.harness.Harness;
import dev.ballast.testkit.harness.Misbehavior;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The demo's bulkhead phase: a slow dependency and a healthy one share a small pool of worker
 * threads. A burst of calls to the slow one arrives first, then calls to the healthy one. Without a
 * bulkhead the slow calls take every worker and the healthy calls wait in the queue behind them;
 * with a {@link Bulkhead} of {@value #MAX_CONCURRENT_CALLS} permits around the slow dependency, the
 * excess slow calls are refused at once, their workers go back to the pool, and the healthy calls
 * are answered in milliseconds. Prints both rounds with their figures.
 *
 * <p>Not thread-safe and not meant to be: one run is driven by one thread, which waits for the
 * workers it starts.
 */
final class BulkheadPhase {
  static final int WORKERS = 4;
  static final int MAX_CONCURRENT_CALLS = 2;
  static final int SLOW_CALLS = 2 * WORKERS;
  static final int HEALTHY_CALLS = WORKERS;

  private final HttpDemo demo;
  private final PrintStream out;
  private final Duration slowLatency;

  BulkheadPhase(HttpDemo demo, boolean quick, PrintStream out) {
    this.demo = demo;
    this.out = out;
    this.slowLatency = Duration.ofMillis(quick ? 400 : 1500);
  }

  void run() throws InterruptedException {
    try (Harness harness =
        Harness.builder()
            .add(
                Misbehavior.httpSlowJson(slowLatency).named("http-slow"),
                Misbehavior.httpSlowJson(Duration.ZERO).named("http-healthy"))
            .build()
            .start()) {
      Endpoint slow = harness.endpoints().get(0);
      Endpoint healthy = harness.endpoints().get(1);
      out.printf(
          Locale.ROOT,
          "%nBulkhead: %s turns slow (%d ms a call) and shares %d worker threads with %s."
              + "%n%d calls to %s arrive, then %d to %s. Each call's time counts from its"
              + " arrival,%nwaiting for a worker included.%n%n",
          slow.name(),
          slowLatency.toMillis(),
          WORKERS,
          healthy.name(),
          SLOW_CALLS,
          slow.name(),
          HEALTHY_CALLS,
          healthy.name());
      out.printf(Locale.ROOT, "%-18s  %-14s  %s%n", "", "ENDPOINT", "HOW THE CALLS ENDED");

      Round bare = round(slow, healthy, null);
      print("WITHOUT BULKHEAD", slow, healthy, bare);

      Bulkhead bulkhead =
          Bulkhead.of(
              slow.name(),
              BulkheadConfig.builder().maxConcurrentCalls(MAX_CONCURRENT_CALLS).build());
      Round guarded = round(slow, healthy, bulkhead);
      print("WITH BULKHEAD", slow, healthy, guarded);

      BulkheadStats stats = bulkhead.stats();
      out.printf(
          Locale.ROOT,
          "%nWithout a bulkhead the slow calls held all %d workers: the healthy calls took up to"
              + " %d ms,%nnearly all of it waiting for a worker. The bulkhead (maxConcurrentCalls"
              + " %d) admitted %d calls to %s%nand refused %d at once, so while the healthy calls"
              + " ran only %d workers were held (calls in flight)%nand the slowest healthy call"
              + " took %d ms.%n",
          WORKERS,
          bare.healthy.slowestMillis(),
          MAX_CONCURRENT_CALLS,
          stats.calls(),
          slow.name(),
          stats.rejections(),
          guarded.inFlightSeen,
          guarded.healthy.slowestMillis());
    }
  }

  /** One round: the slow calls, then the healthy ones, on a fresh pool of workers. */
  private Round round(Endpoint slow, Endpoint healthy, @Nullable Bulkhead bulkhead)
      throws InterruptedException {
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS, new Workers());
    try {
      List<Future<Call>> slowCalls = new ArrayList<>();
      for (int i = 0; i < SLOW_CALLS; i++) {
        long arrived = System.nanoTime();
        slowCalls.add(
            workers.submit(
                () ->
                    timed(
                        arrived,
                        () ->
                            bulkhead == null
                                ? demo.fetch(slow, slowLatency.multipliedBy(4))
                                : bulkhead.call(
                                    () -> demo.fetch(slow, slowLatency.multipliedBy(4))))));
      }
      AtomicInteger inFlightSeen = new AtomicInteger();
      List<Future<Call>> healthyCalls = new ArrayList<>();
      for (int i = 0; i < HEALTHY_CALLS; i++) {
        long arrived = System.nanoTime();
        healthyCalls.add(
            workers.submit(
                () -> {
                  if (bulkhead != null) {
                    inFlightSeen.accumulateAndGet(bulkhead.stats().inFlight(), Math::max);
                  }
                  return timed(arrived, () -> demo.fetch(healthy, slowLatency.multipliedBy(4)));
                }));
      }
      return new Round(Calls.of(slowCalls), Calls.of(healthyCalls), inFlightSeen.get());
    } finally {
      workers.shutdownNow();
      workers.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private void print(String label, Endpoint slow, Endpoint healthy, Round round) {
    out.printf(Locale.ROOT, "%-18s  %-14s  %s%n", label, slow.name(), round.slow);
    out.printf(Locale.ROOT, "%-18s  %-14s  %s%n", "", healthy.name(), round.healthy);
  }

  private interface Body {
    String call() throws Exception;
  }

  /** Runs a call on a worker; its time counts from {@code arrivedNanos}. */
  private Call timed(long arrivedNanos, Body body) {
    String outcome;
    try {
      outcome = body.call();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      outcome = demo.describe(e);
    }
    return new Call(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - arrivedNanos), outcome);
  }

  /** What one call cost from its arrival, and how it ended. */
  private record Call(long millis, String outcome) {}

  /** One round's figures. */
  private record Round(Calls slow, Calls healthy, int inFlightSeen) {}

  /** A group of calls, said as one line: how many ended each way, and the fastest and slowest. */
  private record Calls(List<Call> calls) {
    static Calls of(List<Future<Call>> futures) throws InterruptedException {
      List<Call> calls = new ArrayList<>();
      for (Future<Call> future : futures) {
        try {
          calls.add(future.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("a demo call threw", e.getCause());
        }
      }
      return new Calls(calls);
    }

    long slowestMillis() {
      return calls.stream().mapToLong(Call::millis).max().orElse(0);
    }

    @Override
    public String toString() {
      List<String> outcomes = calls.stream().map(Call::outcome).distinct().toList();
      List<String> parts = new ArrayList<>();
      for (String outcome : outcomes) {
        List<Call> alike = calls.stream().filter(c -> c.outcome().equals(outcome)).toList();
        long fastest = alike.stream().mapToLong(Call::millis).min().orElse(0);
        long slowest = alike.stream().mapToLong(Call::millis).max().orElse(0);
        parts.add(
            String.format(
                Locale.ROOT,
                "%d x %s in %s",
                alike.size(),
                outcome,
                fastest == slowest ? fastest + " ms" : fastest + " to " + slowest + " ms"));
      }
      return String.join("; ", parts);
    }
  }

  /** Named daemon worker threads, so that a stuck call never keeps the program alive. */
  private static final class Workers implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "ballast-demo-worker-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
