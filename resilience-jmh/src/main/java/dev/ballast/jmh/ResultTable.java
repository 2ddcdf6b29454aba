package dev.ballast.jmh;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Renders benchmark results as a markdown table, with each row's time as a ratio of the {@code
 * BALLAST_COUNT} row at the same thread count.
 *
 * <p>Not thread-safe; build one, render it, drop it.
 */
final class ResultTable {

  /** The row every ratio is taken against. */
  static final String BASELINE = "BALLAST_COUNT";

  /** The rival whose ratio to the baseline is spelled out under the table. */
  static final String RIVAL = "R4J_COUNT";

  /**
   * One measured benchmark.
   *
   * @param benchmark the benchmark's short name, {@code Class.method}
   * @param impl the implementation parameter
   * @param threads benchmark threads
   * @param nanos average time, ns/op
   * @param error the 99.9% half-interval of {@code nanos}, NaN when too few iterations
   * @param bytes bytes allocated per operation, NaN when not profiled
   * @param order where the row sorts among rows of the same thread count
   */
  record Row(
      String benchmark,
      String impl,
      int threads,
      double nanos,
      double error,
      double bytes,
      int order) {}

  private final List<Row> rows;

  ResultTable(List<Row> rows) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(
        Comparator.comparing(Row::benchmark)
            .thenComparingInt(Row::threads)
            .thenComparingInt(Row::order)
            .thenComparing(Row::impl));
    this.rows = List.copyOf(sorted);
  }

  /** Returns the table, then one line per thread count comparing the rival to the baseline. */
  String render() {
    StringBuilder out = new StringBuilder();
    out.append("| benchmark | impl | threads | ns/op | B/op | ns/op ÷ ")
        .append(BASELINE)
        .append(" |\n");
    out.append("|---|---|---:|---:|---:|---:|\n");
    for (Row row : rows) {
      out.append("| ")
          .append(row.benchmark())
          .append(" | ")
          .append(row.impl())
          .append(" | ")
          .append(row.threads())
          .append(" | ")
          .append(score(row))
          .append(" | ")
          .append(Double.isNaN(row.bytes()) ? "n/a" : format("%.3f", row.bytes()))
          .append(" | ")
          .append(ratio(row))
          .append(" |\n");
    }
    out.append('\n');
    for (Row rival : rows) {
      if (!rival.impl().equals(RIVAL)) {
        continue;
      }
      Row base = baseline(rival);
      if (base == null || !(base.nanos() > 0)) {
        continue;
      }
      double speedup = rival.nanos() / base.nanos();
      out.append(
          format(
              "%s / %s at %d thread%s (%s): %.2f, so %s is %.2fx %s than %s%n",
              RIVAL,
              BASELINE,
              rival.threads(),
              rival.threads() == 1 ? "" : "s",
              rival.benchmark(),
              speedup,
              BASELINE,
              speedup >= 1 ? speedup : 1 / speedup,
              speedup >= 1 ? "faster" : "slower",
              RIVAL));
    }
    return out.toString();
  }

  private static String score(Row row) {
    return Double.isNaN(row.error()) || Double.isInfinite(row.error())
        ? format("%.3f", row.nanos())
        : format("%.3f ± %.3f", row.nanos(), row.error());
  }

  private String ratio(Row row) {
    Row base = baseline(row);
    if (base == null || !(base.nanos() > 0)) {
      return "n/a";
    }
    return format("%.2f", row.nanos() / base.nanos());
  }

  private @Nullable Row baseline(Row row) {
    for (Row candidate : rows) {
      if (candidate.impl().equals(BASELINE)
          && candidate.threads() == row.threads()
          && candidate.benchmark().equals(row.benchmark())) {
        return candidate;
      }
    }
    return null;
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
