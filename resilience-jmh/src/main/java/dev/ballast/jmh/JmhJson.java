package dev.ballast.jmh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads the results JMH writes with {@code -rf json} (or the suite's {@code --json FILE}) into a
 * {@link Chart.Run}: a small JSON parser for that one format, so that the chart needs no JSON
 * library.
 *
 * <p>JSON values become {@link Map} (keys in file order), {@link List}, {@link String}, {@link
 * Double}, {@link Boolean}, or {@link #NULL}. JMH writes a NaN score as the string {@code "NaN"};
 * {@link #number} reads both forms.
 *
 * <p>Not thread-safe; one instance parses one text.
 */
final class JmhJson {

  /** The JSON {@code null}. */
  static final Object NULL = new Object();

  private final String text;
  private final String source;
  private int at;

  private JmhJson(String text, String source) {
    this.text = text;
    this.source = source;
  }

  /**
   * Returns the results in {@code json}, in file order, and the run's settings as its first result
   * records them.
   *
   * @param source names the text in error messages (a file name)
   * @throws IllegalArgumentException when the text is not JSON, not JMH's result format, or holds
   *     no result; the message names the source and what is wrong
   */
  static Chart.Run read(String json, String source) {
    Object root = new JmhJson(json, source).document();
    if (!(root instanceof List<?> list)) {
      throw new IllegalArgumentException(
          source + ": not JMH's JSON result format: expected an array of results");
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException(source + ": no benchmark results (an empty array)");
    }
    List<Chart.Result> results = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String where = source + ": result " + (i + 1);
      results.add(result(object(list.get(i), where), where));
    }
    Map<?, ?> first = object(list.get(0), source);
    Chart.Settings settings =
        new Chart.Settings(
            string(first, "jmhVersion", "?"),
            string(first, "jvm", ""),
            (string(first, "vmName", "") + " " + string(first, "vmVersion", "")).trim(),
            (int) number(first.get("forks"), -1),
            (int) number(first.get("warmupIterations"), -1),
            string(first, "warmupTime", "?"),
            (int) number(first.get("measurementIterations"), -1),
            string(first, "measurementTime", "?"));
    return new Chart.Run(settings, results);
  }

  private static Chart.Result result(Map<?, ?> entry, String where) {
    String benchmark = string(entry, "benchmark", "");
    if (benchmark.isEmpty()) {
      throw new IllegalArgumentException(where + ": no \"benchmark\" name");
    }
    Map<?, ?> primary = object(entry.get("primaryMetric"), where + " (" + benchmark + ")");
    double scale = nanosPer(string(primary, "scoreUnit", ""), where + " (" + benchmark + ")");
    Map<String, String> params = new TreeMap<>();
    if (entry.get("params") instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> param : map.entrySet()) {
        params.put(String.valueOf(param.getKey()), String.valueOf(param.getValue()));
      }
    }
    String impl = params.remove("impl");
    List<String> others = new ArrayList<>();
    params.forEach((name, value) -> others.add(name + "=" + value));
    double bytes = Double.NaN;
    if (entry.get("secondaryMetrics") instanceof Map<?, ?> secondary) {
      for (Map.Entry<?, ?> metric : secondary.entrySet()) {
        // JMH 1.37 names it "gc.alloc.rate.norm", earlier versions "·gc.alloc.rate.norm".
        if (String.valueOf(metric.getKey()).endsWith("gc.alloc.rate.norm")
            && metric.getValue() instanceof Map<?, ?> norm) {
          bytes = number(norm.get("score"), Double.NaN);
        }
      }
    }
    return new Chart.Result(
        benchmark,
        impl == null ? "" : impl,
        String.join(", ", others),
        (int) number(entry.get("threads"), 1),
        number(primary.get("score"), Double.NaN) * scale,
        number(primary.get("scoreError"), Double.NaN) * scale,
        bytes);
  }

  /** Nanoseconds in one unit of an average-time score such as {@code us/op}. */
  private static double nanosPer(String unit, String where) {
    return switch (unit) {
      case "ns/op" -> 1;
      case "us/op" -> 1e3;
      case "ms/op" -> 1e6;
      case "s/op" -> 1e9;
      default ->
          throw new IllegalArgumentException(
              where
                  + ": score unit '"
                  + unit
                  + "' is not a time per operation; the chart draws average time (-bm avgt)");
    };
  }

  private static Map<?, ?> object(@Nullable Object value, String where) {
    if (value instanceof Map<?, ?> map) {
      return map;
    }
    throw new IllegalArgumentException(where + ": expected a JSON object");
  }

  private static String string(Map<?, ?> map, String key, String fallback) {
    return map.get(key) instanceof String s ? s : fallback;
  }

  /** A JSON number, or JMH's {@code "NaN"}, {@code "Infinity"} strings; else {@code fallback}. */
  static double number(@Nullable Object value, double fallback) {
    if (value instanceof Double d) {
      return d;
    }
    if (value instanceof String s) {
      return switch (s) {
        case "NaN" -> Double.NaN;
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> fallback;
      };
    }
    return fallback;
  }

  /** Parses the whole text as one JSON value. */
  Object document() {
    Object value = value();
    skipSpace();
    if (at < text.length()) {
      throw error("text after the JSON value");
    }
    return value;
  }

  private Object value() {
    skipSpace();
    if (at >= text.length()) {
      throw error(at == 0 ? "empty file" : "unexpected end of text");
    }
    char c = text.charAt(at);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", true);
      case 'f' -> literal("false", false);
      case 'n' -> literal("null", NULL);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected character '" + c + "'");
      }
    };
  }

  private Map<String, Object> object() {
    at++; // '{'
    Map<String, Object> map = new LinkedHashMap<>();
    skipSpace();
    if (peek() == '}') {
      at++;
      return map;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("expected a member name");
      }
      String key = string();
      skipSpace();
      expect(':');
      map.put(key, value());
      skipSpace();
      if (peek() == ',') {
        at++;
        continue;
      }
      expect('}');
      return map;
    }
  }

  private List<Object> array() {
    at++; // '['
    List<Object> list = new ArrayList<>();
    skipSpace();
    if (peek() == ']') {
      at++;
      return list;
    }
    while (true) {
      list.add(value());
      skipSpace();
      if (peek() == ',') {
        at++;
        continue;
      }
      expect(']');
      return list;
    }
  }

  private String string() {
    at++; // '"'
    StringBuilder out = new StringBuilder();
    while (true) {
      if (at >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (at >= text.length()) {
        throw error("unterminated string");
      }
      char e = text.charAt(at++);
      switch (e) {
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (at + 4 > text.length()) {
            throw error("short \\u escape");
          }
          try {
            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
          } catch (NumberFormatException bad) {
            throw error("bad \\u escape");
          }
          at += 4;
        }
        default -> out.append(e); // '"', '\\', '/'
      }
    }
  }

  private Double number() {
    int start = at;
    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    try {
      return Double.valueOf(text.substring(start, at));
    } catch (NumberFormatException bad) {
      at = start;
      throw error(
          "bad number '" + text.substring(start, Math.min(text.length(), start + 20)) + "'");
    }
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, at)) {
      throw error("unexpected word");
    }
    at += word.length();
    return value;
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    at++;
  }

  private char peek() {
    return at < text.length() ? text.charAt(at) : '\0';
  }

  private void skipSpace() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private IllegalArgumentException error(String what) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < at && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new IllegalArgumentException(
        String.format(
            Locale.ROOT,
            "%s: not valid JSON at line %d, column %d: %s",
            source,
            line,
            column,
            what));
  }
}
