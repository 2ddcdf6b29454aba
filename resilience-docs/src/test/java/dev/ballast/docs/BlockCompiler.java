package dev.ballast.docs;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles doc blocks, all in one javac call, and reports javac's errors at the markdown line they
 * come from.
 *
 * <p>Every block becomes one source file in a package of its own ({@code docblocks.bNNN}), whose
 * first line holds the package declaration and the {@link #IMPORTS generated imports}, so that line
 * {@code n} of the block is line {@code n + 1} of the file:
 *
 * <ul>
 *   <li>a {@link DocBlock.Kind#UNIT} follows as it is (its own imports included);
 *   <li>{@link DocBlock.Kind#MEMBERS} become the body of an interface;
 *   <li>a {@link DocBlock.Kind#FRAGMENT} becomes the body of {@code void snippet() throws
 *       Throwable} in a class that extends {@link DocContext}, which declares what snippets assume
 *       ({@code client}, {@code id}, {@code breaker}, {@code registry}, {@code Item}...). Its
 *       {@code import} lines move to the first line; a fragment whose last line of code ends
 *       without {@code ;} or a brace is an expression, and gets its {@code ;}.
 * </ul>
 */
final class BlockCompiler {

  /** What every block may use without importing it. */
  static final List<String> IMPORTS =
      List.of(
          "dev.ballast.*",
          "dev.ballast.bulkhead.*",
          "dev.ballast.circuitbreaker.*",
          "dev.ballast.fallback.*",
          "dev.ballast.faultcounter.*",
          "dev.ballast.retry.*",
          "dev.ballast.ratelimiter.*",
          "dev.ballast.queue.*",
          "dev.ballast.shed.*",
          "dev.ballast.governor.*",
          "dev.ballast.timeout.*",
          "dev.ballast.micrometer.*",
          "dev.ballast.testkit.*",
          "dev.ballast.testkit.harness.*",
          "dev.ballast.testkit.junit.*",
          "dev.ballast.docs.DocContext.*",
          "io.micrometer.core.instrument.*",
          "io.micrometer.core.instrument.Timer",
          "java.io.*",
          "java.net.*",
          "java.net.http.*",
          "java.nio.file.*",
          "java.time.*",
          "java.util.*",
          "java.util.concurrent.*",
          "java.util.concurrent.atomic.*",
          "java.util.function.*",
          "org.jspecify.annotations.Nullable",
          "org.jspecify.annotations.NullMarked",
          "org.junit.jupiter.api.Test",
          "org.junit.jupiter.api.extension.ExtendWith",
          "org.junit.jupiter.api.extension.RegisterExtension",
          "org.slf4j.Logger",
          "org.slf4j.LoggerFactory");

  private static final Pattern PUBLIC_TYPE =
      Pattern.compile(
          "^public\\s+(?:(?:final|abstract|sealed|non-sealed|strictfp)\\s+)*"
              + "(?:class|interface|enum|record|@interface)\\s+(\\w+).*");
  private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+[\\w.*\\s]+;\\s*$");

  private BlockCompiler() {}

  /**
   * Compiles the blocks against {@code classPath}, writing classes under {@code out}.
   *
   * @return one entry per error: {@code file:line: message} and the offending line of the block
   */
  static List<String> compile(List<DocBlock> blocks, String classPath, Path out) {
    List<BlockSource> sources = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      sources.add(BlockSource.of(blocks.get(i), String.format(Locale.ROOT, "b%03d", i)));
    }
    if (sources.isEmpty()) {
      return List.of();
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<String> options =
        List.of(
            "-classpath",
            classPath,
            "-d",
            out.toString(),
            "--release",
            "17",
            "-proc:none",
            "-implicit:none",
            "-nowarn",
            "-Xmaxerrs",
            "10000",
            // Attribute every file even when another has a syntax error, so that one run reports
            // every broken block.
            "-XDshould-stop.ifError=FLOW");
    try (StandardJavaFileManager fm =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      javac.getTask(null, fm, diagnostics, options, null, sources).call();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        errors.add(describe(d));
      }
    }
    return errors;
  }

  private static String describe(Diagnostic<? extends JavaFileObject> d) {
    String message = d.getMessage(Locale.ROOT).replaceAll("docblocks\\.b\\d+\\.", "");
    if (!(d.getSource() instanceof BlockSource)) {
      return "(no block): " + message;
    }
    DocBlock block = ((BlockSource) d.getSource()).block;
    long index = d.getLineNumber() - 2; // line 1 is the generated header
    if (d.getLineNumber() == Diagnostic.NOPOS || index < 0 || index >= block.lines().size()) {
      return block.file() + ":" + block.fenceLine() + " (the block): " + message;
    }
    int i = (int) index;
    String line = block.lines().get(i);
    String caret = "";
    long column = d.getColumnNumber();
    if (column != Diagnostic.NOPOS && column >= 1 && column <= line.length() + 1) {
      caret = "\n    | " + " ".repeat((int) column - 1) + "^";
    }
    return block.where(i) + ": " + message + "\n    | " + line + caret;
  }

  /** One block as a source file. */
  private static final class BlockSource extends SimpleJavaFileObject {
    final DocBlock block;
    private final String text;

    private BlockSource(DocBlock block, String pkg, String typeName, String text) {
      super(
          URI.create("string:///docblocks/" + pkg + "/" + typeName + Kind.SOURCE.extension),
          Kind.SOURCE);
      this.block = block;
      this.text = text;
    }

    static BlockSource of(DocBlock block, String id) {
      String pkg = "docblocks." + id;
      StringBuilder header = new StringBuilder("package ").append(pkg).append(';');
      for (String imported : IMPORTS) {
        header.append(" import ").append(imported).append(';');
      }
      List<String> body = new ArrayList<>(block.lines());
      String typeName;
      String open;
      String close;
      switch (block.kind()) {
        case UNIT -> {
          typeName = publicTypeName(body);
          open = "";
          close = "";
        }
        case MEMBERS -> {
          typeName = "Members";
          open = " interface Members {";
          close = "}";
        }
        default -> {
          typeName = "Snippet";
          for (int i = 0; i < body.size(); i++) {
            if (IMPORT.matcher(body.get(i)).matches()) {
              header.append(' ').append(body.get(i).strip());
              body.set(i, "");
            }
          }
          terminateExpression(body);
          open =
              " class Snippet extends dev.ballast.docs.DocContext {"
                  + " void snippet() throws Throwable {";
          close = "}}";
        }
      }
      String text = header + open + "\n" + String.join("\n", body) + "\n" + close + "\n";
      return new BlockSource(block, id, typeName, text);
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }

  private static String publicTypeName(List<String> lines) {
    for (String line : lines) {
      Matcher m = PUBLIC_TYPE.matcher(line);
      if (m.matches()) {
        return m.group(1);
      }
    }
    return "Unit";
  }

  /** Adds the {@code ;} an expression block leaves out, before any trailing comment. */
  private static void terminateExpression(List<String> body) {
    for (int i = body.size() - 1; i >= 0; i--) {
      String line = body.get(i);
      int comment = commentStart(line);
      String code = line.substring(0, comment).stripTrailing();
      if (code.isBlank()) {
        continue;
      }
      if (!code.endsWith(";") && !code.endsWith("{") && !code.endsWith("}")) {
        body.set(i, code + ";" + line.substring(code.length()));
      }
      return;
    }
  }

  /** Where a {@code //} comment starts on the line, outside string and char literals. */
  private static int commentStart(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
        return i;
      }
    }
    return line.length();
  }
}
