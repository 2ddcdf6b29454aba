package dev.ballast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.fallback.Fallback;
import dev.ballast.fallback.FallbackConfig;
import dev.ballast.ratelimiter.RateLimiter;
import dev.ballast.retry.Retry;
import dev.ballast.shed.AdaptiveThrottle;
import dev.ballast.shed.LoadShedder;
import dev.ballast.timeout.Timeout;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every public entry of the binders refuses a null with a message that names the parameter. */
@SuppressWarnings("NullAway") // passes nulls on purpose
final class NullArgumentsTest {

  /** A fresh builder of each binder, by name. */
  static Stream<Named> builders() {
    return Stream.of(
        new Named(
            "CircuitBreakerMetrics",
            () -> CircuitBreakerMetrics.builder(CircuitBreaker.ofDefaults("inventory"))),
        new Named(
            "FallbackMetrics",
            () ->
                FallbackMetrics.builder(
                    Fallback.of(
                        "pricing",
                        FallbackConfig.<String>builder().exceptionFallbackValue("none").build()))),
        new Named(
            "TimeoutMetrics",
            () -> TimeoutMetrics.builder(Timeout.of("read", Duration.ofSeconds(1)))),
        new Named("RetryMetrics", () -> RetryMetrics.builder(Retry.ofDefaults("inventory"))),
        new Named(
            "BulkheadMetrics", () -> BulkheadMetrics.builder(Bulkhead.ofDefaults("inventory"))),
        new Named(
            "ThreadPoolBulkheadMetrics",
            () -> ThreadPoolBulkheadMetrics.builder(ThreadPoolBulkhead.ofDefaults("inventory"))),
        new Named(
            "LoadShedderMetrics", () -> LoadShedderMetrics.builder(LoadShedder.ofDefaults("api"))),
        new Named(
            "AdaptiveThrottleMetrics",
            () -> AdaptiveThrottleMetrics.builder(AdaptiveThrottle.ofDefaults("backend"))),
        new Named(
            "RateLimiterMetrics",
            () -> RateLimiterMetrics.builder(RateLimiter.ofDefaults("partner-api"))));
  }

  /** A builder supplier with a name for test reports. */
  static final class Named {
    final String name;
    final Supplier<BinderBuilder<?>> builder;

    Named(String name, Supplier<BinderBuilder<?>> builder) {
      this.name = name;
      this.builder = builder;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builders")
  void aNullElementOfTagsIsNamedByItsIndexAndNoTagIsAdded(Named named) {
    BinderBuilder<?> builder = named.builder.get();
    List<Tag> tags = Arrays.asList(Tag.of("region", "eu"), Tag.of("zone", "a"), null);

    assertThrowsNpe(() -> builder.tags(tags), "tags[2] must not be null");

    // The valid tags before the null one were not kept: the binder carries only `name`.
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    builder.build().bindTo(registry);
    assertThat(registry.getMeters())
        .allSatisfy(m -> assertThat(m.getId().getTag("region")).isNull());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builders")
  void aTagWithANullKeyOrValueIsNamedByItsIndex(Named named) {
    assertThrowsNpe(
        () -> named.builder.get().tags(List.of(Tag.of("region", "eu"), new NullTag(null, "x"))),
        "tags[1].key must not be null");
    assertThrowsNpe(
        () -> named.builder.get().tags(List.of(new NullTag("region", null))),
        "tags[0].value must not be null");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builders")
  void nullTagsKeyValueAndRegistryAreNamed(Named named) {
    assertThrowsNpe(() -> named.builder.get().tags(null), "tags must not be null");
    assertThrowsNpe(() -> named.builder.get().tag(null, "eu"), "key must not be null");
    assertThrowsNpe(() -> named.builder.get().tag("region", null), "value must not be null");
    assertThrowsNpe(() -> named.builder.get().build().bindTo(null), "registry must not be null");
  }

  @Test
  void aNullComponentIsNamed() {
    assertThrowsNpe(() -> CircuitBreakerMetrics.of(null), "breaker must not be null");
    assertThrowsNpe(() -> CircuitBreakerMetrics.builder(null), "breaker must not be null");
    assertThrowsNpe(() -> FallbackMetrics.of(null), "fallback must not be null");
    assertThrowsNpe(() -> FallbackMetrics.builder(null), "fallback must not be null");
    assertThrowsNpe(() -> TimeoutMetrics.of(null), "timeout must not be null");
    assertThrowsNpe(() -> TimeoutMetrics.builder(null), "timeout must not be null");
    assertThrowsNpe(() -> RetryMetrics.of(null), "retry must not be null");
    assertThrowsNpe(() -> RetryMetrics.builder(null), "retry must not be null");
    assertThrowsNpe(() -> BulkheadMetrics.of(null), "bulkhead must not be null");
    assertThrowsNpe(() -> BulkheadMetrics.builder(null), "bulkhead must not be null");
    assertThrowsNpe(() -> ThreadPoolBulkheadMetrics.of(null), "bulkhead must not be null");
    assertThrowsNpe(() -> ThreadPoolBulkheadMetrics.builder(null), "bulkhead must not be null");
    assertThrowsNpe(() -> LoadShedderMetrics.of(null), "shedder must not be null");
    assertThrowsNpe(() -> LoadShedderMetrics.builder(null), "shedder must not be null");
    assertThrowsNpe(() -> AdaptiveThrottleMetrics.of(null), "throttle must not be null");
    assertThrowsNpe(() -> AdaptiveThrottleMetrics.builder(null), "throttle must not be null");
    assertThrowsNpe(() -> RateLimiterMetrics.of(null), "limiter must not be null");
    assertThrowsNpe(() -> RateLimiterMetrics.builder(null), "limiter must not be null");
  }

  @Test
  void tagsGivenAsTagsStillWork() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CircuitBreakerMetrics.builder(CircuitBreaker.ofDefaults("inventory"))
        .tags(Tags.of("region", "eu"))
        .tag("zone", "a")
        .build()
        .bindTo(registry);

    assertThat(registry.getMeters())
        .isNotEmpty()
        .allSatisfy(m -> assertThat(m.getId().getTag("region")).isEqualTo("eu"))
        .allSatisfy(m -> assertThat(m.getId().getTag("zone")).isEqualTo("a"));
  }

  private static void assertThrowsNpe(Executable call, String message) {
    assertThatThrownBy(call::execute).isInstanceOf(NullPointerException.class).hasMessage(message);
  }

  /** A tag whose key or value is null, as a hand-written {@link Tag} can be. */
  private static final class NullTag implements Tag {
    private final String key;
    private final String value;

    NullTag(String key, String value) {
      this.key = key;
      this.value = value;
    }

    @Override
    public String getKey() {
      return key;
    }

    @Override
    public String getValue() {
      return value;
    }
  }
}
