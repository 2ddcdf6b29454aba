package dev.ballast.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ValuesTest {

  @Test
  void readsDurationsInHumanAndIsoForms() {
    assertThat(Values.duration("250ns")).isEqualTo(Duration.ofNanos(250));
    assertThat(Values.duration("250us")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(Values.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Values.duration(" 30s ")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Values.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Values.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Values.duration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Values.duration("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Values.duration("PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Values.duration("pt1m30s")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void refusesADurationWithoutUnitOrOfNoKnownForm() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Values.duration("500"))
        .withMessageContaining("not a duration: '500'")
        .withMessageContaining("500ms");
    assertThatIllegalArgumentException().isThrownBy(() -> Values.duration("5 weeks"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Values.duration("PT"))
        .withMessageContaining("ISO-8601");
    assertThatIllegalArgumentException().isThrownBy(() -> Values.duration("0.5ns"));
  }

  @Test
  void readsNumbersBooleansAndListsStrictly() {
    assertThat(Values.integer(" 42 ")).isEqualTo(42);
    assertThat(Values.decimal("0.5")).isEqualTo(0.5);
    assertThat(Values.bool("TRUE")).isTrue();
    assertThat(Values.parts("1, 2 ,3", 3, 3, "a, b, c")).containsExactly("1", "2", "3");
    assertThatIllegalArgumentException().isThrownBy(() -> Values.integer("4.0"));
    assertThatIllegalArgumentException().isThrownBy(() -> Values.decimal("NaN"));
    assertThatIllegalArgumentException().isThrownBy(() -> Values.decimal("1d"));
    assertThatIllegalArgumentException().isThrownBy(() -> Values.bool("yes"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Values.parts("1,,3", 3, 3, "a, b, c"))
        .withMessageContaining("expected a, b, c");
  }

  @Test
  void findsTheClosestNameByEditDistance() {
    assertThat(Values.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Values.closest("treshold", List.of("threshold", "window"))).isEqualTo("threshold");
    assertThat(Values.closest("x", List.of())).isNull();
    assertThat(Values.didYouMean("x", List.of())).isEmpty();
  }
}
