package dev.ballast.testkit.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class HarnessHttpTest {
  private static final long HUGE = 5_000_001;
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
                Misbehavior.httpNoReply(),
                Misbehavior.httpHeadersNoBody(100),
                Misbehavior.httpDripBody(10, 2, Duration.ofMillis(60)),
                Misbehavior.httpStatus(500),
                Misbehavior.httpStatus(500).named("every-other").everyNth(2),
                Misbehavior.httpStatus(500).named("switch"),
                Misbehavior.httpServiceUnavailable(Duration.ofMillis(1500)),
                Misbehavior.httpTooManyRequests(Duration.ofSeconds(3)),
                Misbehavior.httpUnauthorized(),
                Misbehavior.httpWrongContentType(),
                Misbehavior.httpHtml(),
                Misbehavior.httpEmpty(),
                Misbehavior.httpHugeBody(HUGE),
                Misbehavior.httpSlowJson(Duration.ofMillis(300)))
            .build()
            .start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static HttpRequest request(String name, Duration timeout) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + harness.port(name) + "/orders/42"))
        .timeout(timeout)
        .build();
  }

  private static HttpResponse<String> get(String name) throws IOException, InterruptedException {
    return CLIENT.send(request(name, Duration.ofSeconds(2)), BodyHandlers.ofString());
  }

  @Test
  void noReplyMakesTheRequestTimeOut() {
    assertThatThrownBy(
            () ->
                CLIENT.send(
                    request("http-no-reply", Duration.ofMillis(300)), BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(harness.endpoint("http-no-reply").requests()).isEqualTo(1);
    assertThat(harness.log())
        .anySatisfy(
            entry -> {
              assertThat(entry.endpoint()).isEqualTo("http-no-reply");
              assertThat(entry.event()).isEqualTo("GET /orders/42 HTTP/1.1");
            });
  }

  @Test
  void headersWithoutBodyLeaveTheBodyReadWaiting() throws Exception {
    HttpResponse<InputStream> response =
        CLIENT.send(
            request("http-headers-no-body", Duration.ofSeconds(1)), BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Length")).hasValue("100");
      CompletableFuture<byte[]> read =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return body.readAllBytes();
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      assertThatThrownBy(() -> read.get(300, TimeUnit.MILLISECONDS))
          .isInstanceOf(TimeoutException.class);
    }
  }

  @Test
  void dripsTheBodySlowly() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> response = get("http-drip-body");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("xxxxxxxxxx");
    assertThat(millis).isBetween(200L, 2000L); // 4 pauses of 60 ms, loosely
  }

  @Test
  void answersWithServerError() throws Exception {
    HttpResponse<String> response = get("http-500");
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("{\"error\":\"Internal Server Error\"}");
    assertThat(response.headers().firstValue("Retry-After")).isEmpty();
  }

  @Test
  void serviceUnavailableAdvertisesRetryAfterInWholeSeconds() throws Exception {
    HttpResponse<String> response = get("http-503");
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
  }

  @Test
  void tooManyRequestsAdvertisesRetryAfter() throws Exception {
    HttpResponse<String> response = get("http-429");
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("3");
  }

  @Test
  void unauthorizedAsksForCredentials() throws Exception {
    HttpResponse<String> response = get("http-401");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
  }

  @Test
  void labelsJsonWithTheWrongContentType() throws Exception {
    HttpResponse<String> response = get("http-wrong-content-type");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(response.body()).isEqualTo(Behaviors.JSON_HEALTHY);
  }

  @Test
  void answersHtmlInsteadOfJson() throws Exception {
    HttpResponse<String> response = get("http-html");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(response.body()).startsWith("<!DOCTYPE html>");
  }

  @Test
  void answersWithAnEmptyBody() throws Exception {
    HttpResponse<String> response = get("http-empty");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body()).isEmpty();
  }

  @Test
  void streamsAHugeJsonBodyOfExactlyTheGivenSize() throws Exception {
    HttpResponse<InputStream> response =
        CLIENT.send(request("http-huge-body", Duration.ofSeconds(2)), BodyHandlers.ofInputStream());
    long count = 0;
    int first = -1;
    int last = -1;
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = body.read(buffer)) >= 0; ) {
        if (n > 0) {
          if (first < 0) {
            first = buffer[0];
          }
          last = buffer[n - 1];
          count += n;
        }
      }
    }
    assertThat(response.headers().firstValue("Content-Length")).hasValue(Long.toString(HUGE));
    assertThat(count).isEqualTo(HUGE);
    assertThat(first).isEqualTo('[');
    assertThat(last).isEqualTo(']');
  }

  @Test
  void answersValidJsonAfterTheDelay() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> response = get("http-slow-json");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(Behaviors.JSON_HEALTHY);
    assertThat(millis).isBetween(290L, 2000L);

    assertThatThrownBy(
            () ->
                CLIENT.send(
                    request("http-slow-json", Duration.ofMillis(100)), BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
  }

  @Test
  void everyNthRequestMisbehaves() throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      statuses.add(get("every-other").statusCode());
    }
    assertThat(statuses).containsExactly(200, 500, 200, 500);
    assertThat(harness.endpoint("every-other").requests()).isEqualTo(4);
    assertThat(harness.endpoint("every-other").faults()).isEqualTo(2);
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its close()
  void switchAndScopeMakeTheEndpointHealthyAndRevert() throws Exception {
    Endpoint endpoint = harness.endpoint("switch");
    assertThat(get("switch").statusCode()).isEqualTo(500);

    endpoint.enabled(false);
    HttpResponse<String> healthy = get("switch");
    assertThat(healthy.statusCode()).isEqualTo(200);
    assertThat(healthy.body()).isEqualTo(Behaviors.JSON_HEALTHY);
    endpoint.enabled(true);
    assertThat(get("switch").statusCode()).isEqualTo(500);

    try (Endpoint.Scope scope = endpoint.healthyFor()) {
      assertThat(get("switch").statusCode()).isEqualTo(200);
    }
    assertThat(get("switch").statusCode()).isEqualTo(500);
  }
}
