package dev.ballast.testkit.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class HarnessLifecycleTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(LOOPBACK, port), 1000);
      socket.setSoTimeout(1000);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static List<Thread> harnessThreads(String prefix) {
    List<Thread> found = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("ballast-harness-" + prefix)) {
        found.add(thread);
      }
    }
    return found;
  }

  @Test
  void closeFreesEveryPortAndStopsEveryThread() throws Exception {
    Harness harness =
        Harness.builder()
            .add(
                Misbehavior.tcpRefuse().named("gone-refuse"),
                Misbehavior.tcpNeverAccept().named("gone-never-accept"),
                Misbehavior.tcpAcceptThenSilence().named("gone-silence"),
                Misbehavior.tcpAcceptNeverRead().named("gone-never-read"),
                Misbehavior.tcpDrip(1, Duration.ofMillis(20)).named("gone-drip"),
                Misbehavior.httpNoReply().named("gone-http"))
            .build()
            .start();
    List<Integer> ports = new ArrayList<>();
    List<Socket> clients = new ArrayList<>();
    try {
      for (Endpoint endpoint : harness.endpoints()) {
        ports.add(endpoint.port());
      }
      for (String busy : List.of("gone-silence", "gone-never-read", "gone-drip", "gone-http")) {
        clients.add(connect(harness.port(busy)));
      }
      await()
          .atMost(Duration.ofSeconds(2))
          .until(() -> harnessThreads("gone-").size() >= 8); // 4 acceptors + 4 connections
      assertThat(harnessThreads("gone-"))
          .allSatisfy(thread -> assertThat(thread.isDaemon()).isTrue());
    } finally {
      harness.close();
      for (Socket client : clients) {
        client.close();
      }
    }

    await().atMost(Duration.ofSeconds(2)).until(() -> harnessThreads("gone-").isEmpty());
    for (int port : ports) {
      try (ServerSocket rebound = new ServerSocket()) {
        rebound.setReuseAddress(true);
        rebound.bind(new InetSocketAddress(LOOPBACK, port));
        assertThat(rebound.getLocalPort()).isEqualTo(port);
      }
    }
  }

  @Test
  void countsConnectionsAndKeepsABoundedLog() throws IOException {
    try (Harness harness =
        Harness.builder()
            .logCapacity(5)
            .add(Misbehavior.tcpCloseAfterBytes(1).named("counted"))
            .build()
            .start()) {
      for (int i = 0; i < 10; i++) {
        try (Socket socket = connect(harness.port("counted"))) {
          assertThat(socket.getInputStream().readAllBytes()).hasSize(1);
        }
      }
      Endpoint counted = harness.endpoint("counted");
      assertThat(counted.connections()).isEqualTo(10);
      assertThat(counted.faults()).isEqualTo(10);
      assertThat(counted.requests()).isZero();
      await().atMost(Duration.ofSeconds(2)).until(() -> harness.log().size() == 5);
      assertThat(harness.log()).allSatisfy(e -> assertThat(e.endpoint()).isEqualTo("counted"));
      assertThat(harness.log().get(4).event()).isEqualTo("fault");
    }
  }

  @Test
  void reportsWhichPortDoesWhat() {
    try (Harness harness =
        Harness.builder()
            .add(Misbehavior.tcpReset(), Misbehavior.httpStatus(503), Misbehavior.tcpRefuse())
            .build()
            .start()) {
      assertThat(harness.bindAddress().isLoopbackAddress()).isTrue();
      assertThat(harness.endpoints())
          .extracting(Endpoint::name)
          .containsExactly("reset", "http-503", "refuse");
      assertThat(harness.endpoints()).extracting(Endpoint::port).doesNotHaveDuplicates();
      assertThat(harness.port("reset")).isEqualTo(harness.endpoint("reset").address().getPort());
      assertThat(harness.toString())
          .contains(harness.port("reset") + " reset (tcp: accept, then reset (RST))")
          .contains(harness.port("http-503") + " http-503 (http: 503)");
      assertThatThrownBy(() -> harness.port("nope"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'nope'");
    }
  }

  @Test
  void misbehaviorsAreValuesAndCopiesKeepTheirOwnSeed() {
    Misbehavior garbage = Misbehavior.tcpGarbage(8, 1);
    assertThat(garbage)
        .isEqualTo(Misbehavior.tcpGarbage(8, 1))
        .isNotEqualTo(Misbehavior.tcpGarbage(8, 2));
    assertThat(garbage.hashCode()).isEqualTo(Misbehavior.tcpGarbage(8, 1).hashCode());
    Misbehavior sometimes = garbage.withProbability(0.5, 77);
    assertThat(sometimes.parameters()).isEqualTo(new Parameters.Garbage(8, 1));
    assertThat(sometimes.named("other")).isNotEqualTo(sometimes);
    assertThat(sometimes.everyNth(1).appliesTo(3)).isTrue();
    assertThat(sometimes.toString())
        .isEqualTo("garbage (tcp: 8 random byte(s) (seed 1), then close, p=0.500 (seed 77))");
  }

  @Test
  void refusesDuplicateNamesAndBadParameters() {
    assertThatThrownBy(() -> Harness.builder().add(Misbehavior.tcpReset(), Misbehavior.tcpReset()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'reset' is taken");
    assertThatThrownBy(() -> Misbehavior.tcpDrip(0, Duration.ofMillis(1)))
        .hasMessage("bytesPerTick must be >= 1, was 0");
    assertThatThrownBy(() -> Misbehavior.httpStatus(99))
        .hasMessage("status must be in [100, 599], was 99");
    assertThatThrownBy(() -> Misbehavior.tcpReset().withProbability(1.5, 1))
        .hasMessage("p must be in [0, 1], was 1.5");
    assertThatThrownBy(() -> Misbehavior.tcpRefuse().everyNth(2))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Misbehavior.tcpReset().named("has space"))
        .hasMessageContaining("was 'has space'");
    assertThatThrownBy(() -> Harness.builder().logCapacity(0))
        .hasMessage("logCapacity must be >= 1, was 0");
    assertThatThrownBy(() -> Harness.builder().build().port("x"))
        .isInstanceOf(IllegalStateException.class);
  }
}
