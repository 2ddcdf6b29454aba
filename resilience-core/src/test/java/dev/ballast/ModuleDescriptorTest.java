package dev.ballast;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ModuleDescriptorTest {

  private static ModuleDescriptor descriptor() throws Exception {
    Path compiled = Path.of("target", "classes", "module-info.class");
    try (InputStream in = Files.newInputStream(compiled)) {
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void exportsTheContractAndThePatternsButNeverInternal() throws Exception {
    ModuleDescriptor d = descriptor();
    assertThat(d.name()).isEqualTo("dev.ballast");
    Set<String> exported =
        d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    assertThat(exported)
        .containsExactlyInAnyOrder(
            "dev.ballast",
            "dev.ballast.circuitbreaker",
            "dev.ballast.faultcounter",
            "dev.ballast.fallback",
            "dev.ballast.timeout",
            "dev.ballast.retry");
    assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    assertThat(d.opens()).isEmpty();
    assertThat(Path.of("target", "classes", "dev", "ballast", "internal")).isDirectory();
    assertThat(exported).noneMatch(p -> p.contains("internal"));
  }

  @Test
  void requiresSlf4jAndJSpecifyAtRunTimeAndNothingElse() throws Exception {
    Map<String, Set<Requires.Modifier>> requires =
        descriptor().requires().stream()
            .collect(Collectors.toMap(Requires::name, Requires::modifiers));
    assertThat(requires.keySet())
        .containsExactlyInAnyOrder("java.base", "org.slf4j", "org.jspecify");
    assertThat(requires.get("org.slf4j")).isEmpty();
    // The annotations are part of the API's signatures: transitive, and never static (a static
    // requirement makes a consumer's compilation fail when the jar is not on its module path).
    assertThat(requires.get("org.jspecify")).containsExactly(Requires.Modifier.TRANSITIVE);
  }

  /**
   * What a user of the module path does: a module that requires {@code dev.ballast} and uses
   * {@code @Nullable}, compiled against core's classes and core's runtime dependencies as Maven
   * resolves them for a consumer (written to target/runtime-classpath.txt by the build), and
   * nothing else.
   */
  @Test
  void aConsumerModuleCompilesAgainstCoreAndItsRuntimeDependenciesAlone(@TempDir Path dir)
      throws Exception {
    Path src = dir.resolve("src");
    write(src.resolve("module-info.java"), "module consumer { requires dev.ballast; }");
    write(
        src.resolve("consumer/Inventory.java"),
        """
        package consumer;

        import dev.ballast.circuitbreaker.CircuitBreaker;
        import org.jspecify.annotations.Nullable;

        public final class Inventory {
          private final CircuitBreaker breaker = CircuitBreaker.ofDefaults("inventory");

          public @Nullable String find(String id) {
            return breaker.call(() -> id.isEmpty() ? null : id);
          }
        }
        """);
    String modulePath =
        Path.of("target", "classes")
            + java.io.File.pathSeparator
            + Files.readString(Path.of("target", "runtime-classpath.txt"), UTF_8).strip();

    List<String> errors = compileModule(src, modulePath, dir.resolve("out"));

    assertThat(errors).isEmpty();
  }

  private static void write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, UTF_8);
  }

  private static List<String> compileModule(Path src, String modulePath, Path out)
      throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<Path> sources;
    try (var files = Files.walk(src)) {
      sources = files.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
    }
    try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, UTF_8)) {
      List<String> options =
          List.of("--release", "17", "--module-path", modulePath, "-d", out.toString());
      javac
          .getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(sources))
          .call();
    }
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
        .map(d -> d.getMessage(null))
        .collect(Collectors.toList());
  }
}
