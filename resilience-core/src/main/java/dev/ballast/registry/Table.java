package dev.ballast.registry;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;

/** The fixed-width text table of a {@link HealthSnapshot}. */
final class Table {
  static final int MAX_NAME = 32;
  private static final String[] HEADERS = {"STATUS", "PATTERN", "NAME", "STATE", "FIGURES"};

  private Table() {}

  static String write(HealthSnapshot snapshot) {
    int rows = snapshot.components().size();
    String[][] cells = new String[rows][];
    int[] width = new int[HEADERS.length - 1];
    for (int i = 0; i < width.length; i++) {
      width[i] = HEADERS[i].length();
    }
    for (int r = 0; r < rows; r++) {
      ComponentHealth c = snapshot.components().get(r);
      cells[r] =
          new String[] {
            c.status().name(), c.pattern(), shown(c.name()), c.state(), figures(c.figures())
          };
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], cells[r][i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("instance ")
        .append(snapshot.status())
        .append(" (live: ")
        .append(snapshot.live() ? "yes" : "no")
        .append(", ready: ")
        .append(snapshot.ready() ? "yes" : "no")
        .append(") at ")
        .append(snapshot.takenAt())
        .append('\n');
    row(out, HEADERS, width);
    for (String[] r : cells) {
      row(out, r, width);
    }
    return out.toString();
  }

  private static void row(StringBuilder out, String[] cells, int[] width) {
    for (int i = 0; i < width.length; i++) {
      out.append(cells[i]).append(" ".repeat(width[i] - cells[i].length() + 2));
    }
    out.append(cells[width.length]);
    // A row with no figures would end in spaces: trim them.
    int end = out.length();
    while (end > 0 && out.charAt(end - 1) == ' ') {
      end--;
    }
    out.setLength(end);
    out.append('\n');
  }

  /** A name on one line and at most {@link #MAX_NAME} chars: control chars escaped, cut with ~. */
  static String shown(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (b.length() <= MAX_NAME) {
      return b.toString();
    }
    int cut = MAX_NAME - 1;
    if (Character.isHighSurrogate(b.charAt(cut - 1))) {
      cut--; // never split a pair
    }
    return b.substring(0, cut) + "~";
  }

  private static String figures(Map<String, Number> figures) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Number> e : figures.entrySet()) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(e.getKey()).append('=').append(value(e.getValue()));
    }
    return b.toString();
  }

  /**
   * A long as is; a double rounded to three decimals, trailing zeros dropped; "-" if not finite.
   */
  static String value(Number n) {
    if (n instanceof Double d) {
      if (!Double.isFinite(d)) {
        return "-";
      }
      BigDecimal rounded = BigDecimal.valueOf(d).setScale(3, RoundingMode.HALF_UP);
      return rounded.signum() == 0 ? "0" : rounded.stripTrailingZeros().toPlainString();
    }
    return Long.toString(n.longValue());
  }
}
