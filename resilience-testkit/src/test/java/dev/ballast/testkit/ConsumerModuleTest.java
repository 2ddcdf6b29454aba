package dev.ballast.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user of the module path does: a module that requires {@code dev.ballast.testkit}, compiled
 * against the testkit's classes and its runtime dependencies as Maven resolves them for a consumer
 * (written to target/runtime-classpath.txt by the build), and nothing else: no JUnit, which only
 * the extensions need.
 */
final class ConsumerModuleTest {

  @Test
  void aConsumerModuleCompilesAgainstTheTestkitAndItsRuntimeDependenciesAlone(@TempDir Path dir)
      throws Exception {
    Path src = dir.resolve("src");
    write(src.resolve("module-info.java"), "module consumer { requires dev.ballast.testkit; }");
    write(
        src.resolve("consumer/BreakerCheck.java"),
        """
        package consumer;

        import static dev.ballast.testkit.BallastAssertions.assertThat;

        import dev.ballast.circuitbreaker.CircuitBreaker;
        import dev.ballast.circuitbreaker.CircuitBreakerConfig;
        import dev.ballast.testkit.FaultInjector;
        import dev.ballast.testkit.ManualTicker;
        import java.util.function.Supplier;
        import org.jspecify.annotations.Nullable;

        public final class BreakerCheck {
          public @Nullable String check(Supplier<String> real) {
            ManualTicker ticker = new ManualTicker();
            CircuitBreaker breaker =
                CircuitBreaker.of(
                    "inventory", CircuitBreakerConfig.builder().ticker(ticker).build());
            FaultInjector<String> injector = FaultInjector.<String>builder().period(2).build();
            Supplier<String> faulty = injector.decorateSupplier(real);
            assertThat(breaker).isClosed();
            return faulty.get();
          }
        }
        """);
    String modulePath =
        Path.of("target", "classes")
            + File.pathSeparator
            + Files.readString(Path.of("target", "runtime-classpath.txt"), UTF_8).strip();

    assertThat(compileModule(src, modulePath, dir.resolve("out"))).isEmpty();
  }

  private static void write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, UTF_8);
  }

  /** Compiles every source under {@code src}; returns javac's error messages. */
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
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> d.getMessage(null))
        .collect(Collectors.toList());
  }
}
