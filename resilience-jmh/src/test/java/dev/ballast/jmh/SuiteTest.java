package dev.ballast.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

final class SuiteTest {

  @Test
  void runsEveryBenchmarkClassThatJmhKnows() throws IOException {
    String list;
    try (InputStream in = SuiteTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
      assertThat(in).as("JMH's generated benchmark list").isNotNull();
      list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Set<String> known = new TreeSet<>();
    Matcher m = Pattern.compile("dev\\.ballast\\.jmh\\.[A-Za-z0-9]+Benchmark\\b").matcher(list);
    while (m.find()) {
      known.add(m.group());
    }
    Set<String> registered = new TreeSet<>();
    for (Suite.Benchmarks b : Suite.BENCHMARKS) {
      registered.add(b.type().getName());
    }

    assertThat(known).isNotEmpty();
    assertThat(registered).isEqualTo(known);
  }

  @Test
  void everyBaselineAndRivalIsAnImplementationOfItsClass() {
    for (Suite.Benchmarks b : Suite.BENCHMARKS) {
      assertThat(b.order(b.baseline())).as(b.name() + " baseline").isNotEqualTo(Integer.MAX_VALUE);
      String rival = b.rival();
      if (rival != null) {
        assertThat(b.order(rival)).as(b.name() + " rival").isNotEqualTo(Integer.MAX_VALUE);
      }
      for (Suite.Group group : b.groups()) {
        assertThat(group.impls()).as(b.name() + " " + group.methods()).contains(b.baseline());
      }
    }
  }

  @Test
  void selectsClassesByShortNameInSuiteOrder() {
    assertThat(Suite.select("")).isEqualTo(Suite.BENCHMARKS);
    assertThat(Suite.select("TimerWheel, circuitbreaker"))
        .extracting(Suite.Benchmarks::name)
        .containsExactly("CircuitBreaker", "TimerWheel");
    assertThat(Suite.select("TimerWheelBenchmark"))
        .extracting(Suite.Benchmarks::name)
        .containsExactly("TimerWheel");
  }

  @Test
  void namesTheKnownClassesWhenOneIsUnknown() {
    assertThatThrownBy(() -> Suite.select("CircuitBreaker,Bulkhead"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Bulkhead'")
        .hasMessageContaining("CircuitBreaker,TimerWheel");
  }

  @Test
  void keepsOnlyTheImplementationsAGroupHas() {
    Suite.Group group = Suite.Group.of(".*", TimerWheelBenchmark.Impl.class);

    assertThat(Suite.impls(group, "")).containsExactly("BALLAST_WHEEL", "SCHEDULED_THREAD_POOL");
    assertThat(Suite.impls(group, "BALLAST_COUNT, BALLAST_WHEEL")).containsExactly("BALLAST_WHEEL");
    assertThat(Suite.impls(group, "BALLAST_COUNT")).isEmpty();
  }
}
