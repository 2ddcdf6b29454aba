package dev.ballast.testkit;

import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerListener;
import dev.ballast.circuitbreaker.CircuitBreakerOpenException;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.testkit.timeline.Lane;
import dev.ballast.testkit.timeline.Timeline;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A short program that shows a circuit breaker at work, in real time: a fake dependency answers,
 * then breaks (every call hangs, then times out), then heals, while a loop calls it through a
 * {@link CircuitBreaker}. It prints each phase and each state transition, so you can watch the
 * breaker open, refuse calls fast, probe, and close again.
 *
 * <p>It also records the breaker on a {@link Timeline} and writes the run as an SVG picture, then
 * prints where: {@code --svg <file>}, else {@code ballast-demo-inprocess.svg} beside the file the
 * {@code demo} command would write (see {@link Cli}).
 *
 * <p>Runs for about 4 seconds, or about 1 second with {@code --quick}, and then ends by itself:
 *
 * <pre>{@code
 * mvn -B -q install -DskipTests && mvn -B -q -pl resilience-testkit exec:java -Dexec.args=demo-inprocess
 * }</pre>
 *
 * <p>Not thread-safe and not meant to be: it is a single-threaded program.
 */
public final class Demo {
  private static final PrintStream OUT = System.out;
  private static final int FAILURES_TO_TRIP = 5;

  private final Duration phase;
  private final Duration waitInOpen;
  private final Duration callInterval;
  private final Duration healthyLatency;
  private final Duration brokenLatency;
  private final long startNanos = System.nanoTime();
  private final Path svg;

  private Demo(boolean quick, Path svg) {
    this.svg = svg;
    this.phase = Duration.ofMillis(quick ? 250 : 1000);
    this.waitInOpen = Duration.ofMillis(quick ? 100 : 200);
    this.callInterval = Duration.ofMillis(quick ? 5 : 10);
    this.healthyLatency = Duration.ofMillis(2);
    this.brokenLatency = Duration.ofMillis(quick ? 10 : 25);
  }

  /**
   * Runs the demo.
   *
   * @param args {@code --quick} for the one-second version; {@code --svg <file>} for where to write
   *     the picture of the run
   * @throws InterruptedException when the program is interrupted while it waits
   * @throws NullPointerException when {@code args} or one of its elements is null; the message
   *     names it ({@code args[0] must not be null})
   */
  public static void main(String[] args) throws InterruptedException {
    List<String> list = Cli.checkArgs(args);
    int svgAt = list.indexOf("--svg");
    Path svg =
        svgAt >= 0 && svgAt + 1 < list.size()
            ? Path.of(list.get(svgAt + 1))
            : Cli.defaultDemoSvg().resolveSibling("ballast-demo-inprocess.svg");
    new Demo(list.contains("--quick"), svg).run();
  }

  private void run() throws InterruptedException {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "inventory",
            CircuitBreakerConfig.builder()
                .consecutiveFailures(FAILURES_TO_TRIP)
                .waitInOpen(waitInOpen)
                .build());
    Dependency inventory = new Dependency();

    OUT.printf(
        Locale.ROOT,
        "Ballast demo: calls to 'inventory' every %d ms through a circuit breaker that opens after"
            + " %d failures in a row%nand waits %d ms before it lets a probe call through."
            + " The dependency is healthy, breaks, then heals.%n"
            + "Lines in [WARN] or [INFO], when an SLF4J provider is present, are the breaker's own"
            + " log.%n%n",
        callInterval.toMillis(),
        FAILURES_TO_TRIP,
        waitInOpen.toMillis());

