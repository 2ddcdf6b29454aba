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
import java.util.stream.Collectors;
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
      Set<String> all = new TreeSet<>();
      for (Suite.Group group : b.groups()) {
        assertThat(group.impls()).as(b.name() + " " + group.methods()).contains(b.baseline());
        all.addAll(group.impls());
      }
      assertThat(all).as(b.name() + " rivals").containsAll(b.rivals());
    }
  }

  @Test
  void selectsClassesByShortNameInSuiteOrder() {
    assertThat(Suite.select("")).isEqualTo(Suite.BENCHMARKS);
    assertThat(Suite.select("TimerWheel, circuitbreaker,Retry"))
        .extracting(Suite.Benchmarks::name)
        .containsExactly("CircuitBreaker", "Retry", "TimerWheel");
    assertThat(Suite.select("TimerWheelBenchmark"))
        .extracting(Suite.Benchmarks::name)
        .containsExactly("TimerWheel");
  }

  @Test
  void namesTheKnownClassesWhenOneIsUnknown() {
    assertThatThrownBy(() -> Suite.select("CircuitBreaker,Nonesuch"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Nonesuch'")
        .hasMessageContaining("CircuitBreaker,OpenBreaker,Timeout,Retry,Bulkhead,")
        .hasMessageContaining(
            Suite.BENCHMARKS.stream().map(Suite.Benchmarks::name).collect(Collectors.joining(",")));
  }

  @Test
  void runsTheSyncAndAsyncTimeoutsAsGroupsWithTheirOwnImplementations() {
    Suite.Benchmarks timeout = Suite.select("Timeout").get(0);

    assertThat(timeout.groups())
        .extracting(Suite.Group::methods)
        .containsExactly("sync.*", "async.*");
    assertThat(Suite.impls(timeout.groups().get(0), "BALLAST,R4J_TIME_LIMITER"))
        .containsExactly("BALLAST");
    assertThat(Suite.impls(timeout.groups().get(1), "BALLAST,R4J_TIME_LIMITER"))
        .containsExactly("BALLAST", "R4J_TIME_LIMITER");
    Suite.Group async = timeout.groups().get(1);
    assertThat(async.order("R4J_TIME_LIMITER")).isLessThan(async.order("FAILSAFE"));
    assertThat(async.order("BALLAST_COUNT")).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void keepsOnlyTheImplementationsAGroupHas() {
    Suite.Group group = Suite.Group.of(".*", TimerWheelBenchmark.Impl.class);

    assertThat(Suite.impls(group, "")).containsExactly("BALLAST_WHEEL", "SCHEDULED_THREAD_POOL");
    assertThat(Suite.impls(group, "BALLAST_COUNT, BALLAST_WHEEL")).containsExactly("BALLAST_WHEEL");
    assertThat(Suite.impls(group, "BALLAST_COUNT")).isEmpty();
  }
}
