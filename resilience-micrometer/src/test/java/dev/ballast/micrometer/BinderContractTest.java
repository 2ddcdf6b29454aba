package dev.ballast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every binder does alike (the {@link Binder} they share), checked for each of them. */
final class BinderContractTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  static Stream<BinderCase> binders() {
    return BinderCase.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("binders")
  void closeRemovesEveryMeterFromEveryRegistryAndStopsListening(BinderCase binderCase) {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    Binder binder = binderCase.binder(Tags.empty());
    binder.bindTo(registry);
    binder.bindTo(other);
    binderCase.exercise(); // registers lazy meters too

    binder.close();

    assertThat(registry.getMeters()).isEmpty();
    assertThat(other.getMeters()).isEmpty();
    binderCase.exercise(); // the listener is gone: nothing is registered again
    assertThat(registry.getMeters()).isEmpty();
    binder.close(); // idempotent
    assertThatThrownBy(() -> binder.bindTo(registry))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(binder.toString())
        .hasMessageContaining("closed");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("binders")
  void feedsEveryRegistryOnceHoweverOftenItIsBound(BinderCase binderCase) {
    SimpleMeterRegistry twice = new SimpleMeterRegistry();
    Binder binder = binderCase.binder(Tags.empty());
    binder.bindTo(registry);
    binder.bindTo(twice);
    int meters = twice.getMeters().size();
    binder.bindTo(twice);
    assertThat(twice.getMeters()).hasSize(meters);

    binderCase.exercise();

    assertThat(measurements(twice)).isEqualTo(measurements(registry)).isNotEmpty();
    assertThat(measurements(registry).values())
        .as("some meter counted the events")
        .anySatisfy(value -> assertThat(value).isPositive());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("binders")
  void putsExtraTagsAndTheNameOnEveryMeter(BinderCase binderCase) {
    binderCase.binder(Tags.of("region", "eu", "team", "stock")).bindTo(registry);
    binderCase.exercise();

    assertThat(registry.getMeters())
        .isNotEmpty()
        .allSatisfy(
            meter ->
                assertThat(meter.getId().getTags())
                    .contains(
                        Tag.of("name", binderCase.componentName()),
                        Tag.of("region", "eu"),
                        Tag.of("team", "stock")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("binders")
  void refusesEveryTagKeyItSetsItself(BinderCase binderCase) {
    binderCase.binder(Tags.empty()).bindTo(registry);
    binderCase.exercise();
    Set<String> keysSet =
        registry.getMeters().stream()
            .flatMap(meter -> meter.getId().getTags().stream())
            .map(Tag::getKey)
            .collect(Collectors.toSet());

    assertThat(binderCase.reservedKeys()).containsAll(keysSet);
    for (String key : binderCase.reservedKeys()) {
      assertThatThrownBy(() -> binderCase.binder(Tags.of(key, "x")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(binderCase.binderName())
          .hasMessageContaining(key);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("binders")
  void givesEveryMeterADescriptionAndOneSetOfTagKeysPerName(BinderCase binderCase) {
    binderCase.binder(Tags.empty()).bindTo(registry);
    binderCase.exercise();

    Map<String, Set<String>> keysByName = new HashMap<>();
    for (Meter meter : registry.getMeters()) {
      Meter.Id id = meter.getId();
      assertThat(id.getName()).startsWith(binderCase.prefix());
      assertThat(id.getDescription()).as(id.toString()).isNotBlank();
      if (binderCase.prefix().startsWith("ballast.")) {
        assertThat(id.getBaseUnit()).as(id.toString()).isNotBlank();
      }
      // Prometheus wants the same tag keys on every meter of one name.
      Set<String> keys = id.getTags().stream().map(Tag::getKey).collect(Collectors.toSet());
      assertThat(keysByName.computeIfAbsent(id.getName(), n -> keys))
          .as(id.toString())
          .isEqualTo(keys);
    }
  }

  /** Every measurement of every meter, by meter id and statistic. */
  private static Map<String, Double> measurements(MeterRegistry registry) {
    Map<String, Double> values = new TreeMap<>();
    for (Meter meter : registry.getMeters()) {
      List<Measurement> measured = new ArrayList<>();
      meter.measure().forEach(measured::add);
      for (Measurement m : measured) {
        values.put(meter.getId() + " " + m.getStatistic(), m.getValue());
      }
    }
    return values;
  }
}
