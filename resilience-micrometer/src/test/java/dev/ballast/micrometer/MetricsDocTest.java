package dev.ballast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the tables in {@code docs/metrics.md} equal to the meters the binders register: name, type,
 * base unit and tags. One table per binder and naming style, under a {@code ## Pattern} heading and
 * a {@code ### Style names} heading; every table in the file is checked.
 */
final class MetricsDocTest {
  /** Tags whose value depends on the component or on events; the table gives their key only. */
  private static final Set<String> FREE_VALUED = Set.of("name", "from", "to");

  private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

  static Stream<BinderCase> binders() {
    return BinderCase.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("binders")
  void tableListsEveryMeter(BinderCase binderCase) throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    binderCase.binder(Tags.empty()).bindTo(registry);
    binderCase.exercise(); // registers the lazy meters too

    assertThat(documented().getOrDefault(binderCase.docTable(), Set.of()))
        .as(
            "rows of '%s' in docs/metrics.md (actual) against the registered meters",
            binderCase.docTable())
        .isEqualTo(lines(registry));
  }

  @Test
  void everyTableInTheDocIsChecked() throws IOException {
    assertThat(documented().keySet())
        .containsExactlyInAnyOrderElementsOf(
            BinderCase.all().stream().map(BinderCase::docTable).collect(Collectors.toList()));
  }

  /** One canonical line per meter in the registry. */
  private static Set<String> lines(MeterRegistry registry) {
    Set<String> lines = new TreeSet<>();
    for (Meter meter : registry.getMeters()) {
      Meter.Id id = meter.getId();
      List<String> tags = new ArrayList<>();
      for (Tag tag : id.getTagsAsIterable()) {
        tags.add(
            FREE_VALUED.contains(tag.getKey())
                ? tag.getKey()
                : tag.getKey() + "=" + tag.getValue());
      }
      String unit = id.getBaseUnit() == null ? "none" : id.getBaseUnit();
      lines.add(line(id.getName(), id.getType().name().toLowerCase(Locale.ROOT), unit, tags));
    }
    return lines;
  }

  /** The rows of every table, one canonical line per meter, by the headings above the table. */
  private static Map<String, Set<String>> documented() throws IOException {
    Map<String, Set<String>> tables = new TreeMap<>();
    String pattern = "";
    String style = "";
    boolean inMeterTable = false;
    for (String row : Files.readAllLines(metricsDoc(), StandardCharsets.UTF_8)) {
      if (row.startsWith("## ")) {
        pattern = row.substring(3).trim();
        style = "";
      } else if (row.startsWith("### ")) {
        style = row.substring(4).trim();
      }
      // A meter table starts at its header row and ends at the first line that is not a row.
      inMeterTable = row.startsWith("| Meter |") || (inMeterTable && row.startsWith("|"));
      if (!inMeterTable || !row.startsWith("| `")) {
        continue;
      }
      Set<String> lines = tables.computeIfAbsent(pattern + " / " + style, k -> new TreeSet<>());
      String[] cells = row.split("\\|", -1);
      // cells[0] is empty: the row starts with '|'.
      String name = unquote(cells[1]);
      String type = cells[2].trim();
      String unit = cells[3].trim();
      List<List<String>> choices = new ArrayList<>();
      Matcher m = BACKTICKED.matcher(cells[4]);
      while (m.find()) {
        String tag = m.group(1);
        int eq = tag.indexOf('=');
        List<String> variants = new ArrayList<>();
        if (eq < 0) {
          variants.add(tag);
        } else {
          for (String value : tag.substring(eq + 1).split("/", -1)) {
            variants.add(tag.substring(0, eq) + "=" + value);
          }
        }
        choices.add(variants);
      }
      for (List<String> tags : product(choices)) {
        lines.add(line(name, type, unit, tags));
      }
    }
    return tables;
  }

  private static String line(String name, String type, String unit, List<String> tags) {
    return name + " " + type + " " + unit + " " + new TreeSet<>(tags);
  }

  private static List<List<String>> product(List<List<String>> choices) {
    List<List<String>> result = new ArrayList<>();
    result.add(List.of());
    for (List<String> variants : choices) {
      List<List<String>> next = new ArrayList<>();
      for (List<String> partial : result) {
        for (String variant : variants) {
          List<String> extended = new ArrayList<>(partial);
          extended.add(variant);
          next.add(extended);
        }
      }
      result = next;
    }
    return result;
  }

  private static String unquote(String cell) {
    String trimmed = cell.trim();
    Matcher m = BACKTICKED.matcher(trimmed);
    return m.matches() ? m.group(1) : trimmed;
  }

  /** {@code docs/metrics.md} at the top of the checkout, found from the working directory up. */
  private static Path metricsDoc() {
    Path dir = Paths.get("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      Path candidate = d.resolve("docs").resolve("metrics.md");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("docs/metrics.md not found above " + dir);
  }
}
