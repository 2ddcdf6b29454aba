package dev.ballast.docs;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One {@code ```java} block of a markdown file: where it is, its lines (the fence's indentation
 * removed), and the reason it is not compiled, when a marker right above it says so.
 */
final class DocBlock {

  /** How a block is compiled. */
  enum Kind {
    /** A whole compilation unit (a type declared at column 0): compiled as it is. */
    UNIT,
    /** Member declarations (a signature, as an interface declares it): an interface's body. */
    MEMBERS,
    /** Statements: the body of a method of a class that extends {@link DocContext}. */
    FRAGMENT
  }

  private static final Pattern TYPE_AT_COLUMN_ZERO =
      Pattern.compile(
          "^(?:(?:public|final|abstract|sealed|non-sealed|strictfp)\\s+)*"
              + "(?:class|interface|enum|record|@interface)\\s+\\w+.*");
  private static final Pattern ANNOTATION_LINE = Pattern.compile("^@[\\w.]+(?:\\(.*\\))?$");
  private static final Pattern MEMBER_START =
      Pattern.compile("^(?:<|(?:public|protected|private|abstract|default)\\s).*");

  private final String file;
  private final int fenceLine;
  private final List<String> lines;
  private final Optional<String> optOut;

  DocBlock(String file, int fenceLine, List<String> lines, Optional<String> optOut) {
    this.file = file;
    this.fenceLine = fenceLine;
    this.lines = List.copyOf(lines);
    this.optOut = optOut;
  }

  /** The markdown file, relative to the repository's root, with forward slashes. */
  String file() {
    return file;
  }

  /** The 1-based line of the opening fence; the block's first line is the next one. */
  int fenceLine() {
    return fenceLine;
  }

  List<String> lines() {
    return lines;
  }

  /** The reason given by a {@code <!-- not compiled: reason -->} marker right above the block. */
  Optional<String> optOut() {
    return optOut;
  }

  /** Where the block's line {@code index} (0-based) is: {@code file:line}. */
  String where(int index) {
    return file + ":" + (fenceLine + 1 + index);
  }

  Kind kind() {
    for (String line : lines) {
      if (TYPE_AT_COLUMN_ZERO.matcher(line).matches()) {
        return Kind.UNIT;
      }
    }
    for (String line : lines) {
      String code = line.strip();
      if (code.isEmpty() || code.startsWith("//") || ANNOTATION_LINE.matcher(code).matches()) {
        continue;
      }
      return MEMBER_START.matcher(code).matches() ? Kind.MEMBERS : Kind.FRAGMENT;
    }
    return Kind.FRAGMENT;
  }

  @Override
  public String toString() {
    return file + ":" + fenceLine;
  }
}
