package dev.ballast.testkit.timeline;

import static dev.ballast.testkit.timeline.SvgFrame.PLOT_LEFT;
import static dev.ballast.testkit.timeline.SvgFrame.PLOT_WIDTH;
import static dev.ballast.testkit.timeline.SvgFrame.WIDTH;
import static dev.ballast.testkit.timeline.SvgWriter.num;

import dev.ballast.testkit.timeline.TimelineEvent.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Draws a snapshot of a {@link Timeline} as SVG.
 *
 * <p>Layout: a title, then one lane per row, each {@value #LANE_HEIGHT} px high ({@value
 * #STATES_ONLY_LANE_HEIGHT} px for a lane with nothing but states): its name; a row of state bands
 * (one per state period: a state recorded again while it holds is no new period); a row of
 * rejection marks; a row of retries (a dot where the retry was scheduled, a bar for its back-off);
 * the latency line (scaled to the picture's slowest call, so lanes compare; the figure at the left)
 * with the limit and level step lines (scaled to their largest figure); labelled marks as dashed
 * verticals (a label only where the lane's previous mark label ended, each mark's label also in its
 * {@code data-label}); and a row of outcome ticks (short green for a success, tall red for a
 * failure, tall orange for a timeout). Under the lanes, one time axis from zero to the end, with
 * gridlines through every lane, and a legend ({@link SvgFrame}). Time maps to x linearly, rounded
 * to a tenth of a pixel.
 *
 * <p>Every drawn element carries its figures as {@code data-} attributes (nanoseconds, state
 * names), so tests check the picture's structure and times, not its pixels.
 *
 * <p>Not thread-safe: one instance renders one snapshot on one thread.
 */
final class SvgRenderer {
  static final int LANE_HEIGHT = 130;
  static final int STATES_ONLY_LANE_HEIGHT = 44;
  private static final int MAX_DOTS = 500;
  private static final double LABEL_CHAR_WIDTH = 6.5;

  private final String title;
  private final List<TimelineEvent> events;
  private final long dropped;
  private final int maxEvents;
  private final SvgWriter svg = new SvgWriter();
  private final SvgFrame frame;
  private final int top;
  private final Map<String, List<TimelineEvent>> byLane = new LinkedHashMap<>();
  private final long latencyMax;

  SvgRenderer(
      String title,
      List<String> lanes,
      List<TimelineEvent> events,
      long elapsed,
      long dropped,
      int maxEvents) {
    this.title = title;
    this.events = events;
    long last = 0;
    for (TimelineEvent e : events) {
      last = Math.max(last, e.atNanos());
    }
    this.frame = new SvgFrame(svg, Math.max(1, Math.max(elapsed, last)));
    long slowest = 0;
    for (String lane : lanes) {
      byLane.put(lane, new ArrayList<>());
    }
    for (TimelineEvent e : events) {
      List<TimelineEvent> own = byLane.get(e.lane());
      if (own != null) {
        own.add(e);
      }
      if (hasLatency(e)) {
        slowest = Math.max(slowest, e.durationNanos());
      }
    }
    this.latencyMax = slowest;
    this.dropped = dropped;
    this.maxEvents = maxEvents;
    this.top = title.isEmpty() ? 10 : 36;
  }

  String render() {
    int lanesHeight = 0;
    for (List<TimelineEvent> own : byLane.values()) {
      lanesHeight += height(own);
    }
    int axisY = top + lanesHeight + 6;
    int height = axisY + 84;
    String size = WIDTH + " " + height;
    svg.open(
        "svg",
        "xmlns",
        "http://www.w3.org/2000/svg",
        "width",
        Integer.toString(WIDTH),
        "height",
        Integer.toString(height),
        "viewBox",
        "0 0 " + size,
        "data-end-ns",
        Long.toString(frame.end()),
        "data-dropped",
        Long.toString(dropped));
    svg.text("title", title.isEmpty() ? "Ballast timeline" : title);
    svg.text("style", SvgFrame.STYLE);
    svg.empty("rect", "width", "100%", "height", "100%", "fill", "#ffffff");
    if (!title.isEmpty()) {
      svg.label("title", title, 10, 22);
    }
    frame.grid(top, axisY);
    int y = top;
    for (Map.Entry<String, List<TimelineEvent>> lane : byLane.entrySet()) {
      lane(lane.getKey(), lane.getValue(), y);
      y += height(lane.getValue());
    }
    frame.axis(axisY, dropped, maxEvents);
    frame.legend(axisY + 44, states());
    return svg.finish();
  }

  /** A lane that only changes state is a row of bands; any other lane has a plot too. */
  private static int height(List<TimelineEvent> own) {
    for (TimelineEvent e : own) {
      if (e.kind() != Kind.STATE) {
        return LANE_HEIGHT;
      }
    }
    return STATES_ONLY_LANE_HEIGHT;
  }

  private void lane(String name, List<TimelineEvent> own, int y0) {
    int height = height(own);
    svg.open("g", "class", "lane", "data-lane", name);
    svg.label("lane-name", name, 10, y0 + 12);
    svg.empty(
        "rect",
        "class",
        "plot",
        "x",
        num(PLOT_LEFT),
        "y",
        num(y0 + 18),
        "width",
        num(PLOT_WIDTH),
        "height",
        num(height - 24));
    bands(own, y0 + 18);
    latency(own, y0 + 62, y0 + 108);
    steps(own, y0 + 62, y0 + 108);
    int tickBase = y0 + height - 8;
    // A mark's label is drawn only where the previous label of the lane ended, so marks close
    // together stay readable; every mark keeps its label in data-label.
    double labelsFreeFrom = Double.NEGATIVE_INFINITY;
    for (TimelineEvent e : own) {
      double x = frame.x(e.atNanos());
      String at = Long.toString(e.atNanos());
      switch (e.kind()) {
        case SUCCESS, FAILURE, TIMEOUT -> {
          String cls = "tick " + e.kind().name().toLowerCase(Locale.ROOT);
          int length = e.kind() == Kind.SUCCESS ? 6 : 12;
          String latency = Long.toString(e.durationNanos());
          svg.line(
              cls, x, tickBase, x, tickBase - length, "data-at-ns", at, "data-latency-ns", latency);
        }
        case REJECTION -> {
          String d = "M%s %d L%s %d M%s %d L%s %d";
          int y = y0 + 44;
          String l = num(x - 3);
          String r = num(x + 3);
          d = String.format(Locale.ROOT, d, l, y - 3, r, y + 3, l, y + 3, r, y - 3);
          svg.empty("path", "class", "rejection", "data-at-ns", at, "data-why", e.label(), "d", d);
        }
        case RETRY -> retry(e, x, y0 + 54);
        case MARK -> {
          svg.line("mark", x, y0 + 38, x, tickBase, "data-at-ns", at, "data-label", e.label());
          if (x >= labelsFreeFrom) {
            svg.label("mark-label", e.label(), x + 2, y0 + 66);
            labelsFreeFrom = x + 2 + LABEL_CHAR_WIDTH * e.label().length() + 4;
          }
        }
        default -> {}
      }
    }
    svg.close();
  }

  private void bands(List<TimelineEvent> own, int y) {
    List<TimelineEvent> states = new ArrayList<>();
    for (TimelineEvent e : own) {
      if (e.kind() == Kind.STATE
          && (states.isEmpty() || !states.get(states.size() - 1).label().equals(e.label()))) {
        states.add(e);
      }
    }
    for (int i = 0; i < states.size(); i++) {
      TimelineEvent s = states.get(i);
      long from = s.atNanos();
      long to = i + 1 < states.size() ? states.get(i + 1).atNanos() : frame.end();
      double x1 = frame.x(from);
      double width = Math.max(0, frame.x(to) - x1);
      svg.empty(
          "rect",
          "class",
          "band",
          "data-state",
          s.label(),
          "data-from-ns",
          Long.toString(from),
          "data-to-ns",
          Long.toString(to),
          "x",
          num(x1),
          "y",
          num(y),
          "width",
          num(width),
          "height",
          "16",
          "fill",
          frame.colour(s.label()));
      if (width > LABEL_CHAR_WIDTH * s.label().length() + 6) {
        svg.label("band-label", s.label(), x1 + 3, y + 12);
      }
    }
  }

  /** The latency line, on one scale for every lane (the slowest call of the picture). */
  private void latency(List<TimelineEvent> own, double top, double bottom) {
    long max = latencyMax;
    List<double[]> xy = new ArrayList<>();
    for (TimelineEvent e : own) {
      if (hasLatency(e)) {
        xy.add(
            new double[] {
              frame.x(e.atNanos()), bottom - (double) e.durationNanos() / max * (bottom - top)
            });
      }
    }
    if (xy.isEmpty()) {
      return;
    }
    StringBuilder points = new StringBuilder();
    for (double[] p : xy) {
      points.append(points.length() == 0 ? "" : " ").append(num(p[0])).append(',');
      points.append(num(p[1]));
    }
    svg.empty(
        "polyline",
        "class",
        "latency",
        "data-max-ns",
        Long.toString(max),
        "data-points",
        Integer.toString(xy.size()),
        "points",
        points.toString());
    if (xy.size() <= MAX_DOTS) {
      // A dot per call shows where the samples are, so a line between far-apart calls is read
      // as the two calls it joins.
      for (double[] p : xy) {
        svg.empty("circle", "class", "latency-dot", "cx", num(p[0]), "cy", num(p[1]), "r", "1.8");
      }
    }
    svg.label("scale", SvgFrame.duration(max), PLOT_LEFT - 4, top + 3, "text-anchor", "end");
  }

  private static boolean hasLatency(TimelineEvent e) {
    return e.durationNanos() >= 0
        && (e.kind() == Kind.SUCCESS || e.kind() == Kind.FAILURE || e.kind() == Kind.TIMEOUT);
  }

  /** The limit and level step lines, on one scale. */
  private void steps(List<TimelineEvent> own, double top, double bottom) {
    long max = 0;
    for (TimelineEvent e : own) {
      if (e.kind() == Kind.LIMIT || e.kind() == Kind.LEVEL) {
        max = Math.max(max, Math.max(1, e.value()));
      }
    }
    if (max == 0) {
      return;
    }
    for (Kind kind : new Kind[] {Kind.LIMIT, Kind.LEVEL}) {
      StringBuilder points = new StringBuilder();
      String lastY = "";
      int count = 0;
      for (TimelineEvent e : own) {
        if (e.kind() == kind) {
          String x = num(frame.x(e.atNanos()));
          String y = num(bottom - (double) e.value() / max * (bottom - top));
          if (count++ > 0) {
            points.append(' ').append(x).append(',').append(lastY).append(' ');
          }
          points.append(x).append(',').append(y);
          lastY = y;
        }
      }
      if (count > 0) {
        points.append(' ').append(num(frame.x(frame.end()))).append(',').append(lastY);
        svg.empty(
            "polyline",
            "class",
            kind.name().toLowerCase(Locale.ROOT),
            "data-points",
            Integer.toString(count),
            "points",
            points.toString());
      }
    }
    svg.label("scale", "max " + max, PLOT_LEFT - 4, top + 14, "text-anchor", "end");
  }

  private void retry(TimelineEvent e, double x, int y) {
    long delay = e.durationNanos();
    long until = delay > Long.MAX_VALUE - e.atNanos() ? frame.end() : e.atNanos() + delay;
    svg.line("backoff", x, y, frame.x(until), y);
    svg.empty(
        "circle",
        "class",
        "retry",
        "data-at-ns",
        Long.toString(e.atNanos()),
        "data-delay-ns",
        Long.toString(delay),
        "data-attempt",
        Long.toString(e.value()),
        "cx",
        num(x),
        "cy",
        num(y),
        "r",
        "3");
  }

  private Set<String> states() {
    Set<String> states = new LinkedHashSet<>();
    for (TimelineEvent e : events) {
      if (e.kind() == Kind.STATE) {
        states.add(e.label());
      }
    }
    return states;
  }
}
