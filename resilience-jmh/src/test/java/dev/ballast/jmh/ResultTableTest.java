package dev.ballast.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ResultTableTest {

  private static ResultTable.Row row(String benchmark, String impl, int threads, double nanos) {
    return new ResultTable.Row(0, benchmark, impl, "", threads, nanos, 0.5, 0.0, 0);
  }

  private static ResultTable.Row row(
      String impl, String params, double nanos, double bytes, int order) {
    return new ResultTable.Row(0, "W.scheduleAndCancel", impl, params, 1, nanos, 0.5, bytes, order);
  }

  @Test
  void dividesEachRowByTheBaselineOfItsThreadCount() {
    String table =
        new ResultTable(
                List.of(
                    row("B.twoThreads", "BALLAST_COUNT", 2, 20),
                    row("B.twoThreads", "R4J_COUNT", 2, 50),
                    row("B.oneThread", "BALLAST_COUNT", 1, 10),
                    row("B.oneThread", "R4J_COUNT", 1, 15)),
                "BALLAST_COUNT",
                List.of("R4J_COUNT"))
            .render();

    assertThat(table)
        .contains("| benchmark | impl | threads | ns/op | B/op | ns/op ÷ BALLAST_COUNT |")
        .contains("| B.oneThread | BALLAST_COUNT | 1 | 10.000 ± 0.500 | 0.000 | 1.00 |")
        .contains("| B.oneThread | R4J_COUNT | 1 | 15.000 ± 0.500 | 0.000 | 1.50 |")
        .contains("| B.twoThreads | R4J_COUNT | 2 | 50.000 ± 0.500 | 0.000 | 2.50 |")
        .contains(
            "- R4J_COUNT / BALLAST_COUNT at 2 threads (B.twoThreads): 2.50,"
                + " so BALLAST_COUNT is 2.50x faster than R4J_COUNT");
    assertThat(table.indexOf("B.oneThread | BALLAST_COUNT"))
        .isLessThan(table.indexOf("B.twoThreads | BALLAST_COUNT"));
  }

  @Test
  void takesEachClassBaselineAsGivenAndComparesEveryRival() {
    String table =
        new ResultTable(
                List.of(
                    row("R.oneThread", "BALLAST", 1, 2),
                    row("R.oneThread", "R4J", 1, 9),
                    row("R.oneThread", "FAILSAFE", 1, 40),
                    row("R.oneThread", "BARE", 1, 1)),
                "BALLAST",
                List.of("R4J", "FAILSAFE"))
            .render();

    assertThat(table)
        .contains("ns/op ÷ BALLAST |")
        .contains("| R.oneThread | R4J | 1 | 9.000 ± 0.500 | 0.000 | 4.50 |")
        .contains("- R4J / BALLAST at 1 thread (R.oneThread): 4.50, so BALLAST is 4.50x faster")
        .contains("- FAILSAFE / BALLAST at 1 thread (R.oneThread): 20.00, so BALLAST is 20.00x")
        .doesNotContain("- BARE /");
  }

  @Test
  void dividesEachRowByTheBaselineWithTheSameParameters() {
    List<ResultTable.Row> rows = new ArrayList<>();
    rows.add(row("POOL", "pending=1000000", 300, 96, 1));
    rows.add(row("WHEEL", "pending=1000000", 30, 0, 0));
    rows.add(row("POOL", "pending=1000", 100, 96, 1));
    rows.add(row("WHEEL", "pending=100000", 25, 0, 0));
    rows.add(row("WHEEL", "pending=1000", 20, 0, 0));
    rows.add(row("POOL", "pending=100000", 200, 96, 1));

    String table = new ResultTable(rows, "WHEEL", List.of("POOL")).render();

    assertThat(table)
        .contains("| benchmark | impl | params | threads | ns/op | B/op | ns/op ÷ WHEEL |")
        .contains("|---|---|---|---:|---:|---:|---:|")
        .contains(
            "| W.scheduleAndCancel | POOL | pending=1000 | 1 | 100.000 ± 0.500 | 96.000 | 5.00 |")
        .contains(
            "| W.scheduleAndCancel | POOL | pending=100000 | 1 | 200.000 ± 0.500 | 96.000 | 8.00 |")
        .contains(
            "| W.scheduleAndCancel | POOL | pending=1000000 | 1 | 300.000 ± 0.500 | 96.000 | 10.00 |")
        .contains("- POOL / WHEEL at 1 thread (W.scheduleAndCancel, pending=1000000): 10.00,");
    // Numbers in parameters sort by value, the baseline first in each group.
    assertThat(table.indexOf("| WHEEL | pending=1000 |"))
        .isLessThan(table.indexOf("| POOL | pending=1000 |"));
    assertThat(table.indexOf("| POOL | pending=1000 |"))
        .isLessThan(table.indexOf("| WHEEL | pending=100000 |"));
    assertThat(table.indexOf("| POOL | pending=100000 |"))
        .isLessThan(table.indexOf("| WHEEL | pending=1000000 |"));
  }

  @Test
  void keepsSectionsInTheirOrderBeforeSortingByName() {
    String table =
        new ResultTable(
                List.of(
                    new ResultTable.Row(1, "T.asyncOneThread", "BALLAST", "", 1, 900, 1, 0, 1),
                    new ResultTable.Row(0, "T.syncOneThread", "BALLAST", "", 1, 90, 1, 0, 1)),
                "BALLAST",
                List.of())
            .render();

    assertThat(table.indexOf("T.syncOneThread")).isLessThan(table.indexOf("T.asyncOneThread"));
  }

  @Test
  void sortsNumbersInsideNamesByValue() {
    assertThat(ResultTable.compareNatural("pending=1000", "pending=100000")).isNegative();
    assertThat(ResultTable.compareNatural("pending=1000000", "pending=100000")).isPositive();
    assertThat(ResultTable.compareNatural("n=9, m=2", "n=10, m=1")).isNegative();
    assertThat(ResultTable.compareNatural("n=007", "n=7")).isZero();
    assertThat(ResultTable.compareNatural("", "a")).isNegative();
    assertThat(ResultTable.compareNatural("a", "a")).isZero();
  }

  @Test
  void saysSlowerWhenTheRivalWins() {
    String table =
        new ResultTable(
                List.of(
                    row("B.twoThreads", "BALLAST_COUNT", 2, 40),
                    row("B.twoThreads", "R4J_COUNT", 2, 20)),
                "BALLAST_COUNT",
                List.of("R4J_COUNT"))
            .render();

    assertThat(table).contains(": 0.50, so BALLAST_COUNT is 2.00x slower than R4J_COUNT");
  }

  @Test
  void printsNoRatioOrErrorItCannotKnow() {
    String table =
        new ResultTable(
                List.of(
                    new ResultTable.Row(0, "B.oneThread", "BARE", "", 1, 1.25, Double.NaN, 0, 0),
                    new ResultTable.Row(
                        0, "B.oneThread", "R4J_COUNT", "", 1, 3, Double.NaN, Double.NaN, 1)),
                "BALLAST_COUNT",
                List.of("R4J_COUNT"))
            .render();

    assertThat(table)
        .contains("| B.oneThread | BARE | 1 | 1.250 | 0.000 | n/a |")
        .contains("| B.oneThread | R4J_COUNT | 1 | 3.000 | n/a | n/a |")
        .doesNotContain("R4J_COUNT /");
  }

  @Test
  void leavesOutTheComparisonWithoutARival() {
    String table =
        new ResultTable(
                List.of(row("B.oneThread", "BALLAST", 1, 2), row("B.oneThread", "BARE", 1, 1)),
                "BALLAST",
                List.of())
            .render();

    assertThat(table).contains("| B.oneThread | BARE | 1 | 1.000 ± 0.500 | 0.000 | 0.50 |");
    assertThat(table).doesNotContain(" / BALLAST");
  }
}
