package dev.ballast.docs;

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
 * What a user of the module path does: a module that requires one of Ballast's modules, compiled
 * against that module's classes and its runtime dependencies as Maven resolves them for a consumer
 * (each module's build writes them to its target/runtime-classpath.txt), and nothing else. A
 * dependency the API needs but the module declares {@code static} or {@code provided} fails here
 * with "module not found" (JSpecify in core, JUnit in the testkit, before issue 7).
 */
final class ConsumerModulesTest {

  @Test
  void aConsumerModuleCompilesAgainstCoreAndItsRuntimeDependenciesAlone(@TempDir Path dir)
      throws Exception {
    assertThat(
            compileConsumerOf(
                "resilience-core",
                "dev.ballast",
                "Inventory",
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
        """,
                dir))
        .isEmpty();
  }

  @Test
  void aConsumerModuleCompilesAgainstTheTestkitAndItsRuntimeDependenciesAlone(@TempDir Path dir)
      throws Exception {
    // No JUnit on the path: only the testkit's extensions need it.
    assertThat(
            compileConsumerOf(
                "resilience-testkit",
                "dev.ballast.testkit",
                "BreakerCheck",
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
        """,
                dir))
        .isEmpty();
  }

  @Test
  void aConsumerModuleCompilesAgainstTheBindersAndTheirRuntimeDependenciesAlone(@TempDir Path dir)
      throws Exception {
    assertThat(
            compileConsumerOf(
                "resilience-micrometer",
                "dev.ballast.micrometer",
                "Dashboard",
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
        """,
                dir))
        .isEmpty();
  }

  /**
   * Compiles {@code module consumer { requires <module>; }} with one class {@code consumer.<name>}
   * against the classes and the runtime class path of the Maven module {@code artifact}.
   *
   * @return javac's error messages
   */
  private static List<String> compileConsumerOf(
      String artifact, String module, String name, String source, Path dir) throws Exception {
    Path src = dir.resolve("src");
    write(src.resolve("module-info.java"), "module consumer { requires " + module + "; }");
    write(src.resolve("consumer").resolve(name + ".java"), source);
    Path target = Path.of("..", artifact, "target");
    String modulePath =
        target.resolve("classes")
            + File.pathSeparator
            + Files.readString(target.resolve("runtime-classpath.txt"), UTF_8).strip();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<Path> sources =
        List.of(src.resolve("module-info.java"), src.resolve("consumer").resolve(name + ".java"));
    try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, UTF_8)) {
      List<String> options =
          List.of(
              "--release", "17", "--module-path", modulePath, "-d", dir.resolve("out").toString());
      javac
          .getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(sources))
          .call();
    }
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> d.getMessage(null))
        .collect(Collectors.toList());
  }

  private static void write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, UTF_8);
  }
}
