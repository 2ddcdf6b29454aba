package dev.ballast.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

final class ResultTableTest {

  private static ResultTable.Row row(String benchmark, String impl, int threads, double nanos) {
    return new ResultTable.Row(benchmark, impl, threads, nanos, 0.5, 0.0, 0);
  }

  @Test
  void dividesEachRowByTheBaselineOfItsThreadCount() {
    String table =
        new ResultTable(
                List.of(
                    row("B.twoThreads", "BALLAST_COUNT", 2, 20),
                    row("B.twoThreads", "R4J_COUNT", 2, 50),
                    row("B.oneThread", "BALLAST_COUNT", 1, 10),
                    row("B.oneThread", "R4J_COUNT", 1, 15)))
            .render();

    assertThat(table)
        .contains("| B.oneThread | BALLAST_COUNT | 1 | 10.000 ± 0.500 | 0.000 | 1.00 |")
        .contains("| B.oneThread | R4J_COUNT | 1 | 15.000 ± 0.500 | 0.000 | 1.50 |")
        .contains("| B.twoThreads | R4J_COUNT | 2 | 50.000 ± 0.500 | 0.000 | 2.50 |")
        .contains(
            "R4J_COUNT / BALLAST_COUNT at 2 threads (B.twoThreads): 2.50,"
                + " so BALLAST_COUNT is 2.50x faster than R4J_COUNT");
    assertThat(table.indexOf("B.oneThread | BALLAST_COUNT"))
        .isLessThan(table.indexOf("B.twoThreads | BALLAST_COUNT"));
  }

  @Test
  void saysSlowerWhenTheRivalWins() {
    String table =
        new ResultTable(
                List.of(
                    row("B.twoThreads", "BALLAST_COUNT", 2, 40),
                    row("B.twoThreads", "R4J_COUNT", 2, 20)))
            .render();

    assertThat(table).contains(": 0.50, so BALLAST_COUNT is 2.00x slower than R4J_COUNT");
  }

  @Test
  void printsNoRatioOrErrorItCannotKnow() {
    String table =
        new ResultTable(
                List.of(new ResultTable.Row("B.oneThread", "BARE", 1, 1.25, Double.NaN, 0, 0)))
            .render();

    assertThat(table).contains("| B.oneThread | BARE | 1 | 1.250 | 0.000 | n/a |");
    assertThat(table).doesNotContain("R4J_COUNT /");
  }
}
