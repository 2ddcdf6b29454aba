package dev.ballast.micrometer;

import static dev.ballast.micrometer.Breakers.fail;
import static dev.ballast.micrometer.Breakers.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the tables in {@code docs/metrics.md} equal to the meters the binder registers: name, type,
 * base unit and tags, in each naming style.
 */
final class MetricsDocTest {
  /** Tags whose value depends on the breaker or on events; the table gives their key only. */
  private static final Set<String> FREE_VALUED = Set.of("name", "from", "to");

  private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

  @Test
  void ballastTableListsEveryMeter() throws IOException {
    assertThat(documented("Ballast names"))
        .as("rows of docs/metrics.md (actual) against the registered meters (expected)")
        .isEqualTo(registered(false));
  }

  @Test
  void resilience4jTableListsEveryMeter() throws IOException {
    assertThat(documented("Resilience4j names"))
        .as("rows of docs/metrics.md (actual) against the registered meters (expected)")
        .isEqualTo(registered(true));
  }

  /** What the binder registers after every kind of event, one canonical line per meter. */
  private static Set<String> registered(boolean resilience4jNames) {
    TestTicker ticker = new TestTicker();
    CircuitBreaker breaker = Breakers.consecutive("doc", ticker);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CircuitBreakerMetrics.Builder builder = CircuitBreakerMetrics.builder(breaker);
    if (resilience4jNames) {
      builder.resilience4jNames();
    }
    builder.build().bindTo(registry);
    fail(breaker, ticker, Duration.ofMillis(1));
    fail(breaker, ticker, Duration.ofMillis(1));
    breaker.reset();
    succeed(breaker, ticker, Duration.ofMillis(500)); // slow

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

  /** The rows of the table under the {@code ## heading}, one canonical line per meter. */
  private static Set<String> documented(String heading) throws IOException {
    Set<String> lines = new TreeSet<>();
    boolean inSection = false;
    for (String row : Files.readAllLines(metricsDoc(), StandardCharsets.UTF_8)) {
      if (row.startsWith("## ")) {
        inSection = row.substring(3).trim().equals(heading);
        continue;
      }
      if (!inSection || !row.startsWith("| `")) {
        continue;
      }
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
    assertThat(lines).as("rows under '## %s' in %s", heading, metricsDoc()).isNotEmpty();
    return lines;
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
