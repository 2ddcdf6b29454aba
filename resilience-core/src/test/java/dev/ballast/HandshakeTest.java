package dev.ballast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Handshaking over HTTP: a refusal becomes a 503 or 429 with a Retry-After, served by the JDK's own
 * HTTP server, and a client reads it back as a back-off hint.
 */
@SuppressWarnings("NullAway") // passes null on purpose
final class HandshakeTest {
  private static final Instant NOW = Instant.parse("2026-12-06T06:00:00Z");

  /** A refusal as a pattern would define one. */
  static class Refusal extends RejectedException {
    private static final long serialVersionUID = 1L;

    Refusal(Reason reason, @Nullable Duration retryAfter) {
      super("orders", reason, retryAfter, "orders refused", false);
    }
  }

  /** A refusal by rate, as the rate limiter will mark its own. */
  static final class RateRefusal extends Refusal {
    private static final long serialVersionUID = 1L;

    RateRefusal(@Nullable Duration retryAfter) {
      super(Reason.OVERLOAD, retryAfter);
    }

    @Override
    public boolean rateLimited() {
      return true;
    }
  }

  @Test
  void aRateStyleRefusalIs429AndEveryOtherIs503() {
    assertThat(Handshake.httpStatus(new RateRefusal(null))).isEqualTo(429);
    assertThat(Handshake.httpStatus(new Refusal(RejectedException.Reason.OVERLOAD, null)))
        .isEqualTo(503);
    assertThat(Handshake.httpStatus(new Refusal(RejectedException.Reason.DEPENDENCY_FAILURE, null)))
        .isEqualTo(503);
    assertThat(new Refusal(RejectedException.Reason.OVERLOAD, null).rateLimited()).isFalse();
  }

  @Test
  void retryAfterIsInWholeSecondsRoundedUpAndAbsentWhenUnknown() {
    assertThat(header(Duration.ofMillis(1200))).hasValue("2");
    assertThat(header(Duration.ofSeconds(30))).hasValue("30");
    assertThat(header(Duration.ofNanos(1))).hasValue("1");
    assertThat(header(Duration.ZERO)).hasValue("0");
    assertThat(Handshake.retryAfterHeader(new Refusal(RejectedException.Reason.OVERLOAD, null)))
        .isEmpty();
  }

  private static java.util.Optional<String> header(Duration d) {
    return Handshake.retryAfterHeader(new Refusal(RejectedException.Reason.OVERLOAD, d));
  }

