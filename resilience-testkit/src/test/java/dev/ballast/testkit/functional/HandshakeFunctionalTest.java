package dev.ballast.testkit.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.BackOffHint;
import dev.ballast.Handshake;
import dev.ballast.Pipeline;
import dev.ballast.RejectedException;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerOpenException;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.retry.Backoff;
import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryConfig;
import dev.ballast.retry.RetryListener;
import dev.ballast.testkit.ManualScheduler;
import dev.ballast.testkit.harness.Endpoint;
import dev.ballast.testkit.harness.Harness;
import dev.ballast.testkit.harness.Misbehavior;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Handshaking end to end: the JDK {@link HttpClient} against the harness's real 503 and 429 ports,
 * each answering with a {@code Retry-After}; a breaker and a retry in virtual time (one {@link
 * ManualScheduler}) honour it, so a 30 s wait costs no real time and nothing sleeps.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class HandshakeFunctionalTest {
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
                Misbehavior.httpServiceUnavailable(Duration.ofSeconds(30)),
                Misbehavior.httpTooManyRequests(Duration.ofSeconds(2)),
                Misbehavior.httpServiceUnavailable(Duration.ofSeconds(5)).named("busy-503"))
            .build()
            .start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static HttpResponse<String> get(String name) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.port(name) + "/orders/42"))
            .timeout(Duration.ofSeconds(2))
            .build();
    return CLIENT.send(request, BodyHandlers.ofString());
  }

  /** The one hint an application writes for its HTTP answers, shared by breaker and retry. */
  private static final BackOffHint FROM_HTTP =
      (result, error) ->
          result instanceof HttpResponse<?> r
              ? Handshake.hint(
                  r.statusCode(), r.headers().firstValue("Retry-After").orElse(null), Instant.now())
              : null;

  @Test
  @SuppressWarnings("try") // the scope is held for its effect on the harness
  void aBreakerStaysOpenForTheServersRetryAfterAndThenProbes() throws Exception {
    ManualScheduler time = new ManualScheduler();
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "orders",
            CircuitBreakerConfig.builder()
                .scheduler(time)
                .waitInOpen(Duration.ofSeconds(5))
                .backOffHint(FROM_HTTP, Duration.ofMinutes(5))
                .build());
    Endpoint endpoint = harness.endpoint("http-503");

    HttpResponse<String> answer = breaker.call(() -> get("http-503"));

    assertThat(answer.statusCode()).as("the caller keeps its answer").isEqualTo(503);
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(breaker.stats().openWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(breaker.stats().openWaitHint()).contains(Duration.ofSeconds(30));
    long requests = endpoint.requests();
    time.ticker().advance(Duration.ofSeconds(29));
    assertThatThrownBy(() -> breaker.call(() -> get("http-503")))
        .isInstanceOfSatisfying(
            CircuitBreakerOpenException.class,
            e -> {
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
              assertThat(Handshake.retryAfterHeader(e)).hasValue("1"); // passed on upstream
            });
    assertThat(endpoint.requests()).as("the server was left alone").isEqualTo(requests);

    time.ticker().advance(Duration.ofSeconds(1));
    try (Endpoint.Scope healthy = endpoint.healthyFor()) {
      assertThat(breaker.call(() -> get("http-503")).statusCode()).isEqualTo(200);
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void aRetryAroundTheBreakerWaitsForThe429sRetryAfterAndGetsThrough() throws Exception {
    ManualScheduler time = new ManualScheduler();
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "quota",
            CircuitBreakerConfig.builder()
                .scheduler(time)
                .backOffHint(FROM_HTTP, Duration.ofMinutes(1))
                .build());
    Endpoint endpoint = harness.endpoint("http-429");
    List<Long> waits = new ArrayList<>();
    List<Duration> breakerWaits = new ArrayList<>();
    Retry retry =
        Retry.of(
            "quota",
            RetryConfig.builder()
                .scheduler(time)
                .maxAttempts(3)
                .backoff(Backoff.fixed(Duration.ofMillis(10)))
                .retryOnResult(r -> r instanceof HttpResponse<?> h && h.statusCode() == 429)
                .waitForRetryAfter(Duration.ofSeconds(10))
                .backOffHint(FROM_HTTP)
                .build());
    retry.addListener(
        new RetryListener() {
          @Override
          public void onRetry(int attempt, long delayNanos, @Nullable Throwable cause) {
            waits.add(delayNanos);
            breakerWaits.add(
                breaker.stats().openWait()); // asserted below: a listener's throw is logged
            endpoint.enabled(false); // the quota refills while the client waits
          }
        });
    Pipeline pipeline = Pipeline.of(retry, breaker);
    long requests = endpoint.requests();
    long start = time.ticker().read();
    try {
      HttpResponse<String> answer = pipeline.call(() -> get("http-429"));

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(waits).containsExactly(Duration.ofSeconds(2).toNanos());
      assertThat(breakerWaits)
          .as("the breaker opened for the same Retry-After")
          .containsExactly(Duration.ofSeconds(2));
      assertThat(time.ticker().read() - start)
          .as("virtual time: the retry slept the Retry-After, and the breaker's wait with it")
          .isEqualTo(Duration.ofSeconds(2).toNanos());
      assertThat(endpoint.requests() - requests).isEqualTo(2);
      assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
      assertThat(retry.stats().successesAfterRetry()).isEqualTo(1);
    } finally {
      endpoint.enabled(true);
    }
  }

  /** An application's refusal for a 503: it carries the server's Retry-After. */
  static final class ServiceBusyException extends RejectedException {
    private static final long serialVersionUID = 1L;

    ServiceBusyException(@Nullable Duration retryAfter) {
      super("orders-service", Reason.OVERLOAD, retryAfter, "503 from orders-service", false);
    }
  }

  private static String fetch(String name) throws IOException, InterruptedException {
    HttpResponse<String> r = get(name);
    if (r.statusCode() == 503) {
      throw new ServiceBusyException(
          Handshake.parseRetryAfter(
                  r.headers().firstValue("Retry-After").orElse(null), Instant.now())
              .orElse(null));
    }
    return r.body();
  }

  @Test
  void aClientThatTurnsA503IntoItsOwnRefusalIsHeardByTheBreakerAndTheRetry() throws Exception {
    ManualScheduler time = new ManualScheduler();
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "busy",
            CircuitBreakerConfig.builder()
                .scheduler(time)
                .backOffHint(
                    BackOffHint.retryAfterOf(ServiceBusyException.class), Duration.ofMinutes(1))
                .build());
    Retry impatient =
        Retry.of(
            "busy",
            RetryConfig.builder()
                .scheduler(time)
                .maxAttempts(3)
                .waitForRetryAfter(Duration.ofSeconds(1))
                .build());
    Endpoint endpoint = harness.endpoint("busy-503");
    long requests = endpoint.requests();

    // The server asks for 5 s, more than the retry will wait: the caller hears it at once...
    assertThatThrownBy(() -> Pipeline.of(impatient, breaker).call(() -> fetch("busy-503")))
        .isInstanceOfSatisfying(
            ServiceBusyException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(5)));
    assertThat(endpoint.requests() - requests).isEqualTo(1);
    // ...and the breaker keeps everyone else away for those 5 s.
    assertThat(breaker.stats().openWait()).isEqualTo(Duration.ofSeconds(5));
    assertThatThrownBy(() -> breaker.call(() -> fetch("busy-503")))
        .isInstanceOf(CircuitBreakerOpenException.class);
    assertThat(endpoint.requests() - requests).isEqualTo(1);
  }
}
