package dev.ballast.testkit;

import dev.ballast.Pipeline;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.fallback.Fallback;
import dev.ballast.retry.Backoff;
import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryConfig;
import dev.ballast.testkit.harness.Endpoint;
import dev.ballast.testkit.harness.Harness;
import dev.ballast.testkit.harness.Misbehavior;
import dev.ballast.timeout.Timeout;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The testkit's command line: {@code serve} starts the misbehaving harness and prints its table of
 * ports, {@code demo} calls misbehaving HTTP endpoints with and without Ballast and prints what
 * each call cost, and {@code demo-inprocess} runs the in-process circuit breaker {@link Demo}.
 *
 * <pre>{@code
 * mvn -B -q install -DskipTests && mvn -B -q -pl resilience-testkit exec:java
 * mvn -B -q -pl resilience-testkit exec:java -Dexec.args="demo --quick"
 * mvn -B -q -pl resilience-testkit exec:java -Dexec.args="serve --for 60"
 * }</pre>
 *
 * <p>Not thread-safe and not meant to be: each run is a single-threaded program.
 */
public final class Cli {
  private static final String USAGE =
      "usage: Cli serve [--for <seconds>] | demo [--quick] | demo-inprocess [--quick]";

  private Cli() {}

  /**
   * Runs the command line and exits with a non-zero status on a usage error.
   *
   * @param args the command and its options
   * @throws InterruptedException when interrupted while it waits
   */
  public static void main(String[] args) throws InterruptedException {
    int code = run(args, System.out);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs the command line, writing to {@code out}.
   *
   * @param args the command and its options
   * @param out where to print
   * @return the exit code: 0 on success, 2 on a usage error
   * @throws InterruptedException when interrupted while it waits
   */
  public static int run(String[] args, PrintStream out) throws InterruptedException {
    List<String> list = Arrays.asList(args);
    String command = list.isEmpty() ? "demo" : list.get(0);
    List<String> options = list.isEmpty() ? List.of() : list.subList(1, list.size());
    return switch (command) {
      case "serve" -> serve(options, out);
      case "demo" -> demo(options, out);
      case "demo-inprocess" -> {
        Demo.main(options.toArray(new String[0]));
        yield 0;
      }
      default -> {
        out.println(USAGE);
        yield 2;
      }
    };
  }

  // ---- serve ----

  /** Every misbehavior the harness has, with parameters a developer can observe by hand. */
  static List<Misbehavior> everyMisbehavior() {
    return List.of(
        Misbehavior.tcpRefuse(),
        Misbehavior.tcpNeverAccept(),
        Misbehavior.tcpAcceptThenSilence(),
        Misbehavior.tcpAcceptNeverRead(),
        Misbehavior.tcpReset(),
        Misbehavior.tcpCloseAfterBytes(10),
        Misbehavior.tcpSlowClose(Duration.ofSeconds(5)),
        Misbehavior.tcpDrip(1, Duration.ofMillis(500)),
        Misbehavior.tcpLatency(Duration.ofSeconds(2)),
        Misbehavior.tcpRandomLatency(Duration.ofMillis(100), Duration.ofSeconds(3), 42),
        Misbehavior.tcpGarbage(1024, 42),
        Misbehavior.httpNoReply(),
        Misbehavior.httpHeadersNoBody(1024),
        Misbehavior.httpDripBody(1024, 1, Duration.ofMillis(200)),
        Misbehavior.httpStatus(500),
        Misbehavior.httpServiceUnavailable(Duration.ofSeconds(30)),
        Misbehavior.httpTooManyRequests(Duration.ofSeconds(30)),
        Misbehavior.httpUnauthorized(),
        Misbehavior.httpWrongContentType(),
        Misbehavior.httpHtml(),
        Misbehavior.httpEmpty(),
        Misbehavior.httpHugeBody(100L * 1024 * 1024),
        Misbehavior.httpSlowJson(Duration.ofSeconds(3)));
  }

  private static int serve(List<String> options, PrintStream out) throws InterruptedException {
    long forSeconds = -1;
    for (int i = 0; i < options.size(); i++) {
      if (options.get(i).equals("--for") && i + 1 < options.size()) {
        try {
          forSeconds = Long.parseLong(options.get(++i));
        } catch (NumberFormatException e) {
          forSeconds = -2;
        }
        if (forSeconds < 0) {
          out.println(
              "--for must be a number of seconds, at least 0, was '" + options.get(i) + "'");
          return 2;
        }
      } else {
        out.println(USAGE);
        return 2;
      }
    }
    Harness harness =
        Harness.builder().add(everyMisbehavior().toArray(new Misbehavior[0])).build().start();
    CountDownLatch closed = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              harness.close();
              closed.countDown();
            },
            "ballast-cli-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      out.printf(
          Locale.ROOT,
          "Ballast harness on %s: one port per misbehavior.%n"
              + "A switched-off port answers HTTP 200 {\"status\":\"ok\"}.%n%n",
          harness.bindAddress().getHostAddress());
      out.printf(Locale.ROOT, "%-6s  %-28s  %s%n", "PORT", "NAME", "MISBEHAVIOR");
      for (Endpoint endpoint : harness.endpoints()) {
        out.printf(
            Locale.ROOT,
            "%-6d  %-28s  %s%n",
            endpoint.port(),
            endpoint.name(),
            endpoint.misbehavior());
      }
      out.println();
      if (forSeconds < 0) {
        out.println("Serving until Ctrl-C.");
        out.flush();
        closed.await();
      } else {
        out.printf(Locale.ROOT, "Serving for %d s.%n", forSeconds);
        out.flush();
        closed.await(forSeconds, TimeUnit.SECONDS);
      }
    } finally {
      harness.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
    }
    return 0;
  }

  // ---- demo ----

  private static int demo(List<String> options, PrintStream out) throws InterruptedException {
    boolean quick = false;
    for (String option : options) {
      if (option.equals("--quick")) {
        quick = true;
      } else {
        out.println(USAGE);
        return 2;
      }
    }
    new HttpDemo(quick, out).run();
    return 0;
  }

  /** The demo: one unprotected call per endpoint, then protected calls, then healing. */
  private static final class HttpDemo {
    private final PrintStream out;
    private final Duration clientTimeout;
    private final Duration deadline;
    private final Duration waitInOpen;
    private final int protectedCalls;
    private final Duration slowJson;
    private final HttpClient client;
    private final boolean quick;

    HttpDemo(boolean quick, PrintStream out) {
      this.out = out;
      this.quick = quick;
      this.clientTimeout = Duration.ofMillis(quick ? 1000 : 2000);
      this.deadline = Duration.ofMillis(quick ? 200 : 500);
      this.waitInOpen = Duration.ofMillis(quick ? 300 : 2000);
      this.protectedCalls = quick ? 4 : 6;
      this.slowJson = Duration.ofMillis(quick ? 700 : 1500);
      this.client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(clientTimeout)
              .build();
    }

    void run() throws InterruptedException {
      List<Misbehavior> misbehaviors =
          List.of(
              Misbehavior.httpNoReply(),
              // HttpClient's request timeout stops at the headers: a dripped body holds it to the
              // end.
              Misbehavior.httpDripBody(quick ? 15 : 40, 1, Duration.ofMillis(50)),
              Misbehavior.httpServiceUnavailable(Duration.ofSeconds(30)),
              Misbehavior.httpStatus(500),
              Misbehavior.httpSlowJson(slowJson),
              Misbehavior.httpSlowJson(Duration.ZERO).named("http-healthy"));
      try (Harness harness =
          Harness.builder().add(misbehaviors.toArray(new Misbehavior[0])).build().start()) {
        out.printf(
            Locale.ROOT,
            "Ballast harness demo: each endpoint is called once unprotected (HttpClient timeout"
                + " %d ms),%nthen %d times through fallback + retry (2 attempts) + circuit breaker"
                + " (opens after 2 failures, waits %d ms) + timeout (%d ms).%n%n",
            clientTimeout.toMillis(),
            protectedCalls,
            waitInOpen.toMillis(),
            deadline.toMillis());
        out.printf(
            Locale.ROOT,
            "%-16s  %-34s  %s%n",
            "ENDPOINT",
            "UNPROTECTED",
            "WITH BALLAST (per call)");
        List<Protected> guarded = new ArrayList<>();
        for (Endpoint endpoint : harness.endpoints()) {
          Call bare = time(() -> fetch(endpoint, clientTimeout));
          Protected p = new Protected(endpoint);
          guarded.add(p);
          List<String> calls = new ArrayList<>();
          for (int i = 0; i < protectedCalls; i++) {
            calls.add(p.call().toString());
          }
          out.printf(
              Locale.ROOT, "%-16s  %-34s  %s%n", endpoint.name(), bare, String.join(" | ", calls));
        }
        out.printf(
            Locale.ROOT,
            "%nThe harness heals (every port answers 200 JSON); after %d ms each open breaker lets"
                + " a probe through.%n%n",
            waitInOpen.toMillis());
        out.printf(
            Locale.ROOT,
            "%-16s  %-16s  %-34s  %s%n",
            "ENDPOINT",
            "BREAKER BEFORE",
            "FIRST CALL AFTER THE WAIT",
            "BREAKER AFTER");
        for (Endpoint endpoint : harness.endpoints()) {
          endpoint.enabled(false);
        }
        TimeUnit.MILLISECONDS.sleep(waitInOpen.toMillis() + 50);
        for (Protected p : guarded) {
          CircuitBreakerState before = p.breaker.state();
          Call call = p.call();
          out.printf(
              Locale.ROOT,
              "%-16s  %-16s  %-34s  %s%n",
              p.endpoint.name(),
              before,
              call,
              p.breaker.state());
        }
        out.printf(
            Locale.ROOT,
            "%nUnprotected, a hung or dripping server holds the caller for the whole client"
                + " timeout;%nwith Ballast each call is bounded by the timeout, and once the breaker"
                + " opens the fallback answers at once.%n");
      }
    }

    String fetch(Endpoint endpoint, Duration timeout) throws IOException, InterruptedException {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://"
                          + endpoint.address().getAddress().getHostAddress()
                          + ":"
                          + endpoint.port()
                          + "/orders/42"))
              .timeout(timeout)
              .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 400) {
        throw new IOException("HTTP " + response.statusCode());
      }
      return "HTTP " + response.statusCode();
    }

    /** One endpoint's Ballast pipeline. */
    private final class Protected {
      final Endpoint endpoint;
      final CircuitBreaker breaker;
      final Pipeline pipeline;

      Protected(Endpoint endpoint) {
        this.endpoint = endpoint;
        this.breaker =
            CircuitBreaker.of(
                endpoint.name(),
                CircuitBreakerConfig.builder()
                    .consecutiveFailures(2)
                    .waitInOpen(waitInOpen)
                    .build());
        Retry retry =
            Retry.of(
                endpoint.name(),
                RetryConfig.builder()
                    .maxAttempts(2)
                    .backoff(Backoff.fixed(Duration.ofMillis(10)))
                    .build());
        Fallback<String> fallback =
            Fallback.<String>builder(endpoint.name()).rejectionFallback(e -> "fallback").build();
        this.pipeline =
            Pipeline.of(fallback, retry, breaker, Timeout.of(endpoint.name(), deadline));
      }

      Call call() {
        // The client's own timeout is a backstop; Ballast's timeout is the one that should fire.
        return time(() -> pipeline.call(() -> fetch(endpoint, clientTimeout)));
      }
    }
  }

  /** What a call cost and how it ended. */
  private record Call(long millis, String outcome) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%5d ms %s", millis, outcome);
    }
  }

  private interface Body {
    String call() throws Exception;
  }

  private static Call time(Body body) {
    long start = System.nanoTime();
    String outcome;
    try {
      outcome = body.call();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      outcome = e.getClass().getSimpleName();
    }
    return new Call(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), outcome);
  }
}
