package dev.ballast.testkit.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ballast.OutcomeClassifier;
import dev.ballast.Pipeline;
import dev.ballast.RejectedException;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerOpenException;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.fallback.Fallback;
import dev.ballast.fallback.FallbackConfig;
import dev.ballast.retry.Backoff;
import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryConfig;
import dev.ballast.retry.RetryListener;
import dev.ballast.testkit.harness.Endpoint;
import dev.ballast.testkit.harness.Harness;
import dev.ballast.testkit.harness.Misbehavior;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * End-to-end breaker, fallback and retry: real {@link HttpClient} and {@link Socket} calls against
 * the harness's failing ports, with real time kept short (a 200 ms wait in open).
 */
@Timeout(value = 5, unit = TimeUnit.SECONDS)
final class BreakerFunctionalTest {
  private static final Duration WAIT_IN_OPEN = Duration.ofMillis(200);

  /** Far more than an in-process rejection needs, far less than a round trip to a hung server. */
  private static final long FAST_MS = 100;

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .build();

  private static Harness harness;

  @BeforeAll
  static void start() {
    harness =
        Harness.builder()
            .add(
                Misbehavior.httpHtml(),
                Misbehavior.httpWrongContentType(),
                Misbehavior.httpStatus(500).named("recovering-500"),
                Misbehavior.httpStatus(500).named("cached-500"),
                Misbehavior.tcpReset(),
                Misbehavior.httpServiceUnavailable(Duration.ofSeconds(1)))
            .build()
            .start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  // ---- a tiny client, as an application would write it ----

  /** The server answered 5xx. */
  static final class ServerErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ServerErrorException(int status) {
      super("server answered " + status);
    }
  }

