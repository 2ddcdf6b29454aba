package dev.ballast.testkit.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class HarnessTcpTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Misbehavior PROBABLE =
      Misbehavior.tcpCloseAfterBytes(5).named("probable").withProbability(0.5, 42);

  private static Harness harness;

  @BeforeAll
  static void start() {
    harness =
        Harness.builder()
            .add(
                Misbehavior.tcpRefuse(),
                Misbehavior.tcpRefuse().named("refuse-switch"),
                Misbehavior.tcpNeverAccept(),
                Misbehavior.tcpAcceptThenSilence(),
                Misbehavior.tcpAcceptNeverRead(),
                Misbehavior.tcpReset(),
                Misbehavior.tcpReset().named("reset-switch"),
                Misbehavior.tcpNeverAccept().named("never-accept-switch"),
                Misbehavior.tcpSlowClose(Duration.ofMillis(300)),
                Misbehavior.tcpCloseAfterBytes(1000),
                Misbehavior.tcpCloseAfterBytes(10).named("third").everyNth(3),
                PROBABLE,
                Misbehavior.tcpDrip(1, Duration.ofMillis(50)),
                Misbehavior.tcpLatency(Duration.ofMillis(200)),
                Misbehavior.tcpRandomLatency(Duration.ofMillis(10), Duration.ofMillis(60), 7),
                Misbehavior.tcpGarbage(256, 99))
            .build()
            .start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static Socket connect(String name) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(LOOPBACK, harness.port(name)), 1000);
      socket.setSoTimeout(1000);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static byte[] readAll(String name) throws IOException {
    try (Socket socket = connect(name)) {
      return socket.getInputStream().readAllBytes();
    }
  }

  @Test
  void refusesConnections() {
    assertThatThrownBy(() -> connect("refuse").close()).isInstanceOf(ConnectException.class);
  }

  @Test
  void neverAcceptingPortMakesConnectTimeOut() throws IOException {
    try (Socket socket = new Socket()) {
      assertThatThrownBy(
              () ->
                  socket.connect(
                      new InetSocketAddress(LOOPBACK, harness.port("never-accept")), 300))
          .isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void silentPortMakesReadTimeOut() throws IOException {
    try (Socket socket = connect("silence")) {
      socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(300);
      assertThatThrownBy(() -> socket.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void portThatNeverReadsStopsTheClientsWritesOnceBuffersFill() throws Exception {
    try (SocketChannel channel =
        SocketChannel.open(new InetSocketAddress(LOOPBACK, harness.port("never-read")))) {
      channel.configureBlocking(false);
      ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
      long total = 0;
      int written;
      do {
        chunk.clear();
        written = channel.write(chunk);
        total += written;
      } while (written > 0 && total < 256L * 1024 * 1024);
      assertThat(written).as("a write made no progress after %d bytes", total).isZero();

      // A reading peer would take unlimited data; this one leaves only a little slack (window
      // updates, send-buffer tuning): for 200 ms of repeated writes, the extra stays below what
      // was sent before the stall.
      long sentBeforeStall = total;
      java.util.concurrent.atomic.AtomicLong extra = new java.util.concurrent.atomic.AtomicLong();
      org.awaitility.Awaitility.await()
          .during(java.time.Duration.ofMillis(200))
          .atMost(java.time.Duration.ofSeconds(2))
          .pollInterval(java.time.Duration.ofMillis(20))
          .until(
              () -> {
                int n;
                do {
                  chunk.clear();
                  n = channel.write(chunk);
                  extra.addAndGet(n);
                } while (n > 0 && extra.get() < 256L * 1024 * 1024);
                return extra.get() < sentBeforeStall;
              });
    }
  }

  @Test
  void resetPortResetsTheConnection() throws IOException {
    try (Socket socket = connect("reset")) {
      assertThatThrownBy(() -> socket.getInputStream().read())
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("Connection reset");
    }
    try (Socket socket = connect("reset")) {
      socket.getOutputStream().write("GET\n".getBytes(StandardCharsets.US_ASCII));
      assertThatThrownBy(() -> socket.getInputStream().read())
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("Connection reset");
    }
  }

  @Test
  void closesAfterTheGivenNumberOfBytes() throws IOException {
    byte[] bytes = readAll("close-after-bytes");
    assertThat(bytes).hasSize(1000).containsOnly((byte) 'x');
  }

  @Test
  void dripsBytesAtTheGivenInterval() throws IOException {
    try (Socket socket = connect("drip")) {
      InputStream in = socket.getInputStream();
      long start = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        assertThat(in.read()).isEqualTo('x');
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(millis).isBetween(150L, 2000L); // 4 intervals of 50 ms, loosely
    }
  }

  @Test
  void answersAfterTheFixedLatency() throws IOException {
    long start = System.nanoTime();
    byte[] bytes = readAll("latency");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(new String(bytes, StandardCharsets.US_ASCII)).isEqualTo("OK\n");
    assertThat(millis).isBetween(190L, 2000L);
  }

  @Test
  void randomLatencyIsSeededAndWithinBounds() throws IOException {
    Misbehavior m = Misbehavior.tcpRandomLatency(Duration.ofMillis(10), Duration.ofMillis(60), 7);
    List<Duration> first = new ArrayList<>();
    for (int n = 1; n <= 20; n++) {
      Duration latency = m.parameters(Parameters.Latency.class).of(n);
      assertThat(latency).isBetween(Duration.ofMillis(10), Duration.ofMillis(60));
      first.add(latency);
    }
    for (int n = 1; n <= 20; n++) {
      assertThat(m.parameters(Parameters.Latency.class).of(n)).isEqualTo(first.get(n - 1));
    }
    assertThat(first).doesNotHaveDuplicates();
    assertThat(new String(readAll("random-latency"), StandardCharsets.US_ASCII)).isEqualTo("OK\n");
  }

  @Test
  void garbageIsSeededRandomBytesThenClose() throws IOException {
    byte[] bytes = readAll("garbage");
    Endpoint garbage = harness.endpoint("garbage");
    byte[] expected = new byte[256];
    SplittableRandom random =
        garbage.misbehavior().parameters(Parameters.Garbage.class).random(garbage.connections());
    for (int i = 0; i < expected.length; i++) {
      expected[i] = (byte) random.nextInt(256);
    }
    assertThat(bytes).isEqualTo(expected);
  }

  @Test
  void switchedOffPortAnswersHealthilyAndSwitchedOnMisbehavesAgain() throws IOException {
    Endpoint reset = harness.endpoint("reset-switch");
    reset.enabled(false);
    assertThat(reset.enabled()).isFalse();
    assertThat(new String(readAll("reset-switch"), StandardCharsets.US_ASCII)).isEqualTo("OK\n");

    reset.enabled(true);
    try (Socket socket = connect("reset-switch")) {
      assertThatThrownBy(() -> socket.getInputStream().read())
          .hasMessageContaining("Connection reset");
    }
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its close()
  void healthyScopeOpensARefusingPortAndClosesItAgain() throws IOException {
    Endpoint refuse = harness.endpoint("refuse-switch");
    int port = refuse.port();
    try (Endpoint.Scope healthy = refuse.healthyFor()) {
      assertThat(new String(readAll("refuse-switch"), StandardCharsets.US_ASCII)).isEqualTo("OK\n");
    }
    assertThat(refuse.enabled()).isTrue();
    assertThat(refuse.port()).isEqualTo(port);
    assertThatThrownBy(() -> connect("refuse-switch").close()).isInstanceOf(ConnectException.class);
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its close()
  void healthyScopeDrainsANeverAcceptingPortAndFillsItAgain() throws IOException {
    Endpoint neverAccept = harness.endpoint("never-accept-switch");
    InetSocketAddress address = neverAccept.address();
    try (Endpoint.Scope healthy = neverAccept.healthyFor()) {
      assertThat(new String(readAll("never-accept-switch"), StandardCharsets.US_ASCII))
          .isEqualTo("OK\n");
    }
    assertThat(neverAccept.port()).isEqualTo(address.getPort());
    try (Socket socket = new Socket()) {
      assertThatThrownBy(() -> socket.connect(address, 300))
          .isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void slowCloseAnswersAtOnceAndClosesLate() throws IOException {
    try (Socket socket = connect("slow-close")) {
      InputStream in = socket.getInputStream();
      long start = System.nanoTime();
      assertThat(in.readNBytes(3)).isEqualTo("OK\n".getBytes(StandardCharsets.US_ASCII));
      long answered = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(in.read()).isEqualTo(-1);
      long closed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(answered).isLessThan(250L);
      assertThat(closed).isBetween(250L, 2000L);
    }
  }

  @Test
  void everyNthConnectionMisbehaves() throws IOException {
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      answers.add(new String(readAll("third"), StandardCharsets.US_ASCII));
    }
    assertThat(answers).containsExactly("OK\n", "OK\n", "xxxxxxxxxx", "OK\n", "OK\n", "xxxxxxxxxx");
    assertThat(harness.endpoint("third").faults()).isEqualTo(2);
    assertThat(harness.endpoint("third").connections()).isEqualTo(6);
  }

  @Test
  void seededProbabilityPicksTheSameConnectionsEveryRun() throws IOException {
    List<Boolean> faults = new ArrayList<>();
    List<Boolean> expected = new ArrayList<>();
    for (int n = 1; n <= 20; n++) {
      faults.add(readAll("probable").length == 5);
      expected.add(PROBABLE.appliesTo(n));
    }
    assertThat(faults).isEqualTo(expected).contains(true, false);
  }
}
