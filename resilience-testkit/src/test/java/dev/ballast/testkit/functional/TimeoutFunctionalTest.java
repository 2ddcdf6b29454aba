package dev.ballast.testkit.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ballast.testkit.harness.Harness;
import dev.ballast.testkit.harness.Misbehavior;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutConfig;
import dev.ballast.timeout.TimeoutExceededException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End-to-end timeouts: real {@link HttpClient} and {@link Socket} calls, bounded by socket options
 * and by Ballast {@link Timeout}s, against the harness's hanging ports.
 */
@org.junit.jupiter.api.Timeout(value = 5, unit = TimeUnit.SECONDS)
final class TimeoutFunctionalTest {
  private static final Duration DEADLINE = Duration.ofMillis(200);

  /** Scheduling and loopback slack allowed past a deadline. */
  private static final long SLACK_MS = 700;

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static Harness harness;

  @BeforeAll
  static void start() {
    harness =
        Harness.builder()
            .add(
                Misbehavior.tcpNeverAccept(),
                Misbehavior.tcpAcceptThenSilence(),
                Misbehavior.tcpDrip(1, Duration.ofMillis(20)),
                Misbehavior.httpNoReply(),
                Misbehavior.httpHeadersNoBody(100),
                Misbehavior.httpDripBody(10_000, 1, Duration.ofMillis(20)))
            .build()
            .start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static InetSocketAddress address(String name) {
    return new InetSocketAddress(LOOPBACK, harness.port(name));
  }

  private static HttpRequest get(String name) {
    // No request timeout: only the Ballast timeout bounds the call.
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + harness.port(name) + "/orders/1"))
        .build();
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static Socket connected(String name) throws IOException {
    Socket socket = new Socket();
    socket.connect(address(name), 1000);
    return socket;
  }

  // ---- connect timeout ----

