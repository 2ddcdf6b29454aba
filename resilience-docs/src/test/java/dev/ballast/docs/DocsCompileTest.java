package dev.ballast.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md and docs/**&#47;*.md compiles against the real modules
 * (docs/README.md, "Writing a code block", says how a block is compiled and how to opt one out).
 */
final class DocsCompileTest {

  private static Path root() {
    String root = System.getProperty("ballast.root");
    assertThat(root).as("system property ballast.root (set by the pom)").isNotNull();
    return Path.of(root).toAbsolutePath().normalize();
  }

  @Test
  void everyJavaBlockInTheDocsCompiles(@TempDir Path out) throws Exception {
    Path root = root();
    List<Path> files = MarkdownBlocks.markdownFiles(root);
    assertThat(files).contains(root.resolve("README.md"), root.resolve("docs/README.md"));
    MarkdownBlocks found = MarkdownBlocks.read(root, files);
    List<DocBlock> compiled =
        found.blocks().stream().filter(b -> b.optOut().isEmpty()).collect(Collectors.toList());
    List<DocBlock> optedOut =
        found.blocks().stream().filter(b -> b.optOut().isPresent()).collect(Collectors.toList());

    List<String> errors =
        BlockCompiler.compile(compiled, System.getProperty("java.class.path"), out);

    System.out.printf(
        "docs: %d java blocks in %d markdown files compiled, %d opted out%n",
        compiled.size(), files.size(), optedOut.size());
    for (DocBlock b : optedOut) {
      System.out.printf("  not compiled: %s (%s)%n", b, b.optOut().orElseThrow());
    }
    assertThat(found.problems()).as("misplaced opt-out markers").isEmpty();
    assertThat(errors)
        .as("javac errors in doc blocks (file:line of the markdown)")
        .withFailMessage(() -> errors.size() + " errors:\n\n" + String.join("\n\n", errors))
        .isEmpty();
    assertThat(compiled).as("java blocks found").hasSizeGreaterThan(10);
  }

  @Test
  void theContextClassIsOnTheClassPathTheBlocksCompileAgainst() {
    String classPath = System.getProperty("java.class.path");
    assertThat(
            List.of(classPath.split(java.io.File.pathSeparator)).stream()
                .map(Path::of)
                .anyMatch(p -> Files.exists(p.resolve("dev/ballast/docs/DocContext.class"))))
        .isTrue();
  }
}
