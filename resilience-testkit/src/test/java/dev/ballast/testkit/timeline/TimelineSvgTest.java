package dev.ballast.testkit.timeline;

import static dev.ballast.testkit.timeline.SvgDocument.expectedX;
import static dev.ballast.testkit.timeline.SvgDocument.nanos;
import static dev.ballast.testkit.timeline.SvgDocument.number;
import static dev.ballast.testkit.timeline.SvgDocument.withClass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ballast.Gate;
import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadConfig;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerOpenException;
import dev.ballast.retry.Backoff;
import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryConfig;
import dev.ballast.testkit.ManualScheduler;
import dev.ballast.testkit.ManualTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The picture's structure and times, read back with the JDK's XML parser. */
final class TimelineSvgTest {
  private static final long SECOND = 1_000_000_000L;
  private static final String BREAKER_LANE = "inventory (circuit breaker)";

  private final ManualTicker ticker = new ManualTicker(-5 * SECOND);

  /** Three failures a second apart open it at 3 s; the probe at 13 s takes 300 ms and closes it. */
  private static CircuitBreaker breakerScenario(Timeline timeline, ManualTicker ticker)
      throws Exception {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "inventory",
            CircuitBreakerConfig.builder()
                .consecutiveFailures(3)
                .waitInOpen(Duration.ofSeconds(10))
                .ticker(ticker)
                .build());
    timeline.attach(breaker);
    for (int i = 0; i < 3; i++) {
      ticker.advance(Duration.ofMillis(900));
      try {
        breaker.call(
            () -> {
              ticker.advance(Duration.ofMillis(100));
              throw new IOException("refused");
            });
      } catch (IOException expected) {
        // the failure the scenario scripts
      }
    }
    for (int i = 0; i < 2; i++) {
      ticker.advance(Duration.ofSeconds(2));
      assertThatThrownBy(() -> breaker.call(() -> "never"))
          .isInstanceOf(CircuitBreakerOpenException.class);
    }
    ticker.advance(Duration.ofSeconds(6));
    breaker.call(
        () -> {
          ticker.advance(Duration.ofMillis(300));
          return "42";
        });
    ticker.advance(Duration.ofMillis(6700));
    return breaker;
  }

  @Test
  void drawsOneBandPerStatePeriodAtTheXOfItsTimes() throws Exception {
    try (Timeline timeline = Timeline.start(ticker)) {
      breakerScenario(timeline, ticker);
      SvgDocument svg = SvgDocument.parse(timeline.toSvg("inventory's breaker"));

      long end = nanos(svg.root(), "data-end-ns");
      assertThat(end).isEqualTo(20 * SECOND);
      List<Element> bands = withClass(svg.lane(BREAKER_LANE), "rect", "band");
      assertThat(bands)
          .extracting(b -> b.getAttribute("data-state"))
          .containsExactly("CLOSED", "OPEN", "HALF_OPEN", "CLOSED");
      long[][] periods = {
        {0, 3 * SECOND},
        {3 * SECOND, 13 * SECOND},
        {13 * SECOND, 13_300_000_000L},
        {13_300_000_000L, end}
      };
      for (int i = 0; i < bands.size(); i++) {
        Element band = bands.get(i);
        assertThat(nanos(band, "data-from-ns")).isEqualTo(periods[i][0]);
        assertThat(nanos(band, "data-to-ns")).isEqualTo(periods[i][1]);
        assertThat(number(band, "x")).isCloseTo(expectedX(periods[i][0], end), within(0.051));
        assertThat(number(band, "x") + number(band, "width"))
            .isCloseTo(expectedX(periods[i][1], end), within(0.11));
      }
    }
  }

  @Test
  void drawsATickPerOutcomeAndAMarkPerRejection() throws Exception {
    try (Timeline timeline = Timeline.start(ticker)) {
      CircuitBreaker breaker = breakerScenario(timeline, ticker);
      SvgDocument svg = SvgDocument.parse(timeline.toSvg(""));
      Element lane = svg.lane(BREAKER_LANE);

      List<Element> ticks = withClass(lane, "line", "tick");
      assertThat(ticks).hasSize(4);
      assertThat(withClass(lane, "line", "failure")).hasSize(3);
      assertThat(withClass(lane, "line", "success")).hasSize(1);
      assertThat(ticks)
          .extracting(t -> nanos(t, "data-at-ns"))
          .containsExactly(SECOND, 2 * SECOND, 3 * SECOND, 13_300_000_000L);
      assertThat(ticks)
          .extracting(t -> nanos(t, "data-latency-ns"))
          .containsExactlyElementsOf(
              timeline.events().stream()
                  .filter(
                      e ->
                          e.kind() == TimelineEvent.Kind.SUCCESS
                              || e.kind() == TimelineEvent.Kind.FAILURE)
                  .map(TimelineEvent::durationNanos)
                  .collect(Collectors.toList()))
          .startsWith(100_000_000L, 100_000_000L, 100_000_000L);
      for (Element tick : ticks) {
        assertThat(number(tick, "x1"))
            .isCloseTo(expectedX(nanos(tick, "data-at-ns"), 20 * SECOND), within(0.051));
      }
      List<Element> rejections = withClass(lane, "path", "rejection");
      assertThat(rejections).hasSize((int) breaker.stats().rejections()).hasSize(2);
      assertThat(rejections)
          .allSatisfy(r -> assertThat(r.getAttribute("data-why")).isEqualTo("breaker OPEN"));
      Element latency = withClass(lane, "polyline", "latency").get(0);
      assertThat(latency.getAttribute("data-points")).isEqualTo("4");
      // A probe's permit is unique, so its latency may read a nanosecond short (CircuitBreaker's
      // "Probes" note).
      assertThat(nanos(latency, "data-max-ns")).isBetween(299_999_999L, 300_000_000L);
    }
  }

  @Test
  void drawsATimeAxisOfRoundStepsFromZeroToTheEnd() throws Exception {
    try (Timeline timeline = Timeline.start(ticker)) {
      timeline.lane("scenario").state("healthy");
      ticker.advance(Duration.ofSeconds(20));
      SvgDocument svg = SvgDocument.parse(timeline.toSvg(""));

      List<Element> labels = withClass(svg.root(), "text", "axis-label");
      assertThat(labels)
          .extracting(Element::getTextContent)
          .containsExactly(
              "0", "2 s", "4 s", "6 s", "8 s", "10 s", "12 s", "14 s", "16 s", "18 s", "20 s");
      assertThat(number(labels.get(10), "x")).isEqualTo(SvgFrame.PLOT_LEFT + SvgFrame.PLOT_WIDTH);
    }
  }

  @Test
  void drawsEachRetryWithItsBackOff() throws Exception {
    ManualScheduler scheduler = new ManualScheduler(ticker);
    Retry retry =
        Retry.of(
            "prices",
            RetryConfig.builder()
                .maxAttempts(4)
                .backoff(Backoff.exponential(Duration.ofMillis(100), 2))
                .scheduler(scheduler)
                .build());
    try (Timeline timeline = Timeline.start(ticker)) {
      timeline.attach(retry);
      AtomicInteger attempts = new AtomicInteger();
      String answer =
          retry.call(
              () -> {
                if (attempts.incrementAndGet() < 4) {
                  throw new IOException("busy");
                }
                return "ok";
              });
      assertThat(answer).isEqualTo("ok");
      SvgDocument svg = SvgDocument.parse(timeline.toSvg(""));

      List<Element> retries = withClass(svg.lane("prices (retry)"), "circle", "retry");
      assertThat(retries)
          .extracting(r -> r.getAttribute("data-attempt"))
          .containsExactly("2", "3", "4");
      assertThat(retries)
          .extracting(r -> nanos(r, "data-delay-ns"))
          .containsExactly(100_000_000L, 200_000_000L, 400_000_000L);
      assertThat(retries)
          .extracting(r -> nanos(r, "data-at-ns"))
          .containsExactly(0L, 100_000_000L, 300_000_000L);
      List<Element> backoffs = withClass(svg.lane("prices (retry)"), "line", "backoff");
      assertThat(number(backoffs.get(2), "x2")).isEqualTo(SvgFrame.PLOT_LEFT + SvgFrame.PLOT_WIDTH);
    }
  }

  @Test
  void drawsABulkheadsLimitAndLevelAsStepLines() throws Exception {
    Bulkhead bulkhead =
        Bulkhead.of(
            "reports", BulkheadConfig.builder().maxConcurrentCalls(2).ticker(ticker).build());
    try (Timeline timeline = Timeline.start(ticker)) {
      timeline.attach(bulkhead);
      long first = bulkhead.tryAcquire();
      ticker.advance(Duration.ofSeconds(1));
      timeline.sample();
      long second = bulkhead.tryAcquire();
      ticker.advance(Duration.ofSeconds(1));
      timeline.sample();
      assertThat(bulkhead.tryAcquire()).isEqualTo(Gate.REFUSED);
      bulkhead.changeMaxConcurrentCalls(3);
      bulkhead.release(second);
      bulkhead.release(first);
      ticker.advance(Duration.ofSeconds(1));
      timeline.sample();
      SvgDocument svg = SvgDocument.parse(timeline.toSvg(""));
      Element lane = svg.lane("reports (bulkhead)");

      assertThat(withClass(lane, "polyline", "limit").get(0).getAttribute("data-points"))
          .isEqualTo("2");
      assertThat(withClass(lane, "polyline", "level").get(0).getAttribute("data-points"))
          .isEqualTo("4");
      assertThat(withClass(lane, "path", "rejection")).hasSize(1);
      assertThat(
              timeline.events().stream()
                  .filter(e -> e.kind() == TimelineEvent.Kind.LEVEL)
                  .map(TimelineEvent::value)
                  .collect(Collectors.toList()))
          .containsExactly(0L, 1L, 2L, 0L);
    }
  }

  @Test
  void drawsTheSamePictureFromTheSameScenario() throws Exception {
    String first;
    try (Timeline timeline = Timeline.start(ticker)) {
      breakerScenario(timeline, ticker);
      first = timeline.toSvg("inventory");
    }
    ManualTicker again = new ManualTicker(123);
    try (Timeline timeline = Timeline.start(again)) {
      breakerScenario(timeline, again);
      assertThat(timeline.toSvg("inventory")).isEqualTo(first);
    }
  }

  @Test
  void escapesNamesAndLabelsSoThePictureStillParses() throws Exception {
    try (Timeline timeline = Timeline.start(ticker)) {
      Lane lane = timeline.lane("a <lane> & \"its\" 'quotes'");
      lane.state("<state>");
      lane.mark("bell \u0007 and ]]> and \uD800 lone surrogate, \uD83D\uDE00 pair");
      ticker.advance(Duration.ofSeconds(1));
      String text = timeline.toSvg("title & <more>");
      SvgDocument svg = SvgDocument.parse(text);

      assertThat(svg.lanes()).hasSize(1);
      assertThat(svg.lanes().get(0).getAttribute("data-lane"))
          .isEqualTo("a <lane> & \"its\" 'quotes'");
      assertThat(withClass(svg.root(), "text", "mark-label").get(0).getTextContent())
          .isEqualTo("bell \uFFFD and ]]> and \uFFFD lone surrogate, \uD83D\uDE00 pair");
      assertThat(text).doesNotContain("<lane>");
    }
  }

  @Test
  void labelsAMarkOnlyWhereTheLanesPreviousLabelEndedAndKeepsEveryLabelInItsData()
      throws Exception {
    try (Timeline timeline = Timeline.start(ticker)) {
      Lane lane = timeline.lane("governor");
      String[] labels = {"delayed scale-down", "too close", "also too close", "far enough"};
      long[] atMillis = {0, 200, 900, 4000};
      long now = 0;
      for (int i = 0; i < labels.length; i++) {
        ticker.advance(Duration.ofMillis(atMillis[i] - now));
        now = atMillis[i];
        lane.mark(labels[i]);
      }
      ticker.advance(Duration.ofSeconds(6));
      SvgDocument svg = SvgDocument.parse(timeline.toSvg(""));
      Element drawn = svg.lane("governor");

      List<Element> marks = withClass(drawn, "line", "mark");
      assertThat(marks).extracting(m -> m.getAttribute("data-label")).containsExactly(labels);
      assertThat(marks)
          .extracting(m -> nanos(m, "data-at-ns"))
          .containsExactly(0L, 200_000_000L, 900_000_000L, 4 * SECOND);
      // 860 px for 10 s: "delayed scale-down" (18 characters) runs 123 px, past 0.9 s (77 px).
      assertThat(withClass(drawn, "text", "mark-label"))
          .extracting(Element::getTextContent)
          .containsExactly("delayed scale-down", "far enough");
    }
  }

  @Test
  void saysHowManyEventsItDropped() throws Exception {
    try (Timeline timeline = Timeline.start(ticker, 3)) {
      Lane lane = timeline.lane("calls");
      for (int i = 0; i < 5; i++) {
        lane.success(Duration.ofMillis(i));
      }
      SvgDocument svg = SvgDocument.parse(timeline.toSvg(""));

      assertThat(svg.root().getAttribute("data-dropped")).isEqualTo("2");
      assertThat(withClass(svg.root(), "text", "dropped").get(0).getTextContent())
          .isEqualTo("2 events dropped: the timeline keeps 3");
      assertThat(withClass(svg.lane("calls"), "line", "tick")).hasSize(3);
    }
  }

  @Test
  void drawsAnEmptyTimelineWithoutDividingByZero() throws Exception {
    try (Timeline timeline = Timeline.start(ticker)) {
      SvgDocument svg = SvgDocument.parse(timeline.toSvg(""));
      assertThat(svg.lanes()).isEmpty();
      assertThat(svg.root().getAttribute("data-end-ns")).isEqualTo("1");
    }
  }
}