  /** The answer was not the JSON the client expects. */
  static final class UnexpectedResponseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnexpectedResponseException(String message) {
      super(message);
    }
  }

  /** The server said it is overloaded and when to come back. */
  static final class ServiceUnavailableException extends RejectedException {
    private static final long serialVersionUID = 1L;

    ServiceUnavailableException(@Nullable Duration retryAfter) {
      super("orders-service", Reason.OVERLOAD, retryAfter, "503 from orders-service", false);
    }
  }

  private static HttpResponse<String> get(String name) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.port(name) + "/orders/42"))
            .timeout(Duration.ofSeconds(2))
            .build();
    return CLIENT.send(request, BodyHandlers.ofString());
  }

  private static boolean isJson(HttpResponse<?> response) {
    String type = response.headers().firstValue("Content-Type").orElse("");
    return type.startsWith("application/json")
        && response.body() instanceof String body
        && body.strip().startsWith("{");
  }

  /** Fetches the order's status, failing on 5xx, on 503 with its Retry-After, and on non-JSON. */
  private static String fetchStatus(String name) throws IOException, InterruptedException {
    HttpResponse<String> response = get(name);
    if (response.statusCode() == 503) {
      Duration retryAfter =
          response
              .headers()
              .firstValue("Retry-After")
              .map(s -> Duration.ofSeconds(Long.parseLong(s.strip())))
              .orElse(null);
      throw new ServiceUnavailableException(retryAfter);
    }
    if (response.statusCode() >= 500) {
      throw new ServerErrorException(response.statusCode());
    }
    if (!isJson(response)) {
      throw new UnexpectedResponseException(
          "expected JSON, got "
              + response.headers().firstValue("Content-Type").orElse("no content type"));
    }
    String body = response.body();
    int key = body.indexOf("\"status\"");
    if (key < 0) {
      throw new UnexpectedResponseException("no status in " + body);
    }
    int open = body.indexOf('"', body.indexOf(':', key) + 1);
    return body.substring(open + 1, body.indexOf('"', open + 1));
  }

  private static CircuitBreaker breaker(String name, int failures) {
    return breaker(name, failures, OutcomeClassifier.defaults());
  }

  private static CircuitBreaker breaker(String name, int failures, OutcomeClassifier classifier) {
    return CircuitBreaker.of(
        name,
        CircuitBreakerConfig.builder()
            .consecutiveFailures(failures)
            .waitInOpen(WAIT_IN_OPEN)
            .classifier(classifier)
            .build());
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /** Calls through the open breaker and checks that each call is refused at once. */
  private static void assertFailsFast(CircuitBreaker breaker, Endpoint endpoint, int calls) {
    long requestsBefore = endpoint.requests() + endpoint.connections();
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> breaker.call(() -> fetchStatus(endpoint.name())))
          .isInstanceOf(CircuitBreakerOpenException.class);
      assertThat(millisSince(start)).isLessThan(FAST_MS);
    }
    assertThat(endpoint.requests() + endpoint.connections())
        .as("no call reached the server")
        .isEqualTo(requestsBefore);
    assertThat(breaker.stats().rejections()).isGreaterThanOrEqualTo(calls);
  }

  // ---- parse failures ----

  @Test
  void htmlInsteadOfJsonIsCountedAsAFailureByAResultPredicate() throws Exception {
    OutcomeClassifier notJson =
        OutcomeClassifier.builder()
            .failureOnResult(r -> r instanceof HttpResponse<?> response && !isJson(response))
            .build();
    CircuitBreaker breaker = breaker("html", 2, notJson);

    // The caller still gets the page; the breaker counts it as a failure.
    HttpResponse<String> page = breaker.call(() -> get("http-html"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(breaker.stats().windowFailures()).isEqualTo(1);
    breaker.call(() -> get("http-html"));

    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertFailsFast(breaker, harness.endpoint("http-html"), 5);
  }

  @Test
  void wrongContentTypeIsCountedAsAFailureThroughTheParseException() {
    CircuitBreaker breaker = breaker("wrong-type", 2);

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> breaker.call(() -> fetchStatus("http-wrong-content-type")))
          .isInstanceOf(UnexpectedResponseException.class)
          .hasMessageContaining("text/plain");
    }

    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertFailsFast(breaker, harness.endpoint("http-wrong-content-type"), 5);
  }

  // ---- opening, failing fast, recovering ----

  @Test
  @SuppressWarnings("try") // the scope is held for its effect on the harness
  void breakerOpensOnServerErrorsFailsFastAndRecoversAfterTheServerHeals() throws Exception {
    CircuitBreaker breaker = breaker("orders-500", 3);
    Endpoint endpoint = harness.endpoint("recovering-500");

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> breaker.call(() -> fetchStatus("recovering-500")))
          .isInstanceOf(ServerErrorException.class);
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
    long openedAt = System.nanoTime();
    assertFailsFast(breaker, endpoint, 20);

    try (Endpoint.Scope healthy = endpoint.healthyFor()) {
      // Rejected until the wait in open passes, then one probe goes through and closes it.
      await()
          .atMost(Duration.ofSeconds(3))
          .pollInterval(Duration.ofMillis(20))
          .ignoreException(CircuitBreakerOpenException.class)
          .until(() -> breaker.call(() -> fetchStatus("recovering-500")), "ok"::equals);
      assertThat(millisSince(openedAt)).isGreaterThanOrEqualTo(WAIT_IN_OPEN.toMillis() - 20);
      assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
      assertThat(breaker.call(() -> fetchStatus("recovering-500"))).isEqualTo("ok");
    }
    // The scope ended: the server fails again and the breaker sees it.
    assertThatThrownBy(() -> breaker.call(() -> fetchStatus("recovering-500")))
        .isInstanceOf(ServerErrorException.class);
  }

  private static byte[] readOverTcp(String name) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOOPBACK, harness.port(name)), 1000);
      socket.setSoTimeout(1000);
      socket.getOutputStream().write("GET /\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      return socket.getInputStream().readAllBytes();
    }
  }

  @Test
  void breakerOpensOnConnectionResetsAndClosesAfterTheResetsStop() {
    CircuitBreaker breaker = breaker("resets", 3);
    Endpoint endpoint = harness.endpoint("reset");

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> breaker.call(() -> readOverTcp("reset")))
          .isInstanceOf(SocketException.class);
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
    long before = endpoint.connections();
    for (int i = 0; i < 10; i++) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> breaker.call(() -> readOverTcp("reset")))
          .isInstanceOf(CircuitBreakerOpenException.class);
      assertThat(millisSince(start)).isLessThan(FAST_MS);
    }
    assertThat(endpoint.connections()).isEqualTo(before);

    endpoint.enabled(false);
    try {
      await()
          .atMost(Duration.ofSeconds(3))
          .pollInterval(Duration.ofMillis(20))
          .ignoreException(CircuitBreakerOpenException.class)
          .until(() -> breaker.call(() -> readOverTcp("reset")).length > 0);
      assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
    } finally {
      endpoint.enabled(true);
    }
  }

  // ---- fallback ----

  @Test
  @SuppressWarnings("try") // the scope is held for its effect on the harness
  void fallbackServesTheLastGoodValueWhileTheBreakerIsOpen() throws Exception {
    AtomicReference<String> lastGood = new AtomicReference<>("none");
    CircuitBreaker breaker = breaker("cached", 2);
    Fallback<String> fallback =
        Fallback.of(
            "cached",
            FallbackConfig.<String>builder()
                .rejectionFallback(e -> "cached:" + lastGood.get())
                .build());
    Pipeline pipeline = Pipeline.of(fallback, breaker);
    Endpoint endpoint = harness.endpoint("cached-500");

    try (Endpoint.Scope healthy = endpoint.healthyFor()) {
      String fresh = pipeline.call(() -> fetchStatus("cached-500"));
      lastGood.set(fresh);
      assertThat(fresh).isEqualTo("ok");
    }
    // The server fails: the failures reach the caller (the fallback serves only rejections)...
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> pipeline.call(() -> fetchStatus("cached-500")))
          .isInstanceOf(ServerErrorException.class);
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);

    // ...and once the breaker is open, the cached value, at once, without calling the server.
    long requests = endpoint.requests();
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      String served = pipeline.call(() -> fetchStatus("cached-500"));
      assertThat(served).isEqualTo("cached:ok");
      assertThat(millisSince(start)).isLessThan(FAST_MS);
    }
    assertThat(endpoint.requests()).isEqualTo(requests);
    assertThat(fallback.stats().rejectionFallbacks()).isEqualTo(5);
  }

  // ---- retry ----

  @Test
  void retryWaitsForTheRetryAfterOfA503() throws Exception {
    Endpoint endpoint = harness.endpoint("http-503");
    AtomicLong waitedNanos = new AtomicLong(-1);
    Retry retry =
        Retry.of(
            "orders",
            RetryConfig.builder()
                .maxAttempts(2)
                .backoff(Backoff.fixed(Duration.ofMillis(10)))
                .waitForRetryAfter(Duration.ofSeconds(2))
                .build());
    retry.addListener(
        new RetryListener() {
          @Override
          public void onRetry(int attempt, long delayNanos, @Nullable Throwable cause) {
            waitedNanos.set(delayNanos);
            endpoint.enabled(false); // the server recovers while the client waits
          }
        });
    long requests = endpoint.requests();
    try {
      long start = System.nanoTime();
      String status = retry.call(() -> fetchStatus("http-503"));
      assertThat(status).isEqualTo("ok");
      assertThat(waitedNanos.get()).isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
      assertThat(millisSince(start)).isGreaterThanOrEqualTo(950L);
      assertThat(endpoint.requests() - requests).isEqualTo(2);
      assertThat(retry.stats().successesAfterRetry()).isEqualTo(1);
    } finally {
      endpoint.enabled(true);
    }
  }

  @Test
  void retryGivesUpAtOnceWhenRetryAfterIsLongerThanItWillWait() {
    Retry retry =
        Retry.of(
            "impatient",
            RetryConfig.builder()
                .maxAttempts(3)
                .backoff(Backoff.fixed(Duration.ofMillis(10)))
                .waitForRetryAfter(Duration.ofMillis(500))
                .build());
    Endpoint endpoint = harness.endpoint("http-503");
    long requests = endpoint.requests();
    long start = System.nanoTime();
    assertThatThrownBy(() -> retry.call(() -> fetchStatus("http-503")))
        .isInstanceOfSatisfying(
            ServiceUnavailableException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(1)));
    assertThat(millisSince(start)).isLessThan(900L);
    assertThat(endpoint.requests() - requests).isEqualTo(1);
  }
}