    Subscription narrator = breaker.addListener(new Narrator());
    Timeline timeline = Timeline.start(Ticker.system());
    Lane dependency = timeline.lane("inventory service");
    timeline.attach(breaker);
    try {
      Phase[] phases = {
        new Phase("healthy", "the dependency answers in ~" + healthyLatency.toMillis() + " ms"),
        new Phase(
            "broken",
            "the dependency breaks: every call hangs "
                + brokenLatency.toMillis()
                + " ms, then times out"),
        new Phase("healed", "the dependency heals"),
      };
      // From now, not from the start of the program: class loading must not eat the first phase.
      long end = System.nanoTime();
      for (int i = 0; i < phases.length; i++) {
        Phase current = phases[i];
        inventory.broken = i == 1;
        dependency.state(current.name);
        say("%s", "[" + current.name + "] " + current.banner);
        end += phase.toNanos();
        long next = System.nanoTime();
        while (System.nanoTime() < end) {
          current.callThrough(breaker, inventory);
          next += callInterval.toNanos();
          sleepUntil(Math.min(next, end));
        }
        say("%s", current.summary(breaker.state()));
      }
      OUT.println();
      long rejected = Arrays.stream(phases).mapToLong(p -> p.rejected).sum();
      long calls = Arrays.stream(phases).mapToLong(p -> p.calls).sum();
      OUT.printf(
          Locale.ROOT,
          "%d calls in %.1f s; %d were refused at once instead of hanging %d ms on a broken"
              + " dependency. Final state: %s.%n",
          calls,
          secondsSinceStart(),
          rejected,
          brokenLatency.toMillis(),
          breaker.state());
      try {
        Path written = timeline.writeSvg(svg, "Ballast demo: the breaker of 'inventory'");
        OUT.printf(
            Locale.ROOT,
            "The run is drawn (states, calls, latency, refusals) in%n  %s%n",
            written.toAbsolutePath());
      } catch (IOException e) {
        OUT.printf(Locale.ROOT, "Could not write the picture of the run to %s: %s%n", svg, e);
      }
    } finally {
      narrator.close();
      timeline.close();
    }
  }

  private void say(String format, Object... args) {
    OUT.printf(
        Locale.ROOT, "%7.3fs  %s%n", secondsSinceStart(), String.format(Locale.ROOT, format, args));
  }

  private double secondsSinceStart() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void sleepUntil(long deadlineNanos) throws InterruptedException {
    long nanos = deadlineNanos - System.nanoTime();
    if (nanos > 0) {
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  }

  /** The fake integration point: answers quickly, or hangs and times out while broken. */
  private final class Dependency {
    boolean broken;

    String stockOf(String item) throws IOException {
      try {
        if (broken) {
          TimeUnit.NANOSECONDS.sleep(brokenLatency.toNanos());
          throw new SocketTimeoutException(
              "read timed out after " + brokenLatency.toMillis() + " ms");
        }
        TimeUnit.NANOSECONDS.sleep(healthyLatency.toNanos());
        return item + ": 42 in stock";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while calling inventory");
      }
    }
  }

  /** Prints the breaker's transitions as they happen, with what each one means. */
  private final class Narrator implements CircuitBreakerListener {
    @Override
    public void onStateTransition(CircuitBreakerState from, CircuitBreakerState to) {
      say("  breaker %s -> %s: %s", from, to, meaning(from, to));
    }

    private String meaning(CircuitBreakerState from, CircuitBreakerState to) {
      if (from == CircuitBreakerState.CLOSED && to == CircuitBreakerState.OPEN) {
        return FAILURES_TO_TRIP + " failures in a row; calls are now refused at once";
      }
      if (to == CircuitBreakerState.HALF_OPEN) {
        return waitInOpen.toMillis() + " ms have passed; the next call is a probe";
      }
      if (from == CircuitBreakerState.HALF_OPEN && to == CircuitBreakerState.OPEN) {
        return "the probe failed; refusing calls for another " + waitInOpen.toMillis() + " ms";
      }
      if (from == CircuitBreakerState.HALF_OPEN && to == CircuitBreakerState.CLOSED) {
        return "the probe succeeded; calls flow again";
      }
      return "changed by hand";
    }
  }

  /** One phase of the story and what the calls in it did. */
  private static final class Phase {
    final String name;
    final String banner;
    long calls;
    long succeeded;
    long failed;
    long rejected;
    long failedNanos;
    long rejectedNanos;
    long succeededNanos;

    Phase(String name, String banner) {
      this.name = name;
      this.banner = banner;
    }

    void callThrough(CircuitBreaker breaker, Dependency dependency) {
      calls++;
      long start = System.nanoTime();
      try {
        breaker.call(() -> dependency.stockOf("widget"));
        succeeded++;
        succeededNanos += System.nanoTime() - start;
      } catch (CircuitBreakerOpenException e) {
        rejected++;
        rejectedNanos += System.nanoTime() - start;
      } catch (IOException e) {
        failed++;
        failedNanos += System.nanoTime() - start;
      }
    }

    String summary(CircuitBreakerState state) {
      return String.format(
          Locale.ROOT,
          "[%s] %d calls: %d ok%s, %d failed%s, %d rejected fast%s; breaker is %s",
          name,
          calls,
          succeeded,
          average(succeededNanos, succeeded),
          failed,
          average(failedNanos, failed),
          rejected,
          average(rejectedNanos, rejected),
          state);
    }

    private static String average(long nanos, long count) {
      if (count == 0) {
        return "";
      }
      double millis = nanos / 1e6 / count;
      return String.format(
          Locale.ROOT, millis < 0.1 ? " (%.3f ms each)" : " (%.1f ms each)", millis);
    }
  }
}
