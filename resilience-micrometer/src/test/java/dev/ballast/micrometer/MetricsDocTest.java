package dev.ballast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the tables in {@code docs/metrics.md} equal to the meters the binders register: name, type,
 * base unit, tags, and the series a Prometheus server scrapes. One table per binder and naming
 * style, under a {@code ## Pattern} heading and a {@code ### Style names} heading; every table in
 * the file is checked. Also checks that every series of one meter name shares one description,
 * which Prometheus shows as the family's HELP line.
 */
final class MetricsDocTest {
  /** Tags whose value depends on the component or on events; the table gives their key only. */
  private static final Set<String> FREE_VALUED = Set.of("name", "from", "to");

  private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
  private static final Pattern HELP = Pattern.compile("^# HELP (\\S+) (.*)$");

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

  /**
   * Prometheus takes a family's HELP text from the first series it meets, so every series of one
   * meter name must carry the same description (and the same type and unit), or the HELP line
   * depends on registration order and describes one outcome only.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("binders")
  void everySeriesOfAMeterNameHasTheSameDescriptionTypeAndUnit(BinderCase binderCase) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    binderCase.binder(Tags.empty()).bindTo(registry);
    binderCase.exercise();

    Map<String, Set<String>> byName = new TreeMap<>();
    for (Meter meter : registry.getMeters()) {
      Meter.Id id = meter.getId();
      byName
          .computeIfAbsent(id.getName(), k -> new TreeSet<>())
          .add(id.getType() + " " + id.getBaseUnit() + " " + id.getDescription());
    }
    assertThat(byName).isNotEmpty();
    assertThat(byName)
        .allSatisfy(
            (name, variants) ->
                assertThat(variants).as("type, unit and description of %s", name).hasSize(1));
  }

  /**
   * What a Prometheus server scrapes: for every meter name, the series in the doc's Prometheus
   * column, and one HELP line per family, the meter's one description.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("binders")
  void prometheusColumnListsTheSeriesAsScrapedWithTheMetersDescription(BinderCase binderCase)
      throws IOException {
    SimpleMeterRegistry simple = new SimpleMeterRegistry();
    Binder binder = binderCase.binder(Tags.empty());
    binder.bindTo(simple);
    binderCase.exercise();
    Map<String, String> descriptions = new TreeMap<>();
    for (Meter meter : simple.getMeters()) {
      descriptions.put(meter.getId().getName(), String.valueOf(meter.getId().getDescription()));
    }
    // One Prometheus registry per meter name, so that each scrape holds that name's series only.
    Map<String, PrometheusMeterRegistry> byName = new TreeMap<>();
    for (String name : descriptions.keySet()) {
      PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      prometheus.config().meterFilter(MeterFilter.denyUnless(id -> id.getName().equals(name)));
      byName.put(name, prometheus);
    }
    Binder scraped = binderCase.binder(Tags.empty());
    byName.values().forEach(scraped::bindTo);
    binderCase.exercise();

    Map<String, Set<String>> series = new TreeMap<>();
    for (Map.Entry<String, PrometheusMeterRegistry> e : byName.entrySet()) {
      Set<String> names = new TreeSet<>();
      for (String line : e.getValue().scrape().split("\n", -1)) {
        Matcher help = HELP.matcher(line);
        if (help.matches()) {
          assertThat(help.group(2))
              .as("HELP of %s", help.group(1))
              .isEqualTo(descriptions.get(e.getKey()));
        } else if (!line.isEmpty() && !line.startsWith("#")) {
          names.add(line.replaceAll("[{ ].*", ""));
        }
      }
      series.put(e.getKey(), names);
    }

    assertThat(documentedSeries().getOrDefault(binderCase.docTable(), Map.of()))
        .as("Prometheus column of '%s' in docs/metrics.md (actual) against a scrape")
        .isEqualTo(series);
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
    for (DocRow row : docRows()) {
      Set<String> lines = tables.computeIfAbsent(row.table, k -> new TreeSet<>());
      List<List<String>> choices = new ArrayList<>();
      Matcher m = BACKTICKED.matcher(row.cell("Tags"));
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
      String name = unquote(row.cell("Meter"));
      String type = row.cell("Type");
      String unit = row.cell("Base unit");
      for (List<String> tags : product(choices)) {
        lines.add(line(name, type, unit, tags));
      }
    }
    return tables;
  }

  /**
   * The Prometheus column of every table: by table, by meter name, the series names. A cell lists
   * full names, or a full name followed by suffixes ({@code `x_seconds_count`, `_sum`, `_max`}),
   * each of which replaces the last {@code _part} of the full name.
   */
  private static Map<String, Map<String, Set<String>>> documentedSeries() throws IOException {
    Map<String, Map<String, Set<String>>> tables = new TreeMap<>();
    for (DocRow row : docRows()) {
      Set<String> series =
          tables
              .computeIfAbsent(row.table, k -> new TreeMap<>())
              .computeIfAbsent(unquote(row.cell("Meter")), k -> new TreeSet<>());
      @Nullable String full = null;
      Matcher m = BACKTICKED.matcher(row.cell("Prometheus"));
      while (m.find()) {
        String token = m.group(1);
        if (full != null && token.startsWith("_")) {
          series.add(full.substring(0, full.lastIndexOf('_')) + token);
        } else {
          full = token;
          series.add(token);
        }
      }
    }
    return tables;
  }

  /** One row of a meter table, its cells by the table's column headers. */
  private static final class DocRow {
    final String table;
    final Map<String, String> cells;

    DocRow(String table, Map<String, String> cells) {
      this.table = table;
      this.cells = cells;
    }

    String cell(String column) {
      String cell = cells.get(column);
      if (cell == null) {
        throw new AssertionError("no column '" + column + "' in a table under " + table);
      }
      return cell;
    }
  }

  /** Every row of every meter table in the doc, under the headings above its table. */
  private static List<DocRow> docRows() throws IOException {
    List<DocRow> rows = new ArrayList<>();
    String pattern = "";
    String style = "";
    List<String> header = List.of();
    boolean inMeterTable = false;
    for (String row : Files.readAllLines(metricsDoc(), StandardCharsets.UTF_8)) {
      if (row.startsWith("## ")) {
        pattern = row.substring(3).trim();
        style = "";
      } else if (row.startsWith("### ")) {
        style = row.substring(4).trim();
      }
      // A meter table starts at its header row and ends at the first line that is not a row.
      if (row.startsWith("| Meter |")) {
        header = cellsOf(row);
      }
      inMeterTable = row.startsWith("| Meter |") || (inMeterTable && row.startsWith("|"));
      if (!inMeterTable || !row.startsWith("| `")) {
        continue;
      }
      List<String> values = cellsOf(row);
      assertThat(values).as("cells of %s", row).hasSameSizeAs(header);
      Map<String, String> cells = new TreeMap<>();
      for (int i = 0; i < header.size(); i++) {
        cells.put(header.get(i), values.get(i));
      }
      rows.add(new DocRow(pattern + " / " + style, cells));
    }
    return rows;
  }

  /** The trimmed cells of a table row, without the empty ones outside the first and last '|'. */
  private static List<String> cellsOf(String row) {
    String[] cells = row.split("\\|", -1);
    List<String> trimmed = new ArrayList<>();
    for (int i = 1; i < cells.length - 1; i++) {
      trimmed.add(cells[i].trim());
    }
    return trimmed;
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
