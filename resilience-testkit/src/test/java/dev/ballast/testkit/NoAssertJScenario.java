package dev.ballast.testkit;

import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.testkit.harness.Harness;
import dev.ballast.testkit.harness.Misbehavior;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a user without AssertJ does with the testkit: virtual time, the fault injector, the harness
 * and a breaker, in plain Java. {@link WithoutAssertJTest} loads it through a class loader that
 * hides AssertJ; it must not use AssertJ itself, so it reports what it saw as a string.
 */
final class NoAssertJScenario implements Callable<String> {

  @Override
  public String call() throws Exception {
    ManualScheduler scheduler = new ManualScheduler();
    AtomicInteger fired = new AtomicInteger();
    scheduler.schedule(fired::incrementAndGet, Duration.ofSeconds(1).toNanos());
    scheduler.ticker().advance(Duration.ofSeconds(1));

    FaultInjector<String> injector =
        FaultInjector.<String>builder()
            .period(2)
            .latency(Duration.ofSeconds(3), scheduler)
            .exception(() -> new IOException("reset"))
            .enabled(true)
            .build();
    Callable<String> inventory = injector.decorateCallable(() -> "ok");
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "inventory",
            CircuitBreakerConfig.builder()
                .ticker(scheduler.ticker())
                .consecutiveFailures(1)
                .build());
    StringBuilder outcomes = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      try {
        outcomes.append(breaker.call(inventory::call)).append(' ');
      } catch (IOException e) {
        outcomes.append("failed ");
      } catch (RuntimeException e) {
        outcomes.append("refused ");
      }
    }

    String harnessSaid;
    try (Harness harness =
        Harness.builder().add(Misbehavior.tcpCloseAfterBytes(3)).build().start()) {
      try (Socket socket = new Socket()) {
        socket.connect(harness.endpoints().get(0).address(), 1000);
        socket.setSoTimeout(1000);
        InputStream in = socket.getInputStream();
        harnessSaid = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      }
    }
    return "fired="
        + fired.get()
        + " outcomes="
        + outcomes.toString().strip()
        + " faults="
        + injector.faults()
        + " now="
        + Duration.ofNanos(scheduler.ticker().read()).toSeconds()
        + "s breaker="
        + breaker.state()
        + " harness="
        + harnessSaid;
  }
}
