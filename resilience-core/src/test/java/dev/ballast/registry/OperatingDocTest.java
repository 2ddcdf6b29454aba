package dev.ballast.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps the key tables of {@code docs/operating.md} equal to the {@link KeyTable}: every key of
 * every pattern, with its value form and builder method, and every code-only option with its
 * reason. On a difference it writes the expected tables to {@code
 * target/operating-keys.expected.md} to paste between the markers.
 */
final class OperatingDocTest {
  private static final String KEYS_START = "<!-- keys:start (OperatingDocTest) -->";
  private static final String KEYS_END = "<!-- keys:end -->";
  private static final String CODE_START = "<!-- code-only:start (OperatingDocTest) -->";
  private static final String CODE_END = "<!-- code-only:end -->";

  static List<String> keyRows() {
    List<String> rows = new ArrayList<>();
    rows.add(
        "| pattern | key after `configs.<name>.` or `instances.<name>.` | value | builder method |");
    rows.add("|---|---|---|---|");
    for (ComponentType<?, ?> type : ComponentType.values()) {
      for (Option o : KeyTable.options(type)) {
        rows.add(
            "| "
                + type.key()
                + " | `"
                + o.shownKey()
                + "` | `"
                + o.form().replace("|", "\\|")
                + "` | `"
                + o.method()
                + "` |");
      }
    }
    return rows;
  }

  static List<String> codeOnlyRows() {
    List<String> rows = new ArrayList<>();
    rows.add("| pattern | builder method | why only code can give it |");
    rows.add("|---|---|---|");
    for (ComponentType<?, ?> type : ComponentType.values()) {
      for (Map.Entry<String, String> e : KeyTable.codeOnly(type).entrySet()) {
        rows.add("| " + type.key() + " | `" + e.getKey() + "` | " + e.getValue() + " |");
      }
    }
    return rows;
  }

  private static List<String> between(List<String> lines, String start, String end) {
    int from = lines.indexOf(start);
    int to = lines.indexOf(end);
    assertThat(from).as("marker %s in docs/operating.md", start).isNotNegative();
    assertThat(to).as("marker %s after %s", end, start).isGreaterThan(from);
    return lines.subList(from + 1, to).stream().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void theKeyTablesOfTheOperatingPageAreTheKeyTable() throws IOException {
    List<String> lines = Files.readAllLines(page());
    List<String> keys = keyRows();
    List<String> codeOnly = codeOnlyRows();
    List<String> actualKeys = between(lines, KEYS_START, KEYS_END);
    List<String> actualCodeOnly = between(lines, CODE_START, CODE_END);
    if (!actualKeys.equals(keys) || !actualCodeOnly.equals(codeOnly)) {
      Files.createDirectories(Path.of("target"));
      Files.write(
          Path.of("target", "operating-keys.expected.md"),
          concat(
              List.of(KEYS_START),
              keys,
              List.of(KEYS_END, "", CODE_START),
              codeOnly,
              List.of(CODE_END)));
    }
    assertThat(actualKeys).as("keys table (see target/operating-keys.expected.md)").isEqualTo(keys);
    assertThat(actualCodeOnly).as("code-only table").isEqualTo(codeOnly);
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> p : parts) {
      all.addAll(p);
    }
    return all;
  }

  /** {@code docs/operating.md} at the top of the checkout, found from the working directory up. */
  private static Path page() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("docs").resolve("operating.md");
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("docs/operating.md not found above " + Path.of("").toAbsolutePath());
  }
}
