package dev.ballast.testkit;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * AssertJ is an optional dependency of the testkit: only the assertions may need it. These tests
 * load the testkit's classes through a class loader that hides {@code org.assertj}, as a user's
 * class path without AssertJ would, and read the compiled classes for references to it.
 */
final class WithoutAssertJTest {
  private static final String PACKAGE = "dev.ballast.testkit.";
  private static final List<String> ASSERTION_CLASSES =
      List.of(PACKAGE + "BallastAssertions", PACKAGE + "CircuitBreakerAssert");

  @Test
  void theTestkitWorksWithoutAssertJOnTheClassPath() throws Exception {
    try (HidingAssertJ loader = new HidingAssertJ()) {
      assertThatThrownBy(() -> Class.forName("org.assertj.core.api.Assertions", true, loader))
          .isInstanceOf(ClassNotFoundException.class);
      Class<?> scenario = Class.forName(NoAssertJScenario.class.getName(), true, loader);
      assertThat(scenario.getClassLoader()).isSameAs(loader);
      Constructor<?> constructor = scenario.getDeclaredConstructor();
      constructor.setAccessible(true);
      Callable<?> run = (Callable<?>) constructor.newInstance();

      assertThat(run.call())
          .isEqualTo("fired=1 outcomes=ok failed refused faults=1 now=4s breaker=OPEN harness=xxx");
    }
  }

  @Test
  void everyMainClassButTheAssertionsLoadsWithoutAssertJ() throws Exception {
    TreeSet<String> failed = new TreeSet<>();
    try (HidingAssertJ loader = new HidingAssertJ()) {
      for (String name : mainClassNames()) {
        try {
          Class.forName(name, true, loader);
        } catch (LinkageError e) {
          failed.add(name);
        }
      }
    }

    // CircuitBreakerAssert extends AssertJ's AbstractAssert, so the hiding is real.
    assertThat(failed).contains(PACKAGE + "CircuitBreakerAssert");
    assertThat(ASSERTION_CLASSES).containsAll(failed);
  }

  @Test
  void onlyTheAssertionClassesReferToAssertJ() throws Exception {
    TreeSet<String> referring = new TreeSet<>();
    Path classes = mainClasses();
    for (String name : mainClassNames()) {
      Path file = classes.resolve(name.replace('.', '/') + ".class");
      if (new String(Files.readAllBytes(file), ISO_8859_1).contains("org/assertj/")) {
        referring.add(name.replaceFirst("\\$.*", ""));
      }
    }

    assertThat(referring).contains(PACKAGE + "CircuitBreakerAssert");
    assertThat(ASSERTION_CLASSES).containsAll(referring);
  }

  private static Path mainClasses() throws URISyntaxException {
    Path classes = Path.of(location(Faults.class).toURI());
    assertThat(classes).isDirectory(); // the module's own tests run on target/classes
    return classes;
  }

  /** Every class compiled from the testkit's main sources, nested ones included. */
  private static List<String> mainClassNames() throws IOException, URISyntaxException {
    Path classes = mainClasses();
    try (Stream<Path> files = Files.walk(classes)) {
      List<String> names =
          files
              .map(classes::relativize)
              .map(Path::toString)
              .filter(f -> f.endsWith(".class") && !f.contains("-"))
              .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
              .sorted()
              .toList();
      assertThat(names).contains(Faults.class.getName(), PACKAGE + "harness.Harness");
      return names;
    }
  }

  private static URL location(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation();
  }

  /**
   * Loads the testkit's main and test classes itself (child first) and refuses {@code org.assertj};
   * everything else (core, SLF4J, JUnit, the JDK) comes from the class path as usual.
   */
  private static final class HidingAssertJ extends URLClassLoader {
    static {
      registerAsParallelCapable();
    }

    HidingAssertJ() {
      super(
          new URL[] {location(Faults.class), location(WithoutAssertJTest.class)},
          WithoutAssertJTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("org.assertj.")) {
        throw new ClassNotFoundException(name + " is hidden");
      }
      if (!name.startsWith(PACKAGE)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          loaded = findClass(name);
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }
  }
}
