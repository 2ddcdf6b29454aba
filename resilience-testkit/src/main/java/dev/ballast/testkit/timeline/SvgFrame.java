package dev.ballast.testkit.timeline;

import static dev.ballast.testkit.timeline.SvgWriter.num;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What surrounds the lanes of a timeline picture: the style sheet, the time scale (how a time maps
 * to x, where the axis ticks fall, how a duration reads), the gridlines, the axis, the legend and
 * the state colours.
 *
 * <p>Not thread-safe: one instance serves one rendering.
 */
final class SvgFrame {
  static final int WIDTH = 960;
  static final int PLOT_LEFT = 80;
  static final int PLOT_WIDTH = 860;

  static final String STYLE =
      String.join(
          "",
          "text{font-family:sans-serif;font-size:11px;fill:#263238}",
          ".title{font-size:15px;font-weight:bold}",
          ".lane-name{font-size:12px;font-weight:bold}",
          ".scale{font-size:9px;fill:#607d8b}",
          ".band-label{font-size:10px}",
          ".mark-label{font-size:9px;fill:#455a64}",
          ".plot{fill:#fafafa;stroke:#eceff1}",
          ".grid{stroke:#eceff1}",
          ".axis{stroke:#607d8b}",
          ".band{stroke:#ffffff;stroke-width:0.5}",
          ".tick{stroke-width:1.5}",
          ".success{stroke:#2e7d32}",
          ".failure{stroke:#c62828}",
          ".timeout{stroke:#ef6c00}",
          ".rejection{stroke:#b71c1c;stroke-width:1.5;fill:none}",
          ".retry{fill:#6a1b9a}",
          ".backoff{stroke:#6a1b9a;stroke-width:2;stroke-opacity:0.5}",
          ".latency{fill:none;stroke:#37474f;stroke-width:1}",
          ".latency-dot{fill:#37474f}",
          ".limit{fill:none;stroke:#1565c0;stroke-width:1.5;stroke-dasharray:4 2}",
          ".level{fill:none;stroke:#00838f;stroke-width:1.5}",
          ".mark{stroke:#78909c;stroke-dasharray:2 2}",
          ".dropped{fill:#b71c1c;font-weight:bold}");

  private static final String[] PALETTE = {
    "#90caf9", "#ce93d8", "#80cbc4", "#ffcc80", "#b0bec5", "#f48fb1", "#c5e1a5", "#9fa8da"
  };

  private final SvgWriter svg;
  private final long end;
  private final Map<String, String> colours = new LinkedHashMap<>();

  SvgFrame(SvgWriter svg, long end) {
    this.svg = svg;
    this.end = end;
  }

  long end() {
    return end;
  }

  /** The x of a time: {@code PLOT_LEFT + t * PLOT_WIDTH / end}, times past the end at the end. */
  double x(long atNanos) {
    return PLOT_LEFT + (double) Math.min(atNanos, end) * PLOT_WIDTH / end;
  }

  /** Ticks at a round step (1, 2 or 5 times a power of ten nanoseconds), at most eleven. */
  List<Long> axisTicks() {
    long step = 1;
    outer:
    for (long power = 1; power > 0 && power <= Long.MAX_VALUE / 5; power *= 10) {
      for (long m : new long[] {1, 2, 5}) {
        step = power * m;
        if (end / step <= 10) {
          break outer;
        }
      }
    }
    List<Long> ticks = new ArrayList<>();
    for (long t = 0; t <= end && t >= 0; t += step) {
      ticks.add(t);
    }
    return ticks;
  }

  void grid(int top, int bottom) {
    svg.open("g", "class", "grid-lines");
    for (long t : axisTicks()) {
      svg.line("grid", x(t), top, x(t), bottom);
    }
    svg.close();
  }

  void axis(int y, long dropped, int maxEvents) {
    svg.open("g", "class", "axis-group");
    svg.line("axis", PLOT_LEFT, y, PLOT_LEFT + PLOT_WIDTH, y);
    for (long t : axisTicks()) {
      svg.line("axis", x(t), y, x(t), y + 4);
      String at = Long.toString(t);
      svg.label("axis-label", duration(t), x(t), y + 16, "data-at-ns", at, "text-anchor", "middle");
    }
    svg.label("scale", "time", PLOT_LEFT - 4, y + 16, "text-anchor", "end");
    if (dropped > 0) {
      String text = dropped + " events dropped: the timeline keeps " + maxEvents;
      svg.label("dropped", text, PLOT_LEFT, y + 32);
    }
    svg.close();
  }

  void legend(int y, Iterable<String> states) {
    svg.open("g", "class", "legend");
    int x = PLOT_LEFT;
    for (String[] tick : new String[][] {{"success", "6"}, {"failure", "12"}, {"timeout", "12"}}) {
      svg.line("tick " + tick[0], x, y, x, y - Integer.parseInt(tick[1]));
      svg.label("legend-label", tick[0], x + 6, y);
      x += 20 + 7 * tick[0].length();
    }
    String d = "M%d %d L%d %d M%d %d L%d %d";
    d = String.format(d, x - 3, y - 7, x + 3, y - 1, x - 3, y - 1, x + 3, y - 7);
    svg.empty("path", "class", "rejection", "d", d);
    svg.label("legend-label", "rejected", x + 8, y);
    x += 76;
    svg.empty("circle", "class", "retry", "cx", num(x), "cy", num(y - 4), "r", "3");
    svg.line("backoff", x, y - 4, x + 16, y - 4);
    svg.label("legend-label", "retry, back-off", x + 20, y);
    x += 122;
    for (String line : new String[] {"latency", "limit", "level"}) {
      svg.line(line, x, y - 4, x + 16, y - 4);
      svg.label("legend-label", line, x + 20, y);
      x += 30 + 7 * line.length();
    }
    x = PLOT_LEFT;
    for (String state : states) {
      svg.empty(
          "rect",
          "class",
          "band",
          "x",
          num(x),
          "y",
          num(y + 10),
          "width",
          "12",
          "height",
          "12",
          "fill",
          colour(state));
      svg.label("legend-label", state, x + 16, y + 20);
      x += 28 + 7 * state.length();
    }
    svg.close();
  }

  /** The colour of a state: the usual ones fixed, others from a palette in order of appearance. */
  String colour(String state) {
    String c = colours.get(state);
    if (c == null) {
      c = known(state, colours.size());
      colours.put(state, c);
    }
    return c;
  }

  private static String known(String state, int index) {
    return switch (state) {
      case "CLOSED", "NORMAL", "RUNNING", "healthy", "healed" -> "#a5d6a7";
      case "OPEN", "SHEDDING", "broken" -> "#ef9a9a";
      case "HALF_OPEN" -> "#ffe082";
      case "DISABLED", "PAUSED" -> "#cfd8dc";
      default -> PALETTE[index % PALETTE.length];
    };
  }

  /**
   * A duration as a person reads it, to three significant digits: {@code 0}, {@code 750 µs}, {@code
   * 203 ms}, {@code 1.5 s}.
   */
  static String duration(long nanos) {
    if (nanos == 0) {
      return "0";
    }
    String[] units = {"ns", "µs", "ms", "s"};
    int unit = 0;
    long scale = 1;
    while (unit < 3 && nanos >= scale * 1000) {
      scale *= 1000;
      unit++;
    }
    BigDecimal value =
        BigDecimal.valueOf(nanos)
            .divide(BigDecimal.valueOf(scale))
            .round(new MathContext(3, RoundingMode.HALF_UP));
    return value.stripTrailingZeros().toPlainString() + " " + units[unit];
  }
}
