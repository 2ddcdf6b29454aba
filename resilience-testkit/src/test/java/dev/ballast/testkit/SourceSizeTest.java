package dev.ballast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The house rule on file size, for the testkit's main sources: at most 450 lines of code. */
final class SourceSizeTest {
  private static final int MAX_LINES_OF_CODE = 450;
  private static final Path MAIN = Path.of("src", "main", "java");

  @Test
  void noMainFileHasMoreThan450LinesOfCode() throws IOException {
    Map<String, Integer> tooLong = new TreeMap<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        int code = linesOfCode(Files.readAllLines(file));
        if (code > MAX_LINES_OF_CODE) {
          tooLong.put(MAIN.relativize(file).toString(), code);
        }
      }
    }

    assertThat(tooLong).isEmpty();
  }

  @Test
  void countsNeitherBlankLinesNorComments() {
    List<String> source =
        List.of(
            "/**",
            " * Javadoc.",
            " */",
            "final class A { // trailing comment: still code",
            "",
            "  // a comment line",
            "  /* a block */ int x; /* another",
            "     still a comment */",
            "  int y; /* one-line block */",
            "}");

    assertThat(linesOfCode(source)).isEqualTo(4);
  }

  /** Lines with something other than white space and comments on them. */
  static int linesOfCode(List<String> lines) {
    int code = 0;
    boolean inBlock = false;
    for (String line : lines) {
      StringBuilder rest = new StringBuilder();
      int i = 0;
      while (i < line.length()) {
        if (inBlock) {
          int end = line.indexOf("*/", i);
          if (end < 0) {
            i = line.length();
          } else {
            inBlock = false;
            i = end + 2;
          }
        } else if (line.startsWith("/*", i)) {
          inBlock = true;
          i += 2;
        } else if (line.startsWith("//", i)) {
          i = line.length();
        } else {
          rest.append(line.charAt(i));
          i++;
        }
      }
      if (!rest.toString().isBlank()) {
        code++;
      }
    }
    return code;
  }
}
