package dev.ballast.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ballast.testkit.harness.Harness;
import dev.ballast.testkit.harness.Misbehavior;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The nested classes run in order: each lifecycle class is followed by one that checks the harness
 * it used is closed and its threads are gone.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
final class HarnessExtensionTest {
  private static final String CLASS_SILENCE = "junit-class-silence";
  private static final String CLASS_503 = "junit-class-503";
  private static final String TEST_SILENCE = "junit-test-silence";

  private static @Nullable Harness classHarness;
  private static int classPort;
  private static @Nullable Harness testHarness;
  private static int testPort;

  private static void assertAccepts(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      assertThat(socket.isConnected()).isTrue();
    }
  }

  private static void assertRefuses(int port) {
    assertThatThrownBy(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
              }
            })
        .isInstanceOf(ConnectException.class);
  }

  private static long threadsNamed(String endpointPrefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("ballast-harness-" + endpointPrefix))
        .count();
  }

  @Test
  void refusesAccessOutsideATest() {
    HarnessExtension extension = HarnessExtension.with(Misbehavior.tcpReset());

    assertThatThrownBy(extension::harness)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("harness not running");
    assertThatThrownBy(() -> extension.port("tcp-reset")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsDuplicateNamesAtRegistration() {
    assertThatThrownBy(() -> HarnessExtension.with(Misbehavior.tcpReset(), Misbehavior.tcpReset()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unique");
  }

  @Nested
  @Order(1)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  final class PerClass {
    @RegisterExtension
    static final HarnessExtension HARNESS =
        HarnessExtension.with(
            Misbehavior.tcpAcceptThenSilence().named(CLASS_SILENCE),
            Misbehavior.httpStatus(503).named(CLASS_503));

    private final Harness constructorHarness;

    PerClass(Harness harness) {
      this.constructorHarness = harness;
    }

    @Test
    @Order(1)
    void startsOneHarnessBeforeAllTests(Harness harness) throws IOException {
      assertThat(harness).isSameAs(HARNESS.harness()).isSameAs(constructorHarness);
      assertAccepts(HARNESS.port(CLASS_SILENCE));
      assertThat(HARNESS.endpoint(CLASS_SILENCE).connections()).isGreaterThanOrEqualTo(0);
      classHarness = harness;
      classPort = harness.port(CLASS_SILENCE);

      HARNESS.endpoint(CLASS_503).enabled(false); // left off on purpose
    }

    @Test
    @Order(2)
    void keepsItForTheNextTestWithEveryEndpointSwitchedBackOn(Harness harness) throws IOException {
      assertThat(harness).isSameAs(classHarness);
      assertThat(harness.port(CLASS_SILENCE)).isEqualTo(classPort);
      assertThat(harness.endpoint(CLASS_503).enabled()).isTrue();
      assertAccepts(classPort);
    }
  }

  @Nested
  @Order(2)
  final class AfterPerClass {
    @Test
    void closedTheClassHarnessAndStoppedItsThreads() {
      assertThat(classHarness).isNotNull();
      await().atMost(Duration.ofSeconds(2)).until(() -> threadsNamed("junit-class-") == 0);
      assertRefuses(classPort);
    }
  }

  @Nested
  @Order(3)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  final class PerTest {
    @RegisterExtension
    final HarnessExtension harness =
        HarnessExtension.with(Misbehavior.tcpAcceptThenSilence().named(TEST_SILENCE));

    @Test
    @Order(1)
    void startsAHarnessForTheTest(Harness injected) throws IOException {
      assertThat(injected).isSameAs(harness.harness());
      assertAccepts(harness.port(TEST_SILENCE));
      testHarness = injected;
      testPort = injected.port(TEST_SILENCE);
    }

    @Test
    @Order(2)
    void startsAnotherForTheNextTestAfterClosingThePrevious(Harness injected) throws IOException {
      assertThat(testHarness).isNotNull();
      assertThat(injected).isNotSameAs(testHarness);
      assertAccepts(harness.port(TEST_SILENCE));
      if (injected.port(TEST_SILENCE) != testPort) { // the OS may, rarely, hand out the same port
        assertRefuses(testPort);
      }
      testHarness = injected;
      testPort = injected.port(TEST_SILENCE);
    }
  }

  @Nested
  @Order(4)
  final class AfterPerTest {
    @Test
    void closedTheLastTestsHarnessAndStoppedItsThreads() {
      assertThat(testHarness).isNotNull();
      await().atMost(Duration.ofSeconds(2)).until(() -> threadsNamed("junit-test-") == 0);
      assertRefuses(testPort);
    }
  }
}
