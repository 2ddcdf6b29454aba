package dev.ballast.registry;

import java.util.Map;

/**
 * The hand-written JSON of a {@link HealthSnapshot} (core depends on no JSON library): two-space
 * indentation, keys in a fixed order, strings escaped per RFC 8259, a figure that is not a finite
 * number written as {@code null}.
 */
final class Json {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  static String write(HealthSnapshot snapshot) {
    StringBuilder out = new StringBuilder(256 + 256 * snapshot.components().size());
    out.append("{\n");
    out.append("  \"status\": ");
    string(out, snapshot.status().name());
    out.append(",\n  \"live\": ").append(snapshot.live());
    out.append(",\n  \"ready\": ").append(snapshot.ready());
    out.append(",\n  \"takenAt\": ");
    string(out, snapshot.takenAt().toString());
    out.append(",\n  \"components\": [");
    String separator = "\n";
    for (ComponentHealth c : snapshot.components()) {
      out.append(separator);
      separator = ",\n";
      out.append("    {\n      \"pattern\": ");
      string(out, c.pattern());
      out.append(",\n      \"name\": ");
      string(out, c.name());
      out.append(",\n      \"status\": ");
      string(out, c.status().name());
      out.append(",\n      \"state\": ");
      string(out, c.state());
      out.append(",\n      \"figures\": {");
      String figureSeparator = "\n";
      for (Map.Entry<String, Number> e : c.figures().entrySet()) {
        out.append(figureSeparator).append("        ");
        figureSeparator = ",\n";
        string(out, e.getKey());
        out.append(": ");
        number(out, e.getValue());
      }
      out.append(c.figures().isEmpty() ? "}" : "\n      }").append("\n    }");
    }
    out.append(snapshot.components().isEmpty() ? "]" : "\n  ]").append("\n}\n");
    return out.toString();
  }

  /** A JSON string: quotes, backslashes and every control character escaped, the rest as is. */
  static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          // Control characters must be escaped; U+2028 and U+2029 are valid JSON but end a line
          // in JavaScript, and a lone surrogate is no character at all: escape all three kinds so
          // that any reader takes the name back exactly.
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || lone(s, i)) {
            out.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Whether the char at {@code i} is a surrogate not part of a well-formed pair. */
  private static boolean lone(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }

  /** A figure: a {@code Long} as is, a finite {@code Double} as Java prints it, else null. */
  static void number(StringBuilder out, Number n) {
    if (n instanceof Double d) {
      out.append(Double.isFinite(d) ? d.toString() : "null");
    } else {
      out.append(n.longValue());
    }
  }
}
