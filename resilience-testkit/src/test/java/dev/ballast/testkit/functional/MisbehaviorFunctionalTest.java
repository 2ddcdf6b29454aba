package dev.ballast.testkit.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ballast.OutcomeClassifier;
import dev.ballast.Pipeline;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerOpenException;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.testkit.harness.Harness;
import dev.ballast.testkit.harness.Misbehavior;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutConfig;
import dev.ballast.timeout.TimeoutExceededException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End-to-end calls to the harness's other misbehaving ports (refused, never read, truncated,
 * garbage, latency, slow JSON, 401, empty and huge bodies), each wrapped by the Ballast policy a
 * user would reach for, with the outcome that user would expect.
 */
@org.junit.jupiter.api.Timeout(value = 5, unit = TimeUnit.SECONDS)
final class MisbehaviorFunctionalTest {
  private static final long SLACK_MS = 700;
  private static final int BODY_LIMIT = 64 * 1024;
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
                Misbehavior.tcpRefuse(),
                Misbehavior.tcpAcceptNeverRead(),
                Misbehavior.tcpCloseAfterBytes(10),
                Misbehavior.tcpGarbage(256, 42),
                Misbehavior.tcpLatency(Duration.ofMillis(300)),
                Misbehavior.tcpSlowClose(Duration.ofMillis(300)),
                Misbehavior.httpSlowJson(Duration.ofMillis(300)),
                Misbehavior.httpUnauthorized(),
                Misbehavior.httpEmpty(),
                Misbehavior.httpHugeBody(5_000_000))
            .build()
            .start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  /** The answer was not what the client can use. */
  static final class UnexpectedResponseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnexpectedResponseException(String message) {
      super(message);
    }
  }

  /** The server refused the client's credentials: the client's fault, not the server's. */
  static final class UnauthorizedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnauthorizedException() {
      super("401 from the server");
    }
  }

  private static URI uri(String name) {
    return URI.create("http://127.0.0.1:" + harness.port(name) + "/orders/42");
  }

  private static HttpResponse<String> get(String name) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(uri(name)).timeout(Duration.ofSeconds(2)).build(),
        BodyHandlers.ofString());
  }

  /** Reads a JSON order, refusing empty, non-JSON and unauthorized answers. */
  private static String fetchOrder(String name) throws IOException, InterruptedException {
    HttpResponse<String> response = get(name);
    if (response.statusCode() == 401) {
      throw new UnauthorizedException();
    }
    String body = response.body().strip();
    if (!body.startsWith("{") || !body.endsWith("}")) {
      throw new UnexpectedResponseException("expected a JSON object, got '" + body + "'");
    }
    return body;
  }

  /** Reads at most {@link #BODY_LIMIT} bytes of the body, the defence against unbounded results. */
  private static long boundedBodyLength(String name) throws IOException, InterruptedException {
    HttpResponse<InputStream> response =
        CLIENT.send(
            HttpRequest.newBuilder(uri(name)).timeout(Duration.ofSeconds(2)).build(),
            BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      byte[] bytes = in.readNBytes(BODY_LIMIT + 1);
      if (bytes.length > BODY_LIMIT) {
        throw new UnexpectedResponseException("body larger than " + BODY_LIMIT + " bytes");
      }
      return bytes.length;
    }
  }

  private static byte[] readOverTcp(String name) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOOPBACK, harness.port(name)), 1000);
      socket.setSoTimeout(2000);
      return socket.getInputStream().readAllBytes();
    }
  }

  private static CircuitBreaker breaker(String name, OutcomeClassifier classifier) {
    return CircuitBreaker.of(
        name,
        CircuitBreakerConfig.builder()
            .consecutiveFailures(2)
            .waitInOpen(Duration.ofMillis(200))
            .classifier(classifier)
            .build());
  }

  private static TimeoutConfig abandoning(Duration duration) {
    return TimeoutConfig.builder(duration).mode(Timeout.Mode.ABANDON).build();
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  @Test
  void refusedConnectionsFailFastThroughATimeoutAndOpenTheBreaker() {
    CircuitBreaker breaker = breaker("refused", OutcomeClassifier.defaults());
    // A generous deadline: a refused connection ends by itself, long before it.
    try (Timeout timeout = Timeout.of("refused", Duration.ofSeconds(2))) {
      Pipeline pipeline = Pipeline.of(timeout, breaker);
      for (int i = 0; i < 2; i++) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> pipeline.call(() -> get("refuse")))
            .isInstanceOf(ConnectException.class);
        assertThat(millisSince(start)).isLessThan(1000L);
      }
      assertThat(timeout.stats().timeouts()).isZero();
      assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
      assertThatThrownBy(() -> pipeline.call(() -> get("refuse")))
          .isInstanceOf(CircuitBreakerOpenException.class);
    }
  }

  @Test
  void abandoningTimeoutBoundsAWriteThatBlocksBecauseThePeerNeverReads() throws IOException {
    try (Timeout timeout = Timeout.of("never-read", abandoning(Duration.ofMillis(300)))) {
      Socket socket = new Socket();
      long[] written = new long[1];
      try {
        socket.connect(new InetSocketAddress(LOOPBACK, harness.port("never-read")), 1000);
        OutputStream out = socket.getOutputStream();
        byte[] chunk = new byte[64 * 1024];
        long start = System.nanoTime();
        assertThatThrownBy(
                () ->
                    timeout.call(
                        () -> {
                          while (true) {
                            out.write(chunk);
                            synchronized (written) {
                              written[0] += chunk.length;
                            }
                          }
                        }))
            .isInstanceOf(TimeoutExceededException.class);
        assertThat(millisSince(start)).isBetween(250L, 300 + SLACK_MS);
        synchronized (written) {
          assertThat(written[0]).as("the buffers filled before the write blocked").isPositive();
        }
        assertThat(timeout.stats().abandonedRunning()).isEqualTo(1);
      } finally {
        socket.close();
      }
      await().atMost(Duration.ofSeconds(2)).until(() -> timeout.stats().abandonedRunning() == 0);
    }
  }

  @Test
  void truncatedAndGarbageAnswersAreFaultsForTheBreaker() {
    CircuitBreaker truncated = breaker("truncated", OutcomeClassifier.defaults());
    CircuitBreaker garbage = breaker("garbage", OutcomeClassifier.defaults());
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> truncated.call(() -> get("close-after-bytes")))
          .isInstanceOf(IOException.class);
      assertThatThrownBy(() -> garbage.call(() -> get("garbage"))).isInstanceOf(IOException.class);
    }
    assertThat(truncated.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(garbage.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void timeoutCutsLatencyShortAndLetsAPatientCallThrough() throws Exception {
    try (Timeout impatient = Timeout.of("latency-short", abandoning(Duration.ofMillis(100)));
        Timeout patient = Timeout.of("latency-long", abandoning(Duration.ofSeconds(2)))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> impatient.call(() -> readOverTcp("latency")))
          .isInstanceOf(TimeoutExceededException.class);
      assertThat(millisSince(start)).isLessThan(100 + SLACK_MS);

      start = System.nanoTime();
      byte[] answer = patient.call(() -> readOverTcp("latency"));
      assertThat(new String(answer, StandardCharsets.US_ASCII)).isEqualTo("OK\n");
      assertThat(millisSince(start)).isGreaterThanOrEqualTo(250L);
      await().atMost(Duration.ofSeconds(2)).until(() -> impatient.stats().abandonedRunning() == 0);
    }
  }

  @Test
  void slowCloseHoldsAReaderUntilTheTimeoutLetsGo() {
    try (Timeout timeout = Timeout.of("slow-close", abandoning(Duration.ofMillis(100)))) {
      long start = System.nanoTime();
      // The answer arrives at once but the connection stays open: reading to the end waits.
      assertThatThrownBy(() -> timeout.call(() -> readOverTcp("slow-close")))
          .isInstanceOf(TimeoutExceededException.class);
      assertThat(millisSince(start)).isLessThan(100 + SLACK_MS);
      await().atMost(Duration.ofSeconds(2)).until(() -> timeout.stats().abandonedRunning() == 0);
    }
  }

  @Test
  void slowJsonTimesOutUnderAShortDeadlineAndSucceedsUnderALongOne() throws Exception {
    try (Timeout impatient = Timeout.of("slow-json-short", Duration.ofMillis(100));
        Timeout patient = Timeout.of("slow-json-long", Duration.ofSeconds(2))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> impatient.call(() -> fetchOrder("http-slow-json")))
          .isInstanceOf(TimeoutExceededException.class);
      assertThat(millisSince(start)).isLessThan(100 + SLACK_MS);

      assertThat(patient.call(() -> fetchOrder("http-slow-json"))).contains("\"ok\"");
      assertThat(patient.stats().successes()).isEqualTo(1);
    }
  }

  @Test
  void unauthorizedIsTheCallersFaultAndDoesNotOpenTheBreaker() {
    CircuitBreaker breaker =
        breaker(
            "unauthorized",
            OutcomeClassifier.builder().ignore(UnauthorizedException.class).build());
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> breaker.call(() -> fetchOrder("http-401")))
          .isInstanceOf(UnauthorizedException.class);
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(breaker.stats().windowFailures()).isZero();
  }

  @Test
  void emptyBodyIsAParseFailureThatOpensTheBreaker() {
    CircuitBreaker breaker = breaker("empty", OutcomeClassifier.defaults());
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> breaker.call(() -> fetchOrder("http-empty")))
          .isInstanceOf(UnexpectedResponseException.class);
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void hugeBodyIsRefusedAfterABoundedReadAndCountedAsAFault() {
    CircuitBreaker breaker = breaker("huge", OutcomeClassifier.defaults());
    for (int i = 0; i < 2; i++) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> breaker.call(() -> boundedBodyLength("http-huge-body")))
          .isInstanceOf(UnexpectedResponseException.class)
          .hasMessageContaining("larger than");
      assertThat(millisSince(start)).isLessThan(2000L);
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void closingTheSocketEndsTheAbandonedWriteWithAnError() throws IOException {
    try (Timeout timeout = Timeout.of("never-read-close", abandoning(Duration.ofMillis(200)))) {
      Socket socket = new Socket();
      Throwable[] workerSaw = new Throwable[1];
      try {
        socket.connect(new InetSocketAddress(LOOPBACK, harness.port("never-read")), 1000);
        OutputStream out = socket.getOutputStream();
        assertThatThrownBy(
                () ->
                    timeout.call(
                        () -> {
                          try {
                            while (true) {
                              out.write(new byte[64 * 1024]);
                            }
                          } catch (IOException e) {
                            synchronized (workerSaw) {
                              workerSaw[0] = e;
                            }
                            throw e;
                          }
                        }))
            .isInstanceOf(TimeoutExceededException.class);
      } finally {
        socket.close();
      }
      await()
          .atMost(Duration.ofSeconds(2))
          .untilAsserted(
              () -> {
                synchronized (workerSaw) {
                  assertThat(workerSaw[0]).isInstanceOf(SocketException.class);
                }
              });
    }
  }
}
