package dev.ballast.jmh;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Lays out a {@link Chart} and writes its SVG: the header and legend, then one panel per benchmark
 * class in the suite's order, each a group of bars per method family and parameters.
 *
 * <p>Every bar is a {@code rect class="bar"} carrying its result in {@code data-} attributes
 * ({@code data-benchmark}, {@code data-impl}, {@code data-params}, {@code data-threads}, {@code
 * data-ns}, {@code data-bytes}); every decade's grid line is a {@code line class="grid"} with its
 * {@code data-ns}. The x of a time {@code t} is {@code PLOT_LEFT + DECADE * log10(t / low)}, where
 * {@code low} is the decade at or below the fastest result and {@code DECADE} the plot's width over
 * the decades it spans. Coordinates are printed with one decimal, numbers with {@link Locale#ROOT}:
 * the same results and header always give the same text.
 *
 * <p>Not thread-safe; build one, call {@link #svg()}, drop it.
 */
final class ChartLayout {

  static final int WIDTH = 1000;
  static final double PLOT_LEFT = 250;
  static final double PLOT_RIGHT = 700;
  private static final double IMPL_RIGHT = 212;
  private static final double THREADS_RIGHT = 240;
  private static final double BYTES_RIGHT = WIDTH - 16;
  private static final double ROW = 16;
  private static final double BAR = 11;

  private final List<Chart.Result> results;
  private final Chart.Header header;
  private final double low;
  private final int decades;
  private StringBuilder out = new StringBuilder();
  private double y;

  ChartLayout(List<Chart.Result> results, Chart.Header header) {
    if (results.isEmpty()) {
      throw new IllegalArgumentException("Chart: no benchmark results to draw");
    }
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (Chart.Result r : results) {
      if (r.nanos() > 0 && Double.isFinite(r.nanos())) {
        min = Math.min(min, r.nanos());
        max = Math.max(max, r.nanos());
      }
    }
    if (max == 0) {
      throw new IllegalArgumentException(
          "Chart: no result has a positive time to draw on a log scale: " + results);
    }
    int lowExponent = (int) Math.floor(Math.log10(min));
    int highExponent = Math.max(lowExponent + 1, (int) Math.ceil(Math.log10(max)));
    this.low = Math.pow(10, lowExponent);
    this.decades = highExponent - lowExponent;
    this.results = List.copyOf(results);
    this.header = header;
  }

  /** The width of one decade on the time axis. */
  double decade() {
    return (PLOT_RIGHT - PLOT_LEFT) / decades;
  }

  /** The x of a time on the axis, clamped into the plot. */
  double x(double nanos) {
    if (!(nanos > 0)) {
      return PLOT_LEFT;
    }
    double at = PLOT_LEFT + decade() * Math.log10(nanos / low);
    return Math.max(PLOT_LEFT, Math.min(PLOT_RIGHT, at));
  }

  /** Returns the SVG document. */
  String svg() {
    header();
    legend();
    y += 26;
    double gridTop = y - 12;
    axisLabels(y);
    y += 10;
    StringBuilder above = out;
    out = new StringBuilder();
    for (Map.Entry<String, Map<String, List<Chart.Result>>> panel : panels().entrySet()) {
      panel(panel.getKey(), panel.getValue());
    }
    StringBuilder bars = out;
    out = above;
    for (int d = 0; d <= decades; d++) {
      double ns = low * Math.pow(10, d);
      out.append(
          format(
              "<line class=\"grid\" data-ns=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\""
                  + " stroke=\"#d0d0d0\" stroke-width=\"1\"/>\n",
              number(ns), x(ns), gridTop, x(ns), y));
    }
    out.append(bars);
    y += 14;
    axisLabels(y);
    y += 20;
    text(
        16,
        y,
        "start",
        "footer",
        "ns/op on a log scale, shorter is faster; the whisker is JMH's 99.9% error interval. At a"
            + " bar's end: ns/op and its ratio to the class's outlined baseline at the same threads.",
        "#555555");
    y += 15;
    text(
        16,
        y,
        "start",
        "footer",
        "B/op: bytes allocated per operation (JMH's GC profiler, gc.alloc.rate.norm), green when"
            + " none. 1T, 2T: benchmark threads.",
        "#555555");
    double height = Math.ceil(y + 12);
    StringBuilder document = new StringBuilder(out.length() + 1024);
    document.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    document.append(
        format(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%.0f\""
                + " viewBox=\"0 0 %d %.0f\" font-family=\"DejaVu Sans, Helvetica, Arial,"
                + " sans-serif\" font-size=\"11\">\n",
            WIDTH, height, WIDTH, height));
    document.append("<title>Ballast benchmarks</title>\n");
    document
        .append("<desc>")
        .append(escape(header.machine() + "; " + header.jdk() + "; " + header.date()))
        .append("</desc>\n");
    document.append(
        "<defs><pattern id=\"hatch\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\""
            + " patternTransform=\"rotate(45)\"><rect width=\"2\" height=\"5\" fill=\"#ffffff\""
            + " fill-opacity=\"0.55\"/></pattern></defs>\n");
    document.append(
        format(
            "<rect class=\"background\" width=\"%d\" height=\"%.0f\" fill=\"#ffffff\"/>\n",
            WIDTH, height));
    document.append(out).append("</svg>\n");
    return document.toString();
  }

  private void header() {
    y = 24;
    out.append(
        format(
            "<text id=\"title\" x=\"16\" y=\"%.1f\" font-size=\"16\" font-weight=\"bold\">%s</text>\n",
            y,
            escape(
                "Ballast beside Resilience4j, Failsafe and the bare call: time and allocation")));
    y += 20;
    out.append(
        format(
            "<text id=\"machine\" x=\"16\" y=\"%.1f\">%s</text>\n",
            y,
            escape(
                "Machine: "
                    + header.machine()
                    + " · JDK: "
                    + header.jdk()
                    + " · "
                    + header.date())));
    y += 16;
    out.append(format("<text id=\"run\" x=\"16\" y=\"%.1f\">%s</text>\n", y, escape(header.run())));
    y += 16;
    out.append(
        format(
            "<text id=\"note\" x=\"16\" y=\"%.1f\" font-style=\"italic\" fill=\"#8a3b00\">%s</text>\n",
            y, escape(header.note())));
  }

  private void legend() {
    y += 22;
    Set<Family> present = EnumSet.noneOf(Family.class);
    for (Chart.Result r : results) {
      present.add(Family.of(r.impl()));
    }
    double at = 16;
    for (Family family : present) {
      out.append(
          format(
              "<rect class=\"swatch\" x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"%.0f\""
                  + " fill=\"%s\"/>\n",
              at, y - 9, BAR, family.colour()));
      text(at + 16, y, "start", "legend", family.label(), "#222222");
      at += 28 + 6.5 * family.label().length();
    }
    out.append(
        format(
            "<rect class=\"swatch\" x=\"%.1f\" y=\"%.1f\" width=\"24\" height=\"%.0f\""
                + " fill=\"#555555\"/>\n<rect x=\"%.1f\" y=\"%.1f\" width=\"24\" height=\"%.0f\""
                + " fill=\"url(#hatch)\"/>\n",
            at, y - 9, BAR, at, y - 9, BAR));
    text(at + 28, y, "start", "legend", "hatched: 2+ threads (1T solid)", "#222222");
    at += 28 + 6.2 * 30 + 12;
    out.append(
        format(
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"24\" height=\"%.0f\" fill=\"none\""
                + " stroke=\"#000000\" stroke-width=\"1.5\"/>\n",
            at, y - 9, BAR));
    text(at + 28, y, "start", "legend", "baseline", "#222222");
    text(BYTES_RIGHT, y + 26, "end", "legend", "B/op", "#222222");
  }

  private void axisLabels(double at) {
    for (int d = 0; d <= decades; d++) {
      double ns = low * Math.pow(10, d);
      text(x(ns), at, "middle", "axis", time(ns), "#555555");
    }
  }

  private void panel(String type, Map<String, List<Chart.Result>> subgroups) {
    Suite.Benchmarks known = known(type);
    y += 20;
    String name = type.endsWith("Benchmark") ? type.substring(0, type.length() - 9) : type;
    out.append(
        format(
            "<text class=\"panel\" x=\"16\" y=\"%.1f\" font-weight=\"bold\">%s</text>\n",
            y, escape(known == null ? name : name + ": " + known.title())));
    y += 6;
    for (Map.Entry<String, List<Chart.Result>> subgroup : subgroups.entrySet()) {
      if (subgroups.size() > 1) {
        y += 18;
        text(24, y - 4, "start", "subgroup", subgroup.getKey(), "#444444");
      }
      for (Chart.Result row : subgroup.getValue()) {
        bar(row, known == null ? null : baseline(row, known.baseline(), subgroup.getValue()));
      }
      y += 4;
    }
  }

  private void bar(Chart.Result row, Chart.@Nullable Result base) {
    Family family = Family.of(row.impl());
    double top = y + (ROW - BAR) / 2;
    double mid = top + BAR / 2;
    double end = x(row.nanos());
    boolean isBase = row.equals(base);
    text(
        IMPL_RIGHT,
        mid + 4,
        "end",
        "impl",
        row.impl().isEmpty() ? "(none)" : row.impl(),
        "#222222");
    text(THREADS_RIGHT, mid + 4, "end", "threads", row.threads() + "T", "#666666");
    out.append(
        format(
            "<rect class=\"bar\" data-benchmark=\"%s\" data-impl=\"%s\" data-params=\"%s\""
                + " data-threads=\"%d\" data-ns=\"%s\" data-bytes=\"%s\" x=\"%.1f\" y=\"%.1f\""
                + " width=\"%.1f\" height=\"%.0f\" fill=\"%s\"%s/>\n",
            escape(row.benchmark()),
            escape(row.impl()),
            escape(row.params()),
            row.threads(),
            number(row.nanos()),
            number(row.bytes()),
            PLOT_LEFT,
            top,
            end - PLOT_LEFT,
            BAR,
            family.colour(),
            isBase ? " stroke=\"#000000\" stroke-width=\"1.5\"" : ""));
    if (row.threads() > 1) {
      out.append(
          format(
              "<rect class=\"hatch\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\""
                  + " fill=\"url(#hatch)\"/>\n",
              PLOT_LEFT, top, end - PLOT_LEFT, BAR));
    }
    double label = end;
    if (Double.isFinite(row.error()) && row.error() > 0) {
      double from = x(row.nanos() - row.error());
      double to = x(row.nanos() + row.error());
      out.append(
          format(
              "<line class=\"error\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\""
                  + " stroke=\"#333333\" stroke-width=\"1\"/>\n",
              from, mid, to, mid));
      label = Math.max(label, to);
    }
    String figure = time(row.nanos());
    if (base != null && !isBase && base.nanos() > 0) {
      double ratio = row.nanos() / base.nanos();
      figure += " · " + ratio(ratio);
    }
    text(label + 4, mid + 4, "start", "figure", figure, "#222222");
    boolean free = row.bytes() == 0 || (row.bytes() >= 0 && row.bytes() < 0.5);
    text(
        BYTES_RIGHT,
        mid + 4,
        "end",
        "bytes",
        Double.isNaN(row.bytes()) ? "n/a" : format("%,.0f B", row.bytes()),
        free ? "#1a7f37" : "#b42318");
    y += ROW;
  }

  /** The class's baseline row with the same method, parameters and threads as {@code row}. */
  private static Chart.@Nullable Result baseline(
      Chart.Result row, String baseline, List<Chart.Result> rows) {
    for (Chart.Result candidate : rows) {
      if (candidate.impl().equals(baseline)
          && candidate.method().equals(row.method())
          && candidate.params().equals(row.params())
          && candidate.threads() == row.threads()) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Groups the results by benchmark class (the suite's order, then unknown classes as they come)
   * and within a class by method family and parameters, as they come; sorts each group's rows by
   * the implementation's place in its enum (as they come when unknown), then threads.
   */
  private Map<String, Map<String, List<Chart.Result>>> panels() {
    Map<String, Map<String, List<Chart.Result>>> byType = new LinkedHashMap<>();
    List<String> order = new ArrayList<>();
    for (Chart.Result r : results) {
      String family = family(r.method());
      String label = family.isEmpty() ? r.params() : family;
      if (!family.isEmpty() && !r.params().isEmpty()) {
        label = family + " · " + r.params();
      }
      byType
          .computeIfAbsent(r.type(), t -> new LinkedHashMap<>())
          .computeIfAbsent(label, l -> new ArrayList<>())
          .add(r);
      if (!order.contains(r.impl())) {
        order.add(r.impl());
      }
    }
    List<Map.Entry<String, Map<String, List<Chart.Result>>>> types =
        new ArrayList<>(byType.entrySet());
    types.sort(Comparator.comparingInt(entry -> suiteIndex(entry.getKey())));
    Map<String, Map<String, List<Chart.Result>>> sorted = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, List<Chart.Result>>> entry : types) {
      String type = entry.getKey();
      Suite.Benchmarks known = known(type);
      Map<String, List<Chart.Result>> subgroups = entry.getValue();
      for (List<Chart.Result> rows : subgroups.values()) {
        rows.sort(
            Comparator.comparingInt((Chart.Result r) -> implOrder(known, r, order))
                .thenComparingInt(Chart.Result::threads));
      }
      sorted.put(type, subgroups);
    }
    return sorted;
  }

  /** A method's family: its name without a trailing thread count ({@code syncOneThread}). */
  static String family(String method) {
    return method.replaceFirst("(?i)(one|two|three|four|[0-9]+)threads?$", "");
  }

  private static int implOrder(
      Suite.@Nullable Benchmarks known, Chart.Result r, List<String> order) {
    if (known != null) {
      for (Suite.Group group : known.groups()) {
        if (r.method().matches(group.methods()) && group.impls().contains(r.impl())) {
          return group.order(r.impl());
        }
      }
    }
    return 10_000 + order.indexOf(r.impl());
  }

  private static int suiteIndex(String type) {
    for (int i = 0; i < Suite.BENCHMARKS.size(); i++) {
      if (Suite.BENCHMARKS.get(i).type().getSimpleName().equals(type)) {
        return i;
      }
    }
    return Integer.MAX_VALUE;
  }

  private static Suite.@Nullable Benchmarks known(String type) {
    int index = suiteIndex(type);
    return index == Integer.MAX_VALUE ? null : Suite.BENCHMARKS.get(index);
  }

  private void text(double x, double at, String anchor, String cls, String content, String fill) {
    out.append(
        format(
            "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"%s\">%s</text>\n",
            cls, x, at, anchor, fill, escape(content)));
  }

  /** A time for a label: {@code 0.8 ns}, {@code 12.6 ns}, {@code 140 ns}, {@code 1.9 µs}. */
  static String time(double nanos) {
    if (Double.isNaN(nanos)) {
      return "n/a";
    }
    if (nanos < 1) {
      return format(nanos < 0.1 ? "%.2f ns" : "%.1f ns", nanos);
    }
    if (nanos < 100) {
      return format(nanos == Math.rint(nanos) ? "%.0f ns" : "%.1f ns", nanos);
    }
    if (nanos < 1e3) {
      return format("%.0f ns", nanos);
    }
    if (nanos < 1e6) {
      return scaled(nanos / 1e3, "µs");
    }
    if (nanos < 1e9) {
      return scaled(nanos / 1e6, "ms");
    }
    return scaled(nanos / 1e9, "s");
  }

  /** A ratio for a label, with two significant digits below 10: {@code 0.004×}, {@code 4.4×}. */
  static String ratio(double ratio) {
    if (Double.isNaN(ratio)) {
      return "n/a";
    }
    if (ratio <= 0) {
      return "0×";
    }
    if (ratio >= 10) {
      return format("%.0f×", ratio);
    }
    if (ratio >= 1) {
      return format("%.1f×", ratio);
    }
    int decimals = Math.min(6, 1 - (int) Math.floor(Math.log10(ratio)));
    return format("%." + decimals + "f×", ratio);
  }

  private static String scaled(double value, String unit) {
    return format(value == Math.rint(value) || value >= 100 ? "%.0f %s" : "%.1f %s", value, unit);
  }

  /** A number for a {@code data-} attribute: as Java prints a double, trailing ".0" dropped. */
  private static String number(double value) {
    String text = Double.toString(value);
    return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
  }

  /** Escapes text for XML character data and attribute values. */
  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&apos;");
        default -> {
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            escaped.append(' '); // not allowed in XML 1.0
          } else {
            escaped.append(c);
          }
        }
      }
    }
    return escaped.toString();
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
