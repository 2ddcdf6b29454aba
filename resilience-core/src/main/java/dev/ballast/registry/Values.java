package dev.ballast.registry;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the text of one property value: durations in human and ISO-8601 forms, numbers, booleans,
 * enum constants and comma-separated lists; and finds the closest of some names to a misspelt one.
 * Every failure is an {@link IllegalArgumentException} whose message the caller prefixes with the
 * key. Stateless.
 */
final class Values {
  private static final Pattern HUMAN =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

  private Values() {}

  /**
   * A duration: {@code 250ns}, {@code 250us}, {@code 500ms}, {@code 30s}, {@code 1.5s}, {@code 2m},
   * {@code 1h}, {@code 1d}, or ISO-8601 ({@code PT30S}).
   */
  static Duration duration(String text) {
    String t = text.strip();
    if (t.startsWith("P") || t.startsWith("p") || t.startsWith("-P")) {
      try {
        return Duration.parse(t);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not an ISO-8601 duration: '" + text + "'", e);
      }
    }
    Matcher m = HUMAN.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a duration: '"
              + text
              + "' (expected a number and a unit: ns, us, ms, s, m, h, d, such as 500ms or 30s;"
              + " or ISO-8601, such as PT30S)");
    }
    long unitNanos =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "ns" -> 1L;
          case "us", "µs" -> 1_000L;
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          case "h" -> 3_600_000_000_000L;
          default -> 86_400_000_000_000L;
        };
    BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos));
    try {
      return Duration.ofNanos(nanos.longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "not a whole number of nanoseconds, or too long: '" + text + "'", e);
    }
  }

  static int integer(String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a whole number: '" + text + "'", e);
    }
  }

  static double decimal(String text) {
    String t = text.strip();
    try {
      double d = Double.parseDouble(t);
      if (Double.isNaN(d) || Double.isInfinite(d) || t.endsWith("d") || t.endsWith("f")) {
        throw new NumberFormatException(t);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: '" + text + "'", e);
    }
  }

  static boolean bool(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("not true or false: '" + text + "'");
    };
  }

  /** An enum constant by its name in any case, with {@code -} for {@code _}. */
  static <E extends Enum<E>> E constant(Class<E> type, String text) {
    String wanted = text.strip().replace('-', '_').toUpperCase(Locale.ROOT);
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(wanted)) {
        return e;
      }
      names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    throw new IllegalArgumentException("not one of " + names + ": '" + text + "'");
  }

  /** The comma-separated parts of a value, stripped; exactly {@code min} to {@code max} of them. */
  static List<String> parts(String text, int min, int max, String form) {
    List<String> parts = new ArrayList<>();
    for (String p : text.split(",", -1)) {
      parts.add(p.strip());
    }
    if (parts.size() < min || parts.size() > max || parts.contains("")) {
      throw new IllegalArgumentException("expected " + form + ", was '" + text + "'");
    }
    return parts;
  }

  /**
   * The name among {@code known} closest to {@code wanted} by edit distance (the first of equals),
   * or {@code null} when {@code known} is empty.
   */
  static @Nullable String closest(String wanted, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(wanted, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best;
  }

  /** {@code "; the closest is 'x'"}, or nothing when there are no names. */
  static String didYouMean(String wanted, Collection<String> known) {
    String c = closest(wanted, known);
    return c == null ? "" : "; the closest is '" + c + "'";
  }

  /** Levenshtein distance, two rows. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
