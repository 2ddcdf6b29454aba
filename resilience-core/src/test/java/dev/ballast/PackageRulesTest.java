package dev.ballast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins DESIGN.md's house rule: a pattern package imports {@code dev.ballast} and {@code
 * dev.ballast.internal} and no other pattern; the one exception is the circuit breaker using the
 * fault counter, the book's trip rule. The operator's room, {@code dev.ballast.registry}, is no
 * pattern: it may import every pattern.
 */
final class PackageRulesTest {
  private static final Path ROOT = Path.of("src", "main", "java", "dev", "ballast");
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?dev\\.ballast\\.([a-z]+)\\.", Pattern.MULTILINE);
  private static final Set<String> ALLOWED = Set.of("internal");

  @Test
  void patternsDoNotImportEachOther() throws IOException {
    List<String> violations = new ArrayList<>();
    List<Path> packages;
    try (Stream<Path> s = Files.list(ROOT)) {
      packages = s.filter(Files::isDirectory).toList();
    }
    assertThat(packages).extracting(p -> p.getFileName().toString()).contains("circuitbreaker");
    for (Path pkg : packages) {
      String name = pkg.getFileName().toString();
      if (name.equals("internal") || name.equals("registry")) {
        continue; // the registry is the operator's room: it may use every pattern
      }
      try (Stream<Path> files = Files.list(pkg)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          Matcher m = IMPORT.matcher(Files.readString(file));
          while (m.find()) {
            String target = m.group(1);
            boolean ok =
                target.equals(name)
                    || ALLOWED.contains(target)
                    || (name.equals("circuitbreaker") && target.equals("faultcounter"))
                    || name.equals("registry");
            if (!ok) {
              violations.add(file.getFileName() + " imports dev.ballast." + target);
            }
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void internalImportsNoPattern() throws IOException {
    try (Stream<Path> files = Files.list(ROOT.resolve("internal"))) {
      for (Path file : files.toList()) {
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          assertThat(m.group(1)).as(file.getFileName().toString()).isEqualTo("internal");
        }
      }
    }
  }

  /**
   * The root package holds the contracts every pattern shares and imports no pattern, with one
   * exception: the classifier knows Ballast's own timeout exception, so that no list of failure
   * types can turn a Ballast timeout into a success (DESIGN, "Semantics decided").
   */
  @Test
  void theRootPackageImportsNoPatternButTheTimeoutItsClassifierCountsAsAFailure()
      throws IOException {
    Pattern anyPattern =
        Pattern.compile(
            "^import (?:static )?(dev\\.ballast\\.[a-z]+\\.[A-Za-z.]+);", Pattern.MULTILINE);
    List<String> imports = new ArrayList<>();
    try (Stream<Path> files = Files.list(ROOT)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = anyPattern.matcher(Files.readString(file));
        while (m.find()) {
          if (!m.group(1).startsWith("dev.ballast.internal.")) {
            imports.add(file.getFileName() + " imports " + m.group(1));
          }
        }
      }
    }
    assertThat(imports)
        .containsExactly(
            "OutcomeClassifier.java imports dev.ballast.timeout.TimeoutExceededException");
  }

  /**
   * Scaffolding every pattern needs lives once in {@code internal}: a pattern tells its listeners
   * through {@code internal.Listeners} and never defines its own fan-out (a class implementing its
   * listener interface to forward events), nor guards a listener call by hand.
   */
  @Test
  void noPatternDefinesItsOwnListenerFanOut() throws IOException {
    Pattern implementsListener =
        Pattern.compile(
            "(?:implements|extends)\\s+[\\w.]*Listener\\b|new\\s+\\w*Listener\\s*\\(\\s*\\)\\s*\\{");
    List<String> violations = new ArrayList<>();
    List<String> listening = new ArrayList<>();
    try (Stream<Path> packages = Files.list(ROOT)) {
      for (Path pkg : packages.filter(Files::isDirectory).toList()) {
        if (pkg.getFileName().toString().equals("internal")) {
          continue;
        }
        boolean hasListener = false;
        boolean usesListeners = false;
        try (Stream<Path> files = Files.list(pkg)) {
          for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
            String source = Files.readString(file);
            hasListener |= file.getFileName().toString().endsWith("Listener.java");
            usesListeners |= source.contains("import dev.ballast.internal.Listeners;");
            if (implementsListener.matcher(source).find()) {
              violations.add(file.getFileName() + " implements a listener");
            }
          }
        }
        if (hasListener) {
          listening.add(
              pkg.getFileName() + (usesListeners ? "" : " does not use internal.Listeners"));
        }
      }
    }
    assertThat(violations).isEmpty();
    assertThat(listening)
        .as("every pattern with a listener delivers through internal.Listeners")
        .hasSizeGreaterThanOrEqualTo(4)
        .allMatch(s -> !s.contains(" "));
  }
}
