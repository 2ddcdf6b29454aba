package dev.ballast.testkit.timeline;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * A small XML writer for SVG: one element per line, indented, attributes in the order given, text
 * and attribute values escaped, characters XML 1.0 cannot hold replaced by U+FFFD. The same calls
 * give the same bytes.
 *
 * <p>Not thread-safe: one renderer uses it on one thread.
 */
final class SvgWriter {
  private final StringBuilder out = new StringBuilder(16_384);
  private final Deque<String> open = new ArrayDeque<>();

  SvgWriter() {
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  }

  /** Opens an element; attributes come as name, value pairs. */
  SvgWriter open(String name, String... attributes) {
    start(name, attributes);
    out.append(">\n");
    open.push(name);
    return this;
  }

  /** Writes an element without content. */
  SvgWriter empty(String name, String... attributes) {
    start(name, attributes);
    out.append("/>\n");
    return this;
  }

  /** Writes an element holding only text. */
  SvgWriter text(String name, String text, String... attributes) {
    start(name, attributes);
    out.append('>');
    escape(text, out);
    out.append("</").append(name).append(">\n");
    return this;
  }

  /** Closes the innermost open element. */
  SvgWriter close() {
    String name = open.pop();
    indent();
    out.append("</").append(name).append(">\n");
    return this;
  }

  /** Writes a raw comment; {@code text} must not hold "--". */
  SvgWriter comment(String text) {
    indent();
    out.append("<!-- ");
    escape(text.replace("--", "- -"), out);
    out.append(" -->\n");
    return this;
  }

  /** A line of a class, with extra attributes (name, value pairs) before its coordinates. */
  SvgWriter line(String cls, double x1, double y1, double x2, double y2, String... extra) {
    return empty(
        "line",
        with(extra, "class", cls, "x1", num(x1), "y1", num(y1), "x2", num(x2), "y2", num(y2)));
  }

  /** A text of a class at a point, with extra attributes (name, value pairs). */
  SvgWriter label(String cls, String text, double x, double y, String... extra) {
    return text("text", text, with(extra, "class", cls, "x", num(x), "y", num(y)));
  }

  /** {@code first} followed by {@code extra}. */
  static String[] with(String[] extra, String... first) {
    String[] all = new String[first.length + extra.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(extra, 0, all, first.length, extra.length);
    return all;
  }

  String finish() {
    while (!open.isEmpty()) {
      close();
    }
    return out.toString();
  }

  private void start(String name, String... attributes) {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException(
          "attributes must come in name, value pairs, was " + attributes.length + " strings");
    }
    indent();
    out.append('<').append(name);
    for (int i = 0; i < attributes.length; i += 2) {
      out.append(' ').append(attributes[i]).append("=\"");
      escape(attributes[i + 1], out);
      out.append('"');
    }
  }

  private void indent() {
    for (int i = 0; i < open.size(); i++) {
      out.append("  ");
    }
  }

  static String escape(String text) {
    StringBuilder b = new StringBuilder(text.length() + 8);
    escape(text, b);
    return b.toString();
  }

  private static void escape(String text, StringBuilder to) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> to.append("&amp;");
        case '<' -> to.append("&lt;");
        case '>' -> to.append("&gt;");
        case '"' -> to.append("&quot;");
        case '\'' -> to.append("&apos;");
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1))) {
            to.append(c).append(text.charAt(++i));
          } else if (allowed(c)) {
            to.append(c);
          } else {
            to.append('\uFFFD');
          }
        }
      }
    }
  }

  /** Characters XML 1.0 allows, surrogates aside (a lone one is not allowed). */
  private static boolean allowed(char c) {
    return c == '\t'
        || c == '\n'
        || c == '\r'
        || (c >= 0x20 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD);
  }

  /** A coordinate with at most one decimal, as SVG reads it ("12", "12.5", never "-0"). */
  static String num(double value) {
    long tenths = Math.round(value * 10);
    if (tenths % 10 == 0) {
      return Long.toString(tenths / 10);
    }
    return String.format(Locale.ROOT, "%.1f", tenths / 10.0);
  }
}
