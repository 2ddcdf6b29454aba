package dev.ballast.testkit.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.fallback.Fallback;
import dev.ballast.fallback.FallbackConfig;
import dev.ballast.governor.Governor;
import dev.ballast.queue.BoundedQueue;
import dev.ballast.ratelimiter.RateLimiter;
import dev.ballast.retry.Retry;
import dev.ballast.shed.AdaptiveThrottle;
import dev.ballast.shed.LoadShedder;
import dev.ballast.testkit.ManualTicker;
import dev.ballast.testkit.timeline.TimelineEvent.Kind;
import dev.ballast.timeout.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What a timeline records, keeps, refuses and stops listening to. */
final class TimelineTest {
  private final ManualTicker ticker = new ManualTicker(42);

  private CircuitBreaker breaker(String name) {
    return CircuitBreaker.of(
        name, CircuitBreakerConfig.builder().consecutiveFailures(1).ticker(ticker).build());
  }

  @Test
  void stampsEventsWithTheTickerSinceItsStart() {
    try (Timeline timeline = Timeline.start(ticker)) {
      Lane lane = timeline.lane("calls");
      ticker.advance(Duration.ofMillis(5));
      lane.success(Duration.ofMillis(2));
      ticker.advance(Duration.ofMillis(5));
      lane.rejection("full");

      assertThat(timeline.events())
          .extracting(TimelineEvent::atNanos, TimelineEvent::kind, TimelineEvent::durationNanos)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(5_000_000L, Kind.SUCCESS, 2_000_000L),
              org.assertj.core.groups.Tuple.tuple(10_000_000L, Kind.REJECTION, -1L));
      assertThat(timeline.elapsedNanos()).isEqualTo(10_000_000L);
    }
  }

  @Test
  void recordsABreakersStateWhenAttachedAndEachTransitionAfter() {
    CircuitBreaker breaker = breaker("inventory");
    try (Timeline timeline = Timeline.start(ticker)) {
      breaker.forceOpen();
      Lane lane = timeline.attach(breaker);
      ticker.advance(Duration.ofSeconds(1));
      breaker.reset();

      assertThat(lane.name()).isEqualTo("inventory (circuit breaker)");
      assertThat(timeline.events())
          .filteredOn(e -> e.kind() == Kind.STATE)
          .extracting(TimelineEvent::label, TimelineEvent::atNanos)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("FORCED_OPEN", 0L),
              org.assertj.core.groups.Tuple.tuple("CLOSED", 1_000_000_000L));
    }
  }

  @Test
  void attachesEveryKindOfComponentUnderItsNameAndPattern() {
    List<Object> components =
        List.of(
            breaker("a"),
            Bulkhead.ofDefaults("b"),
            ThreadPoolBulkhead.ofDefaults("c"),
            Timeout.ofDefaults("d"),
            Retry.ofDefaults("e"),
            Fallback.of(
                "f", FallbackConfig.<String>builder().exceptionFallback(e -> "cached").build()),
            LoadShedder.ofDefaults("g"),
            AdaptiveThrottle.ofDefaults("h"),
            BoundedQueue.<String>ofDefaults("i"),
            Governor.ofDefaults("j"),
            RateLimiter.ofDefaults("k"));
    try (Timeline timeline = Timeline.start(ticker)) {
      List<Lane> lanes = timeline.attachAll(components);

      assertThat(lanes)
          .extracting(Lane::name)
          .containsExactly(
              "a (circuit breaker)",
              "b (bulkhead)",
              "c (thread-pool bulkhead)",
              "d (timeout)",
              "e (retry)",
              "f (fallback)",
              "g (load shedder)",
              "h (adaptive throttle)",
              "i (bounded queue)",
              "j (governor)",
              "k (rate limiter)");
      assertThat(timeline.lanes())
          .containsExactlyElementsOf(lanes.stream().map(Lane::name).collect(Collectors.toList()));
      assertThat(timeline.events())
          .filteredOn(e -> e.kind() == Kind.STATE)
          .extracting(e -> e.lane() + "=" + e.label())
          .containsExactly(
              "a (circuit breaker)=CLOSED", "g (load shedder)=NORMAL", "j (governor)=RUNNING");
      assertThat(timeline.events())
          .filteredOn(e -> e.kind() == Kind.LIMIT)
          .extracting(TimelineEvent::lane)
          .containsExactly(
              "b (bulkhead)", "c (thread-pool bulkhead)", "i (bounded queue)", "k (rate limiter)");
    } finally {
      ((ThreadPoolBulkhead) components.get(2)).close();
    }
  }

  @Test
  void stopsListeningWhenClosedButStillDraws() throws Exception {
    CircuitBreaker breaker = breaker("inventory");
    Timeline timeline = Timeline.start(ticker);
    timeline.attach(breaker);
    timeline.close();
    timeline.close();
    breaker.forceOpen();

    assertThat(timeline.events()).hasSize(1);
    assertThat(SvgDocument.parse(timeline.toSvg("after close")).lanes()).hasSize(1);
    assertThatThrownBy(() -> timeline.attach(breaker("other")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void keepsAtMostItsCapAndCountsTheEventsItDropped() {
    try (Timeline timeline = Timeline.start(ticker, 10)) {
      Lane lane = timeline.lane("calls");
      for (int i = 0; i < 25; i++) {
        lane.failure(Duration.ofMillis(1));
      }
      assertThat(timeline.events()).hasSize(10);
      assertThat(timeline.dropped()).isEqualTo(15);
    }
  }

  @Test
  void refusesANullComponentNamingTheParameter() {
    try (Timeline timeline = Timeline.start(ticker)) {
      assertThatThrownBy(() -> timeline.attach(nullObject()))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("component must not be null");
      List<Object> withNull = new ArrayList<>();
      withNull.add(breaker("first"));
      withNull.add(null);
      assertThatThrownBy(() -> timeline.attachAll(withNull))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("component must not be null");
      assertThat(timeline.lanes()).containsExactly("first (circuit breaker)");
    }
  }

  @Test
  void refusesAnUnknownComponentTypeNamingItsClassAndTheTypesAccepted() {
    try (Timeline timeline = Timeline.start(ticker)) {
      assertThatThrownBy(() -> timeline.attach("inventory"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("component must be a Ballast CircuitBreaker, Bulkhead,")
          .hasMessageContaining("RateLimiter, was a java.lang.String: inventory");
      assertThat(timeline.lanes()).isEmpty();
    }
  }

  @Test
  void refusesTheSameComponentTwice() {
    CircuitBreaker breaker = breaker("inventory");
    try (Timeline timeline = Timeline.start(ticker)) {
      timeline.attach(breaker);
      assertThatThrownBy(() -> timeline.attach(breaker))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "component is attached already: a lane named 'inventory (circuit breaker)' exists");
    }
  }

  @Test
  void refusesMoreLanesThanItDraws() {
    try (Timeline timeline = Timeline.start(ticker)) {
      for (int i = 0; i < Timeline.MAX_LANES; i++) {
        timeline.lane("lane " + i);
      }
      assertThat(timeline.lane("lane 3").name()).isEqualTo("lane 3");
      assertThatThrownBy(() -> timeline.lane("one more"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("32 lanes already")
          .hasMessageContaining("'one more'");
    }
  }

  @Test
  void refusesBadSettingsAndBadEventsNamingTheParameterAndValue() {
    assertThatThrownBy(() -> Timeline.start(ticker, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEvents must be positive, was 0");
    try (Timeline timeline = Timeline.start(ticker)) {
      Lane lane = timeline.lane("calls");
      assertThatThrownBy(() -> timeline.lane(" "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("name must not be blank, was ' '");
      assertThatThrownBy(() -> lane.success(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("latency must not be negative, was PT-0.001S");
      assertThatThrownBy(() -> lane.retry(1, Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("attempt must be at least 2, was 1");
      assertThatThrownBy(() -> lane.level(-3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("level must not be negative, was -3");
      assertThatThrownBy(() -> lane.state(""))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("state must not be blank, was ''");
      assertThatThrownBy(() -> timeline.toSvg(nullString()))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("title must not be null");
      assertThat(timeline.events()).isEmpty();
    }
  }

  @SuppressWarnings("NullAway")
  private static Object nullObject() {
    return null;
  }

  @SuppressWarnings("NullAway")
  private static String nullString() {
    return null;
  }
}
