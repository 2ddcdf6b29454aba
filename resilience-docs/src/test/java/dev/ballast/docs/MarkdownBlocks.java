package dev.ballast.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the markdown files of the repository and the {@code ```java} blocks in them.
 *
 * <p>A fence is three or more backticks or tildes, possibly indented (inside a list item); the
 * block ends at the next fence of the same character at least as long. The language is the fence's
 * first word. A {@code <!-- not compiled: reason -->} marker opts the java block right below it out
 * (blank lines between are allowed); a marker with no java block right below it is an error, and so
 * is a marker without a reason.
 */
final class MarkdownBlocks {

  private static final Pattern FENCE = Pattern.compile("^( *)(`{3,}|~{3,})\\s*([^\\s`]*).*$");
  private static final Pattern MARKER =
      Pattern.compile("^\\s*<!--\\s*not compiled\\b(.*?)-->\\s*$");

  private final List<DocBlock> blocks = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  private MarkdownBlocks() {}

  /** README.md and every .md file under docs/, in a stable order. */
  static List<Path> markdownFiles(Path root) throws IOException {
    List<Path> files = new ArrayList<>();
    Path readme = root.resolve("README.md");
    if (Files.isRegularFile(readme)) {
      files.add(readme);
    }
    Path docs = root.resolve("docs");
    if (Files.isDirectory(docs)) {
      try (Stream<Path> walk = Files.walk(docs)) {
        files.addAll(
            walk.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p))
                .sorted()
                .collect(Collectors.toList()));
      }
    }
    return files;
  }

  /** The java blocks of the given files, and the misplaced markers found on the way. */
  static MarkdownBlocks read(Path root, List<Path> files) throws IOException {
    MarkdownBlocks found = new MarkdownBlocks();
    for (Path file : files) {
      String name = root.relativize(file).toString().replace('\\', '/');
      found.scan(name, Files.readAllLines(file, StandardCharsets.UTF_8));
    }
    return found;
  }

  /** The java blocks of one markdown text (for tests). */
  static MarkdownBlocks parse(String name, String markdown) {
    MarkdownBlocks found = new MarkdownBlocks();
    found.scan(name, markdown.lines().collect(Collectors.toList()));
    return found;
  }

  List<DocBlock> blocks() {
    return List.copyOf(blocks);
  }

  /** Markers that opt nothing out, or give no reason: {@code file:line: what is wrong}. */
  List<String> problems() {
    return List.copyOf(problems);
  }

  private void scan(String name, List<String> lines) {
    Optional<String> pendingReason = Optional.empty();
    int pendingLine = 0;
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      Matcher marker = MARKER.matcher(line);
      Matcher fence = FENCE.matcher(line);
      if (marker.matches()) {
        if (pendingLine != 0) {
          problems.add(name + ":" + pendingLine + ": marker not right above a java block");
        }
        String reason = marker.group(1).strip();
        reason = reason.startsWith(":") ? reason.substring(1).strip() : "";
        if (reason.isEmpty()) {
          problems.add(name + ":" + (i + 1) + ": marker gives no reason (not compiled: why)");
        }
        pendingReason = Optional.of(reason);
        pendingLine = i + 1;
        i++;
      } else if (fence.matches()) {
        int indent = fence.group(1).length();
        String fenceChars = fence.group(2);
        String language = fence.group(3).toLowerCase(Locale.ROOT);
        int end = closingFence(lines, i + 1, fenceChars);
        if (language.equals("java")) {
          List<String> body = new ArrayList<>();
          for (String bodyLine : lines.subList(i + 1, end)) {
            body.add(unindent(bodyLine, indent));
          }
          blocks.add(new DocBlock(name, i + 1, body, pendingReason));
        } else if (pendingLine != 0) {
          problems.add(name + ":" + pendingLine + ": marker not right above a java block");
        }
        pendingReason = Optional.empty();
        pendingLine = 0;
        i = end + 1;
      } else {
        if (!line.isBlank() && pendingLine != 0) {
          problems.add(name + ":" + pendingLine + ": marker not right above a java block");
          pendingReason = Optional.empty();
          pendingLine = 0;
        }
        i++;
      }
    }
    if (pendingLine != 0) {
      problems.add(name + ":" + pendingLine + ": marker not right above a java block");
    }
  }

  /** The index of the line closing a fence opened with {@code fenceChars}, or the end. */
  private static int closingFence(List<String> lines, int from, String fenceChars) {
    for (int j = from; j < lines.size(); j++) {
      String stripped = lines.get(j).strip();
      if (stripped.startsWith(fenceChars)
          && stripped.chars().allMatch(c -> c == fenceChars.charAt(0))) {
        return j;
      }
    }
    return lines.size();
  }

  private static String unindent(String line, int indent) {
    int n = 0;
    while (n < indent && n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return line.substring(n);
  }
}
