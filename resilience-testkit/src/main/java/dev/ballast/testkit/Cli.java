package dev.ballast.testkit;

import dev.ballast.testkit.harness.Endpoint;
import dev.ballast.testkit.harness.Harness;
import dev.ballast.testkit.harness.Misbehavior;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The testkit's command line: {@code serve} starts the misbehaving harness and prints its table of
 * ports, {@code demo} calls misbehaving HTTP endpoints with and without Ballast and prints what
 * each call cost (and writes its breakers' timeline as an SVG: {@code --svg <file>}, else the file
 * the system property {@code ballast.demo.svg} names, else {@code ballast-demo.svg} in the
 * temporary directory), and {@code demo-inprocess} runs the in-process circuit breaker {@link
 * Demo}.
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
      "usage: Cli serve [--for <seconds>] | demo [--quick] [--svg <file>]"
          + " | demo-inprocess [--quick]";

  /**
   * The system property naming where {@code demo} writes its timeline unless {@code --svg} says;
   * the pom's {@code exec:java} sets it to {@code resilience-testkit/target/ballast-demo.svg}.
   * Without either, the file is {@code ballast-demo.svg} in {@code java.io.tmpdir}.
   */
  static final String DEMO_SVG_PROPERTY = "ballast.demo.svg";

  private Cli() {}

  /**
   * Runs the command line and exits with a non-zero status on a usage error.
   *
   * @param args the command and its options
   * @throws InterruptedException when interrupted while it waits
   * @throws NullPointerException when {@code args} or one of its elements is null
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
   * @throws NullPointerException when {@code args}, one of its elements or {@code out} is null; the
   *     message names it ({@code args[1] must not be null})
   */
  public static int run(String[] args, PrintStream out) throws InterruptedException {
    List<String> list = checkArgs(args);
    Objects.requireNonNull(out, "out must not be null");
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

  /** The arguments as a list, or an NPE naming the null one. */
  static List<String> checkArgs(String[] args) {
    Objects.requireNonNull(args, "args must not be null");
    for (int i = 0; i < args.length; i++) {
      if (args[i] == null) {
        throw new NullPointerException("args[" + i + "] must not be null");
      }
    }
    return Arrays.asList(args);
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
    Path svg = defaultDemoSvg();
    for (int i = 0; i < options.size(); i++) {
      String option = options.get(i);
      if (option.equals("--quick")) {
        quick = true;
      } else if (option.equals("--svg") && i + 1 < options.size()) {
        svg = Path.of(options.get(++i));
      } else {
        out.println(USAGE);
        return 2;
      }
    }
    new HttpDemo(quick, out, svg).run();
    return 0;
  }

  static Path defaultDemoSvg() {
    String configured = System.getProperty(DEMO_SVG_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "ballast-demo.svg");
  }
}
