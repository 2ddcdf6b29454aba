package dev.ballast.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins DESIGN.md's house rule: no main source file of any module has over 450 lines of code
 * (comments and blank lines aside). A file that grows past it is split along the seams its
 * implementation notes describe.
 */
final class SourceSizeTest {
  static final int MAX_LINES_OF_CODE = 450;

  /** Lines that are neither blank nor only comment: block comments, javadoc and line comments. */
  static int linesOfCode(String source) {
    int count = 0;
    boolean inBlock = false;
    for (String raw : source.split("\n", -1)) {
      String line = raw.strip();
      StringBuilder code = new StringBuilder();
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
          code.append(line.charAt(i));
          i++;
        }
      }
      if (!code.toString().isBlank()) {
        count++;
      }
    }
    return count;
  }

  @Test
  void commentsAndBlankLinesDoNotCount() {
    String source =
        """
        package p;

        /**
         * Javadoc.
         */
        final class A { // trailing
          // a line comment
          /* one-line block */
          int x; /* after code */
          /* before */ int y;
        }
        """;
    assertThat(linesOfCode(source)).isEqualTo(5);
  }

  @Test
  void noMainSourceFileHasOverFourHundredFiftyLinesOfCode() throws IOException {
    Path root = Path.of(System.getProperty("ballast.root")).toAbsolutePath().normalize();
    List<String> tooLong = new ArrayList<>();
    int files = 0;
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module :
          modules.filter(p -> Files.isDirectory(p.resolve("src/main/java"))).toList()) {
        try (Stream<Path> sources = Files.walk(module.resolve("src/main/java"))) {
          for (Path file : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
            files++;
            int loc = linesOfCode(Files.readString(file));
            if (loc > MAX_LINES_OF_CODE) {
              tooLong.add(root.relativize(file) + ": " + loc + " lines of code");
            }
          }
        }
      }
    }
    assertThat(files).as("main source files found").isGreaterThan(100);
    assertThat(tooLong).as("files over " + MAX_LINES_OF_CODE + " lines of code").isEmpty();
  }
}
