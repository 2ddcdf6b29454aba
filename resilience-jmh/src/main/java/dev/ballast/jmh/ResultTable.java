package dev.ballast.jmh;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Renders the results of one benchmark class as a markdown table, with each row's time as a ratio
 * of the baseline row of the same group: same benchmark method, same thread count, same parameters
 * other than {@code impl}.
 *
 * <p>Not thread-safe; build one, render it, drop it.
 */
final class ResultTable {

  /**
   * One measured benchmark.
   *
   * @param section where the row's method family sorts in the table (the suite's group index)
   * @param benchmark the benchmark's short name, {@code Class.method}
   * @param impl the implementation parameter
   * @param params the other parameters as {@code name=value}, comma-separated; empty when none
   * @param threads benchmark threads
   * @param nanos average time, ns/op
   * @param error the 99.9% half-interval of {@code nanos}, NaN when too few iterations
   * @param bytes bytes allocated per operation, NaN when not profiled
   * @param order where the row sorts among rows of the same group
   */
  record Row(
      int section,
      String benchmark,
      String impl,
      String params,
      int threads,
      double nanos,
      double error,
      double bytes,
      int order) {}

  private final List<Row> rows;
  private final String baseline;
  private final List<String> rivals;
  private final boolean showParams;

  /**
   * Sorts {@code rows} by section, benchmark, parameters, threads and then {@code order}.
   *
   * @param baseline the {@code impl} every ratio is taken against
   * @param rivals the {@code impl}s whose ratio to the baseline is spelled out under the table
   */
  ResultTable(List<Row> rows, String baseline, List<String> rivals) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(
        Comparator.comparingInt(Row::section)
            .thenComparing(Row::benchmark)
            .thenComparing(Row::params, ResultTable::compareNatural)
            .thenComparingInt(Row::threads)
            .thenComparingInt(Row::order)
            .thenComparing(Row::impl));
    this.rows = List.copyOf(sorted);
    this.baseline = Objects.requireNonNull(baseline, "baseline");
    this.rivals = List.copyOf(rivals);
    this.showParams = rows.stream().anyMatch(row -> !row.params().isEmpty());
  }

  /** Returns the table, then one line per group and rival comparing the rival to the baseline. */
  String render() {
    StringBuilder out = new StringBuilder();
    out.append("| benchmark | impl | ");
    if (showParams) {
      out.append("params | ");
    }
    out.append("threads | ns/op | B/op | ns/op ÷ ").append(baseline).append(" |\n");
    out.append(
        showParams ? "|---|---|---|---:|---:|---:|---:|\n" : "|---|---|---:|---:|---:|---:|\n");
    for (Row row : rows) {
      out.append("| ").append(row.benchmark()).append(" | ").append(row.impl()).append(" | ");
      if (showParams) {
        out.append(row.params()).append(" | ");
      }
      out.append(row.threads())
          .append(" | ")
          .append(score(row))
          .append(" | ")
          .append(Double.isNaN(row.bytes()) ? "n/a" : format("%.3f", row.bytes()))
          .append(" | ")
          .append(ratio(row))
          .append(" |\n");
    }
    boolean first = true;
    for (Row row : rows) {
      if (!rivals.contains(row.impl())) {
        continue;
      }
      Row base = baseline(row);
      if (base == null || !(base.nanos() > 0)) {
        continue;
      }
      if (first) {
        out.append('\n');
        first = false;
      }
      double speedup = row.nanos() / base.nanos();
      out.append(
          format(
              "- %s / %s at %d thread%s (%s%s): %.2f, so %s is %.2fx %s than %s%n",
              row.impl(),
              baseline,
              row.threads(),
              row.threads() == 1 ? "" : "s",
              row.benchmark(),
              row.params().isEmpty() ? "" : ", " + row.params(),
              speedup,
              baseline,
              speedup >= 1 ? speedup : 1 / speedup,
              speedup >= 1 ? "faster" : "slower",
              row.impl()));
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
      if (candidate.impl().equals(baseline)
          && candidate.threads() == row.threads()
          && candidate.benchmark().equals(row.benchmark())
          && candidate.params().equals(row.params())) {
        return candidate;
      }
    }
    return null;
  }

  /** Compares strings with runs of digits compared as numbers, so 1000 sorts before 100000. */
  static int compareNatural(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char x = a.charAt(i);
      char y = b.charAt(j);
      if (isDigit(x) && isDigit(y)) {
        int endA = digitsEnd(a, i);
        int endB = digitsEnd(b, j);
        String numA = stripZeros(a.substring(i, endA));
        String numB = stripZeros(b.substring(j, endB));
        int byLength = Integer.compare(numA.length(), numB.length());
        if (byLength != 0) {
          return byLength;
        }
        int byDigits = numA.compareTo(numB);
        if (byDigits != 0) {
          return byDigits;
        }
        i = endA;
        j = endB;
        continue;
      }
      if (x != y) {
        return Character.compare(x, y);
      }
      i++;
      j++;
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int digitsEnd(String s, int from) {
    int end = from;
    while (end < s.length() && isDigit(s.charAt(end))) {
      end++;
    }
    return end;
  }

  private static String stripZeros(String digits) {
    int start = 0;
    while (start < digits.length() - 1 && digits.charAt(start) == '0') {
      start++;
    }
    return digits.substring(start);
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
