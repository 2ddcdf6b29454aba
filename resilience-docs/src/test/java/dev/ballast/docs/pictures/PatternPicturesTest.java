package dev.ballast.docs.pictures;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The pictures of the pattern pages are drawn by {@link PatternScenarios} and committed in
 * docs/pictures/; each test draws one again and fails when the committed file differs, so a picture
 * never drifts from the behaviour it shows. After a change of behaviour or of the renderer, redraw
 * them all with
 *
 * <pre>
 * mvn -B -pl resilience-docs -am verify -Dtest=PatternPicturesTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dballast.pictures.write=true
 * </pre>
 *
 * <p>and commit the files it wrote (docs/README.md, "Pictures", says the same).
 */
final class PatternPicturesTest {

  static final String WRITE = "ballast.pictures.write";
  static final String REDRAW =
      "mvn -B -pl resilience-docs -am verify -Dtest=PatternPicturesTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -D"
          + WRITE
          + "=true";

  /**
   * Pictures in docs/pictures/ that no pattern scenario draws: the benchmark chart, drawn by
   * bench/run and checked by resilience-jmh's ChartTest.
   */
  static final Set<String> DRAWN_ELSEWHERE = Set.of("benchmarks");

  /** Picture name (docs/pictures/NAME.svg) to its scenario; its page is docs/patterns/NAME.md. */
  static Map<String, Callable<String>> pictures() {
    Map<String, Callable<String>> pictures = new LinkedHashMap<>();
    pictures.put("circuit-breaker", PatternScenarios::circuitBreaker);
    pictures.put("retry", PatternScenarios::retry);
    pictures.put("timeout", PatternScenarios::timeout);
    pictures.put("bulkhead", LoadScenarios::bulkhead);
    pictures.put("rate-limiter", LoadScenarios::rateLimiter);
    pictures.put("load-shedding", LoadScenarios::loadShedder);
    pictures.put("back-pressure", LoadScenarios::boundedQueue);
    pictures.put("governor", GuardScenarios::governor);
    pictures.put("fallback", GuardScenarios::fallback);
    pictures.put("thread-pool-bulkhead", PoolScenarios::threadPoolBulkhead);
    pictures.put("adaptive-limit", PoolScenarios::adaptiveLimit);
    pictures.put("handshaking", GuardScenarios::handshaking);
    return pictures;
  }

  private static Path root() {
    String root = System.getProperty("ballast.root");
    assertThat(root).as("system property ballast.root (set by the pom)").isNotNull();
    return Path.of(root).toAbsolutePath().normalize();
  }

  @TestFactory
  Stream<DynamicTest> everyCommittedPictureIsWhatItsScenarioDrawsNow() {
    boolean write = Boolean.getBoolean(WRITE);
    return pictures().entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey(),
                    () -> {
                      Path file = root().resolve("docs/pictures/" + e.getKey() + ".svg");
                      String drawn = e.getValue().call();
                      if (write) {
                        Files.createDirectories(file.getParent());
                        Files.writeString(file, drawn, StandardCharsets.UTF_8);
                        return;
                      }
                      assertThat(file)
                          .as("%s is missing; draw it with%n  %s", file, REDRAW)
                          .exists();
                      String committed = Files.readString(file, StandardCharsets.UTF_8);
                      assertThat(committed.equals(drawn))
                          .as(
                              "docs/pictures/%s.svg is stale: its scenario draws a different"
                                  + " picture now. Look at the new one and commit it:%n  %s",
                              e.getKey(), REDRAW)
                          .isTrue();
                    }));
  }

  @Test
  void everyPictureIsShownOnItsPatternPage() throws IOException {
    for (String name : pictures().keySet()) {
      Path page = root().resolve("docs/patterns/" + name + ".md");
      assertThat(Files.readString(page, StandardCharsets.UTF_8))
          .as("%s shows its picture", page)
          .contains("](../pictures/" + name + ".svg)");
    }
  }

  @Test
  void everyCommittedPictureHasAScenario() throws IOException {
    Path dir = root().resolve("docs/pictures");
    List<String> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".svg"))
              .map(n -> n.substring(0, n.length() - ".svg".length()))
              .sorted()
              .collect(Collectors.toCollection(ArrayList::new));
    }
    files.removeAll(DRAWN_ELSEWHERE);
    assertThat(files)
        .as("docs/pictures/*.svg without a scenario in PatternPicturesTest.pictures()")
        .isSubsetOf(pictures().keySet());
  }
}
