package dev.ballast.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.circuitbreaker.CircuitBreaker;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

final class HealthJsonTest {
  private static final String NASTY =
      "q\"uote \\back\\slash\n\r\t\b\f \u0000\u001f\u007f é 日本 😀 \u2028\u2029 </script> \ud800!";

  @SuppressWarnings("unchecked")
  private static Map<String, @Nullable Object> object(@Nullable Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, @Nullable Object>) Objects.requireNonNull(o);
  }

  @SuppressWarnings("unchecked")
  private static List<@Nullable Object> array(@Nullable Object o) {
    assertThat(o).isInstanceOf(List.class);
    return (List<@Nullable Object>) Objects.requireNonNull(o);
  }

  @Test
  void oneBulkheadIsWrittenExactlyThus() {
    HealthSnapshot s =
        HealthSnapshot.of(List.of(Bulkhead.ofDefaults("db")), HealthSnapshotTest.CLOCK);
    assertThat(s.toJson())
        .isEqualTo(
            """
            {
              "status": "UP",
              "live": true,
              "ready": true,
              "takenAt": "2026-12-06T09:00:00Z",
              "components": [
                {
                  "pattern": "bulkhead",
                  "name": "db",
                  "status": "UP",
                  "state": "AVAILABLE",
                  "figures": {
                    "inFlight": 0,
                    "maxConcurrentCalls": 25,
                    "waiting": 0,
                    "calls": 0,
                    "rejections": 0
                  }
                }
              ]
            }
            """);
  }

  @Test
  void noComponentsIsAnEmptyArray() {
    assertThat(HealthSnapshot.of(List.of(), HealthSnapshotTest.CLOCK).toJson())
        .isEqualTo(
            """
            {
              "status": "UP",
              "live": true,
              "ready": true,
              "takenAt": "2026-12-06T09:00:00Z",
              "components": []
            }
            """);
  }

  @Test
  void theJsonReadsBackAsTheSnapshotKeyForKeyInAFixedOrder() {
    HealthSnapshot s = Scenario.snapshot();
    Map<String, @Nullable Object> root = object(MiniJson.parse(s.toJson()));
    assertThat(root.keySet()).containsExactly("status", "live", "ready", "takenAt", "components");
    assertThat(root)
        .containsEntry("status", "OVERLOADED")
        .containsEntry("live", true)
        .containsEntry("ready", false)
        .containsEntry("takenAt", "2026-12-06T09:00:00Z");
    List<@Nullable Object> components = array(root.get("components"));
    assertThat(components).hasSameSizeAs(s.components());
    for (int i = 0; i < components.size(); i++) {
      ComponentHealth expected = s.components().get(i);
      Map<String, @Nullable Object> c = object(components.get(i));
      assertThat(c.keySet()).containsExactly("pattern", "name", "status", "state", "figures");
      assertThat(c)
          .containsEntry("pattern", expected.pattern())
          .containsEntry("name", expected.name())
          .containsEntry("status", expected.status().name())
          .containsEntry("state", expected.state());
      Map<String, @Nullable Object> figures = object(c.get("figures"));
      assertThat(figures.keySet()).containsExactlyElementsOf(expected.figures().keySet());
      expected
          .figures()
          .forEach(
              (key, value) ->
                  assertThat((BigDecimal) figures.get(key))
                      .as(expected.name() + " " + key)
                      .isEqualByComparingTo(new BigDecimal(value.toString())));
    }
  }

  @Test
  void aNameWithQuotesBackslashesControlCharactersAndUnicodeReadsBackAsItWas() {
    String json =
        HealthSnapshot.of(List.of(CircuitBreaker.ofDefaults(NASTY)), HealthSnapshotTest.CLOCK)
            .toJson();
    Map<String, @Nullable Object> c =
        object(array(object(MiniJson.parse(json)).get("components")).get(0));
    assertThat(c.get("name")).isEqualTo(NASTY);
    String line = json.lines().filter(l -> l.contains("\"name\"")).findFirst().orElseThrow();
    assertThat(line)
        .isEqualTo(
            "      \"name\": \"q\\\"uote \\\\back\\\\slash\\n\\r\\t\\b\\f \\u0000\\u001f\u007f é 日本"
                + " 😀 \\u2028\\u2029 </script> \\ud800!\",");
  }

  @Test
  void aFigureWithNoValueIsNull() {
    String json =
        HealthSnapshot.of(
                List.of(CircuitBreaker.ofDefaults("never-tripped")), HealthSnapshotTest.CLOCK)
            .toJson();
    Map<String, @Nullable Object> figures =
        object(object(array(object(MiniJson.parse(json)).get("components")).get(0)).get("figures"));
    assertThat(figures)
        .containsEntry("lastTripFailureRate", null)
        .containsEntry("lastTripSlowCallRate", null)
        .containsEntry("lastTripAgeMillis", null);
    for (double notFinite :
        new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      StringBuilder out = new StringBuilder();
      Json.number(out, notFinite);
      assertThat(out).hasToString("null");
    }
    StringBuilder tiny = new StringBuilder();
    Json.number(tiny, 1e-7);
    assertThat(MiniJson.parse(tiny.toString())).isEqualTo(new BigDecimal("1.0E-7"));
  }

  @Test
  void theTestReaderRefusesWhatIsNotJson() {
    assertThatIllegalArgumentException().isThrownBy(() -> MiniJson.parse("{\"a\": NaN}"));
    assertThatIllegalArgumentException().isThrownBy(() -> MiniJson.parse("\"raw\nline\""));
    assertThatIllegalArgumentException().isThrownBy(() -> MiniJson.parse("{\"a\": 1,}"));
    assertThatIllegalArgumentException().isThrownBy(() -> MiniJson.parse("{} {}"));
    assertThatIllegalArgumentException().isThrownBy(() -> MiniJson.parse("{\"a\":1,\"a\":2}"));
  }
}