  @Test
  void socketConnectTimeoutEndsTheConnectOnANeverAcceptingPort() throws IOException {
    try (Socket socket = new Socket()) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> socket.connect(address("never-accept"), 200))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(millisSince(start)).isBetween(150L, 200 + SLACK_MS);
    }
  }

  @Test
  void ballastTimeoutEndsAnHttpCallThatCannotConnect() {
    try (Timeout timeout = Timeout.of("connect", DEADLINE)) {
      long start = System.nanoTime();
      assertThatThrownBy(
              () -> timeout.call(() -> CLIENT.send(get("never-accept"), BodyHandlers.ofString())))
          .isInstanceOf(TimeoutExceededException.class)
          .hasMessageContaining("connect");
      assertThat(millisSince(start)).isBetween(150L, 200 + SLACK_MS);
      assertThat(timeout.stats().timeouts()).isEqualTo(1);
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
  }

  // ---- read timeout ----

  @Test
  void soTimeoutEndsAReadOnASilentPort() throws IOException {
    try (Socket socket = connected("silence")) {
      socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(200);
      long start = System.nanoTime();
      assertThatThrownBy(() -> socket.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(millisSince(start)).isBetween(150L, 200 + SLACK_MS);
    }
  }

  @Test
  void interruptingTimeoutEndsAnHttpCallThatGetsNoReply() {
    try (Timeout timeout = Timeout.of("no-reply", DEADLINE)) {
      long start = System.nanoTime();
      assertThatThrownBy(
              () -> timeout.call(() -> CLIENT.send(get("http-no-reply"), BodyHandlers.ofString())))
          .isInstanceOf(TimeoutExceededException.class);
      assertThat(millisSince(start)).isBetween(150L, 200 + SLACK_MS);
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
  }

  @Test
  void interruptingTimeoutEndsAnHttpCallWhoseBodyNeverComes() {
    try (Timeout timeout = Timeout.of("no-body", DEADLINE)) {
      long start = System.nanoTime();
      assertThatThrownBy(
              () ->
                  timeout.call(
                      () -> CLIENT.send(get("http-headers-no-body"), BodyHandlers.ofString())))
          .isInstanceOf(TimeoutExceededException.class);
      assertThat(millisSince(start)).isBetween(150L, 200 + SLACK_MS);
    }
  }

  @Test
  void interruptCannotStopAClassicSocketReadSoTheCallerWaitsForSoTimeout() throws IOException {
    // A socket from new Socket() ignores interrupts: the caller is held until SO_TIMEOUT.
    try (Timeout timeout = Timeout.of("classic-read", DEADLINE);
        Socket socket = connected("silence")) {
      socket.setSoTimeout(800);
      long start = System.nanoTime();
      assertThatThrownBy(() -> timeout.call(() -> socket.getInputStream().read()))
          .isInstanceOf(TimeoutExceededException.class)
          .hasCauseInstanceOf(SocketTimeoutException.class);
      assertThat(millisSince(start)).isGreaterThanOrEqualTo(700L);
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
  }

  @Test
  void abandoningTimeoutReturnsAtTheDeadlineFromAClassicSocketRead() throws IOException {
    TimeoutConfig config = TimeoutConfig.builder(DEADLINE).mode(Timeout.Mode.ABANDON).build();
    try (Timeout timeout = Timeout.of("abandon-read", config)) {
      Socket socket = connected("silence");
      try {
        long start = System.nanoTime();
        // No SO_TIMEOUT: the read would block for ever.
        assertThatThrownBy(() -> timeout.call(() -> socket.getInputStream().read()))
            .isInstanceOf(TimeoutExceededException.class);
        assertThat(millisSince(start)).isBetween(150L, 200 + SLACK_MS);
        assertThat(timeout.stats().abandonedRunning()).isEqualTo(1);
      } finally {
        socket.close();
      }
      // Closing the socket ends the abandoned read, and the count goes back to 0.
      await().atMost(Duration.ofSeconds(2)).until(() -> timeout.stats().abandonedRunning() == 0);
      assertThat(timeout.stats().timeouts()).isEqualTo(1);
    }
  }

  // ---- total deadline beating a drip ----

  @Test
  void totalDeadlineEndsAnHttpCallWhileTheBodyKeepsDripping() {
    // 10,000 bytes at one byte per 20 ms would take 200 s.
    try (Timeout timeout = Timeout.of("drip", Duration.ofMillis(300))) {
      long start = System.nanoTime();
      assertThatThrownBy(
              () -> timeout.call(() -> CLIENT.send(get("http-drip-body"), BodyHandlers.ofString())))
          .isInstanceOf(TimeoutExceededException.class);
      assertThat(millisSince(start)).isBetween(250L, 300 + SLACK_MS);
      assertThat(harness.endpoint("http-drip-body").requests()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void soTimeoutNeverFiresOnADripButATotalDeadlineDoes() throws IOException {
    // Each byte arrives within SO_TIMEOUT, so the socket alone would read for ever.
    TimeoutConfig config =
        TimeoutConfig.builder(Duration.ofMillis(300)).mode(Timeout.Mode.ABANDON).build();
    try (Timeout timeout = Timeout.of("drip-read", config)) {
      Socket socket = connected("drip");
      long[] bytesRead = new long[1];
      try {
        socket.setSoTimeout(200);
        InputStream in = socket.getInputStream();
        long start = System.nanoTime();
        assertThatThrownBy(
                () ->
                    timeout.call(
                        () -> {
                          while (in.read() >= 0) {
                            synchronized (bytesRead) {
                              bytesRead[0]++;
                            }
                          }
                          return null;
                        }))
            .isInstanceOf(TimeoutExceededException.class);
        assertThat(millisSince(start)).isBetween(250L, 300 + SLACK_MS);
        synchronized (bytesRead) {
          assertThat(bytesRead[0]).isPositive();
        }
      } finally {
        socket.close();
      }
      await().atMost(Duration.ofSeconds(2)).until(() -> timeout.stats().abandonedRunning() == 0);
    }
  }

  @Test
  void abandonedReadsEndWhenTheHarnessCloses() throws IOException {
    Harness own = Harness.builder().add(Misbehavior.tcpAcceptThenSilence()).build().start();
    TimeoutConfig config = TimeoutConfig.builder(DEADLINE).mode(Timeout.Mode.ABANDON).build();
    try (Timeout timeout = Timeout.of("abandon-harness", config);
        Socket socket = new Socket()) {
      try {
        socket.connect(new InetSocketAddress(LOOPBACK, own.port("silence")), 1000);
        assertThatThrownBy(() -> timeout.call(() -> socket.getInputStream().read()))
            .isInstanceOf(TimeoutExceededException.class);
        assertThat(timeout.stats().abandonedRunning()).isEqualTo(1);
      } finally {
        own.close();
      }
      // The harness closes its side: the abandoned read sees end of stream or a reset and ends.
      await().atMost(Duration.ofSeconds(2)).until(() -> timeout.stats().abandonedRunning() == 0);
    }
  }

  @Test
  void closedSocketFailsTheAbandonedReadNotTheCaller() throws IOException {
    TimeoutConfig config = TimeoutConfig.builder(DEADLINE).mode(Timeout.Mode.ABANDON).build();
    try (Timeout timeout = Timeout.of("abandon-close", config)) {
      Socket socket = connected("silence");
      Throwable[] workerSaw = new Throwable[1];
      try {
        assertThatThrownBy(
                () ->
                    timeout.call(
                        () -> {
                          try {
                            return socket.getInputStream().read();
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
      await().atMost(Duration.ofSeconds(2)).until(() -> timeout.stats().abandonedRunning() == 0);
    }
  }
}