  @Test
  void anOpenBreakersRefusalSaysTheWaitLeftWhenAsked() {
    TestTicker ticker = new TestTicker();
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "inventory",
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .consecutiveFailures(1)
                .waitInOpen(Duration.ofSeconds(30))
                .build());
    assertThatThrownBy(
            () ->
                breaker.run(
                    () -> {
                      throw new IllegalStateException("down");
                    }))
        .isInstanceOf(IllegalStateException.class);
    RejectedException refusal = refusalOf(breaker);
    assertThat(Handshake.httpStatus(refusal)).isEqualTo(503);
    assertThat(Handshake.retryAfterHeader(refusal)).hasValue("30");
    ticker.advance(Duration.ofMillis(10_500));
    assertThat(Handshake.retryAfterHeader(refusal)).hasValue("20");
    breaker.forceOpen();
    assertThat(Handshake.retryAfterHeader(refusalOf(breaker))).isEmpty();
  }

  private static RejectedException refusalOf(CircuitBreaker breaker) {
    try {
      breaker.run(() -> {});
    } catch (RejectedException e) {
      return e;
    }
    throw new AssertionError("the breaker let the call through");
  }

  @Test
  void aJdkHttpServerAnswersARefusalThatAClientReadsBackAsAHint() throws Exception {
    AtomicReference<RejectedException> refusal =
        new AtomicReference<>(
            new Refusal(RejectedException.Reason.OVERLOAD, Duration.ofMillis(1500)));
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try {
            throw refusal.get(); // what a guarded handler would throw
          } catch (RejectedException e) {
            Handshake.retryAfterHeader(e)
                .ifPresent(v -> exchange.getResponseHeaders().set("Retry-After", v));
            byte[] body = e.getMessage().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(Handshake.httpStatus(e), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            } catch (IOException unused) {
              // the client went away: nothing to tell it
            }
          }
        });
    server.start();
    try {
      HttpURLConnection overloaded = get(server);
      assertThat(overloaded.getResponseCode()).isEqualTo(503);
      assertThat(overloaded.getHeaderField("Retry-After")).isEqualTo("2");
      assertThat(hintOf(overloaded)).isEqualTo(Duration.ofSeconds(2));

      refusal.set(new RateRefusal(Duration.ofSeconds(7)));
      HttpURLConnection limited = get(server);
      assertThat(limited.getResponseCode()).isEqualTo(429);
      assertThat(hintOf(limited)).isEqualTo(Duration.ofSeconds(7));

      refusal.set(new Refusal(RejectedException.Reason.DEPENDENCY_FAILURE, null));
      HttpURLConnection unknown = get(server);
      assertThat(unknown.getResponseCode()).isEqualTo(503);
      assertThat(unknown.getHeaderField("Retry-After")).isNull();
      assertThat(hintOf(unknown)).as("back off, no wait named").isEqualTo(Duration.ZERO);
    } finally {
      server.stop(0);
    }
  }

  private static HttpURLConnection get(HttpServer server) throws IOException {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/orders");
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(5000);
    return c;
  }

  private static @Nullable Duration hintOf(HttpURLConnection c) throws IOException {
    return Handshake.hint(c.getResponseCode(), c.getHeaderField("Retry-After"), NOW);
  }

  // ---- parsing Retry-After ----

  @Test
  void readsDeltaSecondsWithSurroundingWhitespace() {
    assertThat(Handshake.parseRetryAfter("120", NOW)).contains(Duration.ofMinutes(2));
    assertThat(Handshake.parseRetryAfter(" 0\t", NOW)).contains(Duration.ZERO);
    assertThat(Handshake.parseRetryAfter("007", NOW)).contains(Duration.ofSeconds(7));
  }

  @Test
  void readsTheThreeFormsOfAnHttpDate() {
    Instant at = Instant.parse("2026-12-06T06:00:30Z");
    assertThat(Handshake.parseRetryAfter("Sun, 06 Dec 2026 06:00:30 GMT", NOW))
        .contains(Duration.ofSeconds(30));
    assertThat(Handshake.parseRetryAfter("Sunday, 06-Dec-26 06:00:30 GMT", NOW))
        .contains(Duration.between(NOW, at));
    assertThat(Handshake.parseRetryAfter("Sun Dec  6 06:00:30 2026", NOW))
        .contains(Duration.ofSeconds(30));
  }

  @Test
  void aDateInThePastIsAWaitOfZero() {
    assertThat(Handshake.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", NOW))
        .contains(Duration.ZERO);
    // A two-digit year more than 50 years ahead is the past century's.
    assertThat(Handshake.parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", NOW))
        .contains(Duration.ZERO);
  }

  @Test
  void aWaitOverTheBoundIsTheBound() {
    assertThat(Handshake.parseRetryAfter("99999999999999999999999", NOW))
        .contains(Handshake.MAX_RETRY_AFTER);
    assertThat(Handshake.parseRetryAfter("31536001", NOW)).contains(Handshake.MAX_RETRY_AFTER);
    assertThat(Handshake.parseRetryAfter("Sat, 06 Dec 2036 06:00:00 GMT", NOW))
        .contains(Handshake.MAX_RETRY_AFTER);
  }

  @Test
  void badValuesAreNoHint() {
    for (String bad :
        new String[] {
          "", "  ", "-5", "+5", "1.5", "5s", "soon", "Mon, 06 Dec 2026 06:00:30 GMT", "0x10", "1 2"
        }) {
      assertThat(Handshake.parseRetryAfter(bad, NOW)).as(bad).isEmpty();
    }
    assertThat(Handshake.parseRetryAfter(null, NOW)).isEmpty();
  }

  @Test
  void onlyA429OrA503IsAHint() {
    assertThat(Handshake.hint(503, "3", NOW)).isEqualTo(Duration.ofSeconds(3));
    assertThat(Handshake.hint(429, null, NOW)).isEqualTo(Duration.ZERO);
    assertThat(Handshake.hint(429, "later", NOW)).isEqualTo(Duration.ZERO);
    assertThat(Handshake.hint(500, "3", NOW)).isNull();
    assertThat(Handshake.hint(301, "3", NOW)).isNull();
    assertThat(Handshake.hint(200, null, NOW)).isNull();
  }

  @Test
  void refusesNullsNamingTheParameter() {
    assertThatThrownBy(() -> Handshake.httpStatus(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("rejection must not be null");
    assertThatThrownBy(() -> Handshake.retryAfterHeader(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("rejection must not be null");
    assertThatThrownBy(() -> Handshake.parseRetryAfter("1", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("now must not be null");
    assertThatThrownBy(() -> BackOffHint.retryAfterOf(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("type must not be null");
  }

  @Test
  void retryAfterOfReadsOnlyRefusalsOfTheNamedType() {
    BackOffHint hint = BackOffHint.retryAfterOf(RateRefusal.class);
    assertThat(hint.backOff(null, new RateRefusal(Duration.ofSeconds(4))))
        .isEqualTo(Duration.ofSeconds(4));
    assertThat(hint.backOff(null, new RateRefusal(null))).isNull();
    assertThat(
            hint.backOff(
                null, new Refusal(RejectedException.Reason.OVERLOAD, Duration.ofSeconds(4))))
        .isNull();
    assertThat(hint.backOff("ok", null)).isNull();
  }
}
