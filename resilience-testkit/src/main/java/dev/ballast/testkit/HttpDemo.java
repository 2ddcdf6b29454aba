package dev.ballast.testkit;

import dev.ballast.Pipeline;
import dev.ballast.RejectedException;
import dev.ballast.Ticker;
import dev.ballast.bulkhead.BulkheadFullException;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerOpenException;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.fallback.Fallback;
import dev.ballast.fallback.FallbackConfig;
import dev.ballast.retry.Backoff;
import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryConfig;
import dev.ballast.testkit.harness.Endpoint;
import dev.ballast.testkit.harness.Harness;
import dev.ballast.testkit.harness.Misbehavior;
import dev.ballast.testkit.internal.HttpStatus;
import dev.ballast.testkit.timeline.Lane;
import dev.ballast.testkit.timeline.Timeline;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutExceededException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The command line's {@code demo}: calls misbehaving HTTP endpoints of the harness once unprotected
 * and then through a Ballast pipeline, and prints what each call cost and how it ended, as a user
 * would say it ({@code 503 Service Unavailable (Retry-After 1 s)}, {@code timed out after 500 ms},
 * {@code breaker open: fallback served}); then heals the harness and shows each breaker closing;
 * then, in {@link BulkheadPhase}, a bulkhead keeping a slow endpoint from starving a healthy one.
 * The breakers' part of the run is recorded on a {@link Timeline} and written as an SVG picture
 * (one lane per breaker: its states, each call's outcome and latency, its refusals), whose path it
 * prints.
 *
 * <p>Not thread-safe and not meant to be: one thread drives a run. {@link #fetch} and {@link
 * #describe} alone are called from the bulkhead phase's workers too, and are thread-safe.
 */
final class HttpDemo {
  private final PrintStream out;
  private final Duration clientTimeout;
  private final Duration deadline;
  private final Duration waitInOpen;
  private final int protectedCalls;
  private final Duration slowJson;
  private final HttpClient client;
  private final boolean quick;
  private final Path svg;

  HttpDemo(boolean quick, PrintStream out, Path svg) {
    this.out = out;
    this.quick = quick;
    this.svg = svg;
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
            Misbehavior.httpServiceUnavailable(Duration.ofSeconds(1)),
            Misbehavior.httpStatus(500),
            Misbehavior.httpSlowJson(slowJson),
            Misbehavior.httpSlowJson(Duration.ZERO).named("http-healthy"));
    try (Harness harness =
            Harness.builder().add(misbehaviors.toArray(new Misbehavior[0])).build().start();
        Timeline timeline = Timeline.start(Ticker.system())) {
      Lane phases = timeline.lane("harness");
      phases.state("misbehaving");
      out.printf(
          Locale.ROOT,
          "Ballast harness demo: each endpoint is called once unprotected (HttpClient timeout"
              + " %d ms),%nthen %d times through fallback + retry (2 attempts) + circuit breaker"
              + " (opens after 2 failures, waits %d ms) + timeout (%d ms).%n%n",
          clientTimeout.toMillis(),
          protectedCalls,
          waitInOpen.toMillis(),
          deadline.toMillis());
      out.printf(Locale.ROOT, "%-16s  %-14s  %s%n", "ENDPOINT", "", "HOW EACH CALL ENDED");
      List<Protected> guarded = new ArrayList<>();
      for (Endpoint endpoint : harness.endpoints()) {
        Call bare = time(() -> fetch(endpoint, clientTimeout), null);
        Protected p = new Protected(endpoint);
        timeline.attach(p.breaker);
        guarded.add(p);
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < protectedCalls; i++) {
          calls.add(p.call());
        }
        out.printf(Locale.ROOT, "%-16s  %-14s  %s%n", endpoint.name(), "UNPROTECTED", bare);
        printGrouped(calls);
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
      phases.state("healed");
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
      // Calls flow again for a while, so the timeline shows the breakers closed, not just closing.
      long until = System.nanoTime() + waitInOpen.toNanos();
      while (System.nanoTime() < until) {
        for (Protected p : guarded) {
          p.call();
        }
        TimeUnit.MILLISECONDS.sleep(waitInOpen.toMillis() / 10);
      }
      out.printf(
          Locale.ROOT,
          "%nUnprotected, a hung or dripping server holds the caller for the whole client"
              + " timeout;%nwith Ballast each call is bounded by the timeout, and once the breaker"
              + " opens the fallback answers at once.%n");
      writeTimeline(timeline);
    }
    new BulkheadPhase(this, quick, out).run();
  }

  /** Writes the breakers' timeline as an SVG and says where, or why it could not. */
  private void writeTimeline(Timeline timeline) {
    String title =
        "Ballast demo: each endpoint's circuit breaker (opens after 2 failures, waits "
            + waitInOpen.toMillis()
            + " ms), then the harness heals";
    try {
      Path written = timeline.writeSvg(svg, title).toAbsolutePath();
      out.printf(
          Locale.ROOT,
          "%nThe breakers' timeline of this run (states, calls, latency, refusals) is drawn in%n  %s"
              + "%n(open it in a browser).%n",
          written);
    } catch (IOException e) {
      out.printf(Locale.ROOT, "%nCould not write the timeline to %s: %s%n", svg, e);
    }
  }

  /** The protected calls, one line each, and a run of calls that ended alike on one line. */
  private void printGrouped(List<Call> calls) {
    String label = "WITH BALLAST";
    int i = 0;
    while (i < calls.size()) {
      Call first = calls.get(i);
      int same = 1;
      while (i + same < calls.size() && calls.get(i + same).outcome.equals(first.outcome)) {
        same++;
      }
      String line = same == 1 ? first.toString() : first + " (" + same + " calls alike)";
      out.printf(Locale.ROOT, "%-16s  %-14s  %s%n", "", label, line);
      label = "";
      i += same;
    }
  }

  /**
   * Calls the endpoint; returns its status ({@code 200 OK}), or throws a {@link StatusException}
   * for a status of 400 or more.
   */
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
    String status = status(response.statusCode());
    if (response.statusCode() >= 400) {
      String retryAfter =
          response
              .headers()
              .firstValue("Retry-After")
              .map(seconds -> " (Retry-After " + seconds + " s)")
              .orElse("");
      throw new StatusException(status + retryAfter);
    }
    return status;
  }

  /** A status code with its reason phrase, for the statuses the harness answers. */
  static String status(int code) {
    return code + " " + HttpStatus.reason(code);
  }

  /**
   * How a call that threw ended, as a user would say it: the HTTP status and its {@code
   * Retry-After}, which timeout fired and after how long, or why Ballast refused it.
   */
  String describe(Throwable error) {
    if (error instanceof StatusException answered) {
      return answered.status;
    }
    if (error instanceof TimeoutExceededException timeout) {
      return "timed out after " + timeout.duration().toMillis() + " ms";
    }
    if (error instanceof HttpTimeoutException) {
      return "client timed out after " + clientTimeout.toMillis() + " ms";
    }
    if (error instanceof CircuitBreakerOpenException) {
      return "breaker open: refused";
    }
    if (error instanceof BulkheadFullException) {
      return "bulkhead full, refused";
    }
    if (error instanceof ConnectException) {
      return "connection refused";
    }
    String message = error.getMessage();
    return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** An HTTP status of 400 or more; the message is the status as {@link #status} says it. */
  private static final class StatusException extends IOException {
    private static final long serialVersionUID = 1L;
    final String status;

    StatusException(String status) {
      super(status);
      this.status = status;
    }
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
              CircuitBreakerConfig.builder().consecutiveFailures(2).waitInOpen(waitInOpen).build());
      Retry retry =
          Retry.of(
              endpoint.name(),
              RetryConfig.builder()
                  .maxAttempts(2)
                  .backoff(Backoff.fixed(Duration.ofMillis(10)))
                  .build());
      Fallback<String> fallback =
          Fallback.of(
              endpoint.name(),
              FallbackConfig.<String>builder().rejectionFallback(HttpDemo::servedInstead).build());
      this.pipeline = Pipeline.of(fallback, retry, breaker, Timeout.of(endpoint.name(), deadline));
    }

    Call call() {
      // The client's own timeout is a backstop; Ballast's timeout is the one that should fire.
      AtomicInteger attempts = new AtomicInteger();
      return time(
          () ->
              pipeline.call(
                  () -> {
                    attempts.incrementAndGet();
                    return fetch(endpoint, clientTimeout);
                  }),
          attempts);
    }
  }

  /** What the fallback answers when a policy refused the call. */
  private static String servedInstead(RejectedException rejection) {
    return (rejection instanceof CircuitBreakerOpenException ? "breaker open" : "refused")
        + ": fallback served";
  }

  /** What a call cost and how it ended. */
  private static final class Call {
    final long millis;
    final String outcome;

    Call(long millis, String outcome) {
      this.millis = millis;
      this.outcome = outcome;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%5d ms %s", millis, outcome);
    }
  }

  private interface Body {
    String call() throws Exception;
  }

  /** Runs a call; {@code attempts}, when given, counts the attempts a retry made. */
  private Call time(Body body, @Nullable AtomicInteger attempts) {
    long start = System.nanoTime();
    String outcome;
    try {
      outcome = body.call();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      outcome = describe(e);
    }
    if (attempts != null && attempts.get() > 1) {
      outcome += " [" + attempts.get() + " attempts]";
    }
    return new Call(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), outcome);
  }
}
