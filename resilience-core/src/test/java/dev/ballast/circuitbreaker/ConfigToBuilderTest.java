package dev.ballast.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.OutcomeClassifier;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

final class ConfigToBuilderTest {
  private static final TestTicker TICKER = new TestTicker();
  private static final OutcomeClassifier CLASSIFIER =
      OutcomeClassifier.builder().ignore(IllegalArgumentException.class).build();

  /** Every public accessor of a config, by name: what a breaker can read from it. */
  private static Map<String, Object> settings(CircuitBreakerConfig c) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Method m : CircuitBreakerConfig.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers())
          && !Modifier.isStatic(m.getModifiers())
          && m.getParameterCount() == 0
          && m.getReturnType() != CircuitBreakerConfig.Builder.class) {
        out.put(m.getName(), String.valueOf(m.invoke(c)));
      }
    }
    return out;
  }

  /** Configs to start from: the defaults, and ones that set or leave derived settings. */
  private static final Map<String, UnaryOperator<CircuitBreakerConfig.Builder>> BASES =
      Map.of(
          "defaults", b -> b,
          "every option",
              b ->
                  b.timeWindow(Duration.ofSeconds(30))
                      .failureRateThreshold(0.25)
                      .minimumCalls(7)
                      .slowCallDuration(Duration.ofMillis(300))
                      .slowCallRateThreshold(0.75)
                      .waitInOpen(Duration.ofSeconds(5))
                      .waitGrowth(2.0, Duration.ofMinutes(3))
                      .halfOpenProbes(4)
                      .halfOpenSuccesses(3)
                      .probeLease(Duration.ofSeconds(20))
                      .classifier(CLASSIFIER)
                      .ticker(TICKER)
                      .stackTraces(true),
          "derived left derived",
              b -> b.consecutiveFailures(3).halfOpenProbes(2).waitInOpen(Duration.ofSeconds(7)));

  /** One change each, of every option. */
  private static final Map<String, UnaryOperator<CircuitBreakerConfig.Builder>> CHANGES =
      Map.ofEntries(
          Map.entry("countWindow", b -> b.countWindow(50)),
          Map.entry("timeWindow", b -> b.timeWindow(Duration.ofMinutes(2))),
          Map.entry("consecutiveFailures", b -> b.consecutiveFailures(9)),
          Map.entry("leakyBucket", b -> b.leakyBucket(6, Duration.ofMillis(250))),
          Map.entry("failureRateThreshold", b -> b.failureRateThreshold(0.9)),
          Map.entry("minimumCalls", b -> b.minimumCalls(3)),
          Map.entry("slowCallDuration", b -> b.slowCallDuration(Duration.ofSeconds(2))),
          Map.entry("slowCallRateThreshold", b -> b.slowCallRateThreshold(0.5)),
          Map.entry("waitInOpen", b -> b.waitInOpen(Duration.ofMinutes(2))),
          Map.entry("waitGrowth", b -> b.waitGrowth(3.0, Duration.ofMinutes(10))),
          Map.entry("halfOpenProbes", b -> b.halfOpenProbes(5)),
          Map.entry("halfOpenSuccesses", b -> b.halfOpenSuccesses(1)),
          Map.entry("probeLease", b -> b.probeLease(Duration.ofSeconds(90))),
          Map.entry("classifier", b -> b.classifier(OutcomeClassifier.defaults())),
          Map.entry("ticker", b -> b.ticker(new TestTicker())),
          Map.entry("stackTraces", b -> b.stackTraces(false)));

  @Test
  void toBuilderThenBuildGivesAnEqualConfig() throws Exception {
    for (var base : BASES.entrySet()) {
      CircuitBreakerConfig x = base.getValue().apply(CircuitBreakerConfig.builder()).build();
      assertThat(settings(x.toBuilder().build())).as(base.getKey()).isEqualTo(settings(x));
    }
    assertThat(settings(CircuitBreakerConfig.defaults().toBuilder().build()))
        .isEqualTo(settings(CircuitBreakerConfig.defaults()));
  }

  @Test
  void changingOneOptionThroughToBuilderChangesWhatBuilderWould() throws Exception {
    for (var base : BASES.entrySet()) {
      for (var change : CHANGES.entrySet()) {
        UnaryOperator<CircuitBreakerConfig.Builder> recipe = base.getValue();
        UnaryOperator<CircuitBreakerConfig.Builder> step = change.getValue();
        // One ticker for both sides, so that the comparison sees the change and not two tickers.
        TestTicker shared = new TestTicker();
        UnaryOperator<CircuitBreakerConfig.Builder> apply =
            b -> change.getKey().equals("ticker") ? b.ticker(shared) : step.apply(b);
        CircuitBreakerConfig viaBuilder;
        try {
          viaBuilder = apply.apply(recipe.apply(CircuitBreakerConfig.builder())).build();
        } catch (IllegalArgumentException e) {
          CircuitBreakerConfig.Builder copy =
              recipe.apply(CircuitBreakerConfig.builder()).build().toBuilder();
          assertThatThrownBy(() -> apply.apply(copy).build())
              .as("%s then %s", base.getKey(), change.getKey())
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessage(e.getMessage());
          continue;
        } catch (IllegalStateException e) {
          // A second trip rule on one builder is refused, while a builder from toBuilder() may
          // change it: ConflictingSettingsTest pins both.
          assertThat(e).hasMessageStartingWith("trip rule was already set to");
          continue;
        }
        CircuitBreakerConfig viaToBuilder =
            apply.apply(recipe.apply(CircuitBreakerConfig.builder()).build().toBuilder()).build();
        assertThat(settings(viaToBuilder))
            .as("%s then %s", base.getKey(), change.getKey())
            .isEqualTo(settings(viaBuilder));
      }
    }
  }

  @Test
  void aDerivedWaitStaysDerivedThroughToBuilder() {
    CircuitBreakerConfig c =
        CircuitBreakerConfig.defaults().toBuilder().waitInOpen(Duration.ofMinutes(2)).build();
    assertThat(c.waitInOpen()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.maxWaitInOpen()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void derivedSuccessesStayDerivedThroughToBuilder() {
    TestTicker ticker = new TestTicker();
    CircuitBreakerConfig c =
        CircuitBreakerConfig.defaults().toBuilder()
            .ticker(ticker)
            .consecutiveFailures(1)
            .waitInOpen(Duration.ofSeconds(1))
            .halfOpenProbes(5)
            .build();
    assertThat(c.halfOpenSuccesses()).isEqualTo(5);
    CircuitBreaker b = CircuitBreaker.of("derived", c);
    Breakers.fail(b, 1);
    ticker.advance(Duration.ofSeconds(1));
    long[] probes = new long[5];
    for (int i = 0; i < 5; i++) {
      probes[i] = b.acquire();
    }
    for (int i = 0; i < 4; i++) {
      b.onResult(probes[i], "ok");
      assertThat(b.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    }
    b.onResult(probes[4], "ok");
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void aSchedulerSetsTheTimeSource() {
    TestTicker ticker = new TestTicker();
    TestScheduler scheduler = new TestScheduler(ticker);
    CircuitBreakerConfig c =
        CircuitBreakerConfig.builder()
            .scheduler(scheduler)
            .consecutiveFailures(1)
            .waitInOpen(Duration.ofSeconds(30))
            .build();
    assertThat(c.ticker()).isSameAs(ticker);
    CircuitBreaker b = CircuitBreaker.of("virtual", c);
    Breakers.fail(b, 1);
    assertThat(b.stats().timeUntilProbe()).isEqualTo(Duration.ofSeconds(30));
    ticker.advance(Duration.ofSeconds(30)); // virtual time: nobody sleeps
    Breakers.succeed(b, 1);
    assertThat(b.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void aNullSchedulerIsRefusedByName() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().scheduler(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("scheduler must not be null");
  }
}
