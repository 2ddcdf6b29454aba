package dev.ballast.testkit.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.ballast.testkit.harness.Parameters.ByteCount;
import dev.ballast.testkit.harness.Parameters.Drip;
import dev.ballast.testkit.harness.Parameters.DripBody;
import dev.ballast.testkit.harness.Parameters.Garbage;
import dev.ballast.testkit.harness.Parameters.Latency;
import dev.ballast.testkit.harness.Parameters.Pause;
import dev.ballast.testkit.harness.Parameters.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The typed parameters each factory keeps, and the descriptions the port table prints. */
final class MisbehaviorTest {

  @Test
  void eachFactoryKeepsItsParametersUnderTheirOwnNames() {
    Duration second = Duration.ofSeconds(1);
    Duration tenth = Duration.ofMillis(100);

    assertThat(Misbehavior.tcpReset().parameters()).isEqualTo(Parameters.None.NONE);
    assertThat(Misbehavior.httpNoReply().parameters()).isEqualTo(Parameters.None.NONE);
    assertThat(Misbehavior.tcpCloseAfterBytes(10).parameters()).isEqualTo(new ByteCount(10));
    assertThat(Misbehavior.httpHeadersNoBody(64).parameters()).isEqualTo(new ByteCount(64));
    assertThat(Misbehavior.httpHugeBody(4096).parameters()).isEqualTo(new ByteCount(4096));
    assertThat(Misbehavior.tcpSlowClose(second).parameters()).isEqualTo(new Pause(second));
    assertThat(Misbehavior.httpSlowJson(second).parameters()).isEqualTo(new Pause(second));
    assertThat(Misbehavior.tcpDrip(3, tenth).parameters()).isEqualTo(new Drip(3, tenth));
    assertThat(Misbehavior.httpDripBody(100, 2, tenth).parameters())
        .isEqualTo(new DripBody(100, 2, tenth));
    assertThat(Misbehavior.tcpLatency(second).parameters())
        .isEqualTo(new Latency(second, second, 0L));
    assertThat(Misbehavior.tcpRandomLatency(tenth, second, 5).parameters())
        .isEqualTo(new Latency(tenth, second, 5));
    assertThat(Misbehavior.tcpGarbage(8, 1).parameters()).isEqualTo(new Garbage(8, 1));
  }

  @Test
  void onlyTheRetryAfterFactoriesAdvertiseAWait() {
    Duration wait = Duration.ofSeconds(2);

    assertThat(Misbehavior.httpServiceUnavailable(wait).parameters(Status.class))
        .isEqualTo(new Status(503, wait));
    assertThat(Misbehavior.httpTooManyRequests(Duration.ZERO).parameters(Status.class))
        .isEqualTo(new Status(429, Duration.ZERO));
    assertThat(Misbehavior.httpStatus(503).parameters(Status.class).retryAfter()).isNull();
    assertThat(Misbehavior.httpUnauthorized().parameters(Status.class))
        .isEqualTo(new Status(401, null));
  }

  @Test
  void askingForParametersOfAnotherShapeIsAProgrammingError() {
    Misbehavior status = Misbehavior.httpStatus(500);

    assertThatIllegalStateException()
        .isThrownBy(() -> status.parameters(Drip.class))
        .withMessage("http-500 (HTTP_STATUS) has Status parameters, not Drip");
  }

  @Test
  void fixedLatencyIsTheSameForEveryConnection() {
    Latency fixed = Misbehavior.tcpLatency(Duration.ofMillis(7)).parameters(Latency.class);

    assertThat(fixed.fixed()).isTrue();
    assertThat(List.of(fixed.of(1), fixed.of(2), fixed.of(1_000)))
        .containsOnly(Duration.ofMillis(7));
  }

  @Test
  void describesEveryMisbehaviorWithItsParameters() {
    List<Misbehavior> all =
        List.of(
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
            Misbehavior.httpTooManyRequests(Duration.ofMillis(1500)),
            Misbehavior.httpUnauthorized(),
            Misbehavior.httpWrongContentType(),
            Misbehavior.httpHtml(),
            Misbehavior.httpEmpty(),
            Misbehavior.httpHugeBody(100L * 1024 * 1024),
            Misbehavior.httpSlowJson(Duration.ofSeconds(3)),
            Misbehavior.tcpReset().everyNth(3),
            Misbehavior.httpStatus(502).named("bad-gateway").withProbability(0.25, 9));

    assertThat(all)
        .extracting(Misbehavior::toString)
        .containsExactly(
            "refuse (tcp: connection refused)",
            "never-accept (tcp: backlog full, connect times out)",
            "silence (tcp: accept, then silence)",
            "never-read (tcp: accept, never read)",
            "reset (tcp: accept, then reset (RST))",
            "close-after-bytes (tcp: 10 byte(s), then close)",
            "slow-close (tcp: OK, then close after PT5S)",
            "drip (tcp: drip 1 byte(s) every PT0.5S)",
            "latency (tcp: OK after PT2S)",
            "random-latency (tcp: OK after PT0.1S..PT3S (seed 42))",
            "garbage (tcp: 1024 random byte(s) (seed 42), then close)",
            "http-no-reply (http: read the request, never reply)",
            "http-headers-no-body (http: 200 with Content-Length 1024, then no body)",
            "http-drip-body (http: 200, 1024-byte body dripped 1 byte(s) every PT0.2S)",
            "http-500 (http: 500)",
            "http-503 (http: 503 Retry-After PT30S)",
            "http-429 (http: 429 Retry-After PT1.5S)",
            "http-401 (http: 401)",
            "http-wrong-content-type (http: 200, JSON labelled text/plain)",
            "http-html (http: 200, HTML instead of JSON)",
            "http-empty (http: 200, empty body)",
            "http-huge-body (http: 200, 104857600-byte JSON body)",
            "http-slow-json (http: 200 JSON after PT3S)",
            "reset (tcp: accept, then reset (RST), every 3th)",
            "bad-gateway (http: 502, p=0.250 (seed 9))");
  }

  @Test
  void equalityCoversParametersAndWhichConnectionsApply() {
    Misbehavior drip = Misbehavior.tcpDrip(1, Duration.ofMillis(5));

    assertThat(drip)
        .isEqualTo(Misbehavior.tcpDrip(1, Duration.ofMillis(5)))
        .hasSameHashCodeAs(Misbehavior.tcpDrip(1, Duration.ofMillis(5)))
        .isNotEqualTo(Misbehavior.tcpDrip(2, Duration.ofMillis(5)))
        .isNotEqualTo(Misbehavior.tcpDrip(1, Duration.ofMillis(6)))
        .isNotEqualTo(drip.everyNth(2))
        .isNotEqualTo(drip.withProbability(0.5, 1));
    assertThat(Misbehavior.httpServiceUnavailable(Duration.ZERO))
        .isNotEqualTo(Misbehavior.httpStatus(503));
  }
}
