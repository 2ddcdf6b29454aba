package dev.ballast.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/health.md equal to the code: its JSON and table are what the snapshot of {@link
 * Scenario} writes, and its table of rules has a row for every pattern the snapshot knows.
 */
final class HealthDocTest {

  @Test
  void theJsonExampleIsWhatTheSnapshotWrites() throws IOException {
    assertThat(doc()).contains("```json\n" + Scenario.snapshot().toJson() + "```\n");
  }

  @Test
  void theTableExampleIsWhatTheSnapshotWrites() throws IOException {
    assertThat(doc()).contains("```text\n" + Scenario.snapshot().toTable() + "```\n");
  }

  @Test
  void everyPatternTheSnapshotKnowsHasARowOfRules() throws IOException {
    String doc = doc();
    assertThat(Arrays.stream(Inspector.KNOWN.split(",")).map(String::trim))
        .hasSize(11)
        .allSatisfy(
            type -> assertThat(doc).contains("\n| `" + type + "` | `" + lower(type) + "` |"));
  }

  private static String lower(String type) {
    return type.toLowerCase(Locale.ROOT);
  }

  /** {@code docs/health.md} at the top of the checkout, found from the working directory up. */
  private static String doc() throws IOException {
    Path dir = Paths.get("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      Path candidate = d.resolve("docs").resolve("health.md");
      if (Files.isRegularFile(candidate)) {
        return Files.readString(candidate);
      }
    }
    throw new AssertionError("docs/health.md not found above " + dir);
  }
}
