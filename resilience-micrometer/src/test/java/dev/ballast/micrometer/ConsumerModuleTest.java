package dev.ballast.micrometer;

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
 * What a user of the module path does: a module that requires {@code dev.ballast.micrometer},
 * compiled against the binders' classes and its runtime dependencies as Maven resolves them for a
 * consumer (written to target/runtime-classpath.txt by the build), and nothing else.
 */
final class ConsumerModuleTest {

  @Test
  void aConsumerModuleCompilesAgainstTheBindersAndTheirRuntimeDependenciesAlone(@TempDir Path dir)
      throws Exception {
    Path src = dir.resolve("src");
    write(src.resolve("module-info.java"), "module consumer { requires dev.ballast.micrometer; }");
    write(
        src.resolve("consumer/Dashboard.java"),
        """
        package consumer;

        import dev.ballast.circuitbreaker.CircuitBreaker;
        import dev.ballast.micrometer.CircuitBreakerMetrics;
        import io.micrometer.core.instrument.MeterRegistry;
        import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
        import org.jspecify.annotations.Nullable;

        public final class Dashboard {
          public @Nullable CircuitBreakerMetrics bind(CircuitBreaker breaker) {
            MeterRegistry registry = new SimpleMeterRegistry();
            CircuitBreakerMetrics metrics =
                CircuitBreakerMetrics.builder(breaker).tag("region", "eu").build();
            metrics.bindTo(registry);
            return metrics;
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
