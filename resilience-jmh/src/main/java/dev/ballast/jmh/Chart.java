package dev.ballast.jmh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws JMH results as one self-contained SVG chart: per benchmark class (a hot path) a group of
 * horizontal bars, Ballast's implementations beside Resilience4j, Failsafe and the bare call or JDK
 * primitive (coloured by {@link Family}, with a legend), ns/op on a log-scale axis with a grid line
 * per decade, the figure and the ratio to the class's baseline at each bar's end, JMH's error as a
 * whisker, B/op beside each bar, one thread solid and more threads hatched, and a header naming the
 * machine, the JDK, the date and JMH's settings. No plotting library, no browser: the SVG is
 * written as text, and the same input always gives the same bytes.
 *
 * <p>From a JSON file written by {@code bench/run} (or the suite's {@code --json FILE}, or JMH's
 * {@code -rf json}):
 *
 * <pre>
 * java -cp resilience-jmh/target/benchmarks.jar dev.ballast.jmh.Chart \
 *   [--machine TEXT] [--vendor TEXT] [--date YYYY-MM-DD] [--note TEXT] RESULT.json CHART.svg
 * </pre>
 *
 * <p>JMH's JSON records the JVM (its name, version and path) and the run's settings, not the
 * machine: {@code --machine} describes it (default: this machine's CPUs and OS, right when the
 * chart is drawn where the benchmarks ran), {@code --vendor} the JDK's vendor (default: this JVM's
 * when the JSON names this JVM's {@code java}, else none), {@code --date} the day of the run
 * (default: the JSON file's last modification, UTC), {@code --note} one more header line.
 *
 * <p>Thread-safety: stateless; {@link #main} is a command-line entry point.
 */
public final class Chart {

  /**
   * One benchmark result.
   *
   * @param benchmark JMH's benchmark name, {@code package.Class.method}
   * @param impl the {@code impl} parameter, empty when none
   * @param params the other parameters as {@code name=value}, comma-separated; empty when none
   * @param threads benchmark threads
   * @param nanos average time, ns/op
   * @param error the 99.9% half-interval of {@code nanos}; NaN when JMH had too few iterations
   * @param bytes bytes allocated per operation; NaN when the GC profiler did not run
   */
  record Result(
      String benchmark,
      String impl,
      String params,
      int threads,
      double nanos,
      double error,
      double bytes) {

    /** The benchmark's class, simple name. */
    String type() {
      int method = benchmark.lastIndexOf('.');
      return benchmark.substring(benchmark.lastIndexOf('.', method - 1) + 1, Math.max(0, method));
    }

    /** The benchmark's method. */
    String method() {
      return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }
  }

  /**
   * The settings of a JMH run, as its JSON records them.
   *
   * @param jmh JMH's version
   * @param jvm the path of the {@code java} the benchmarks ran on
   * @param vm the VM's name and version
   * @param forks forks per benchmark
   * @param warmup warmup iterations
   * @param warmupTime one warmup iteration's time, as JMH writes it ({@code 1 s})
   * @param iterations measurement iterations
   * @param time one measurement iteration's time
   */
  record Settings(
      String jmh,
      String jvm,
      String vm,
      int forks,
      int warmup,
      String warmupTime,
      int iterations,
      String time) {

    /** One line for the chart's header. */
    String describe() {
      return String.format(
          Locale.ROOT,
          "JMH %s, average time per operation: %d fork%s, warmup %d × %s, measurement %d × %s",
          jmh,
          forks,
          forks == 1 ? "" : "s",
          warmup,
          warmupTime,
          iterations,
          time);
    }
  }

  /**
   * A JSON file's content.
   *
   * @param settings the run's settings, from its first result
   * @param results every result, in file order
   */
  record Run(Settings settings, List<Result> results) {}

  /**
   * The lines above the bars.
   *
   * @param machine the machine the benchmarks ran on (CPUs, OS)
   * @param jdk the JDK they ran on (vendor, VM, version)
   * @param date the day they ran
   * @param run JMH's settings
   * @param note one more line (the load, a warning about noise); empty for none
   */
  record Header(String machine, String jdk, String date, String run, String note) {

    /** A header for {@code settings}, the JDK named by {@code vendor} and the VM it recorded. */
    static Header of(Settings settings, String machine, String vendor, String date, String note) {
      String jdk = (vendor + " " + settings.vm()).trim();
      return new Header(machine, jdk.isEmpty() ? "unknown" : jdk, date, settings.describe(), note);
    }
  }

  private Chart() {}

  /**
   * Reads a JMH JSON result file and writes its chart.
   *
   * @param args {@code [--machine TEXT] [--vendor TEXT] [--date YYYY-MM-DD] [--note TEXT]
   *     RESULT.json CHART.svg}
   * @throws IOException when a file cannot be read or written
   * @throws IllegalArgumentException on a bad option, a missing file, or a file that is not JMH's
   *     JSON or holds no result, naming the file and what is wrong
   */
  public static void main(String[] args) throws IOException {
    String machine = machine();
    String vendor = null;
    String date = null;
    String note = "";
    List<String> files = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        System.out.println(USAGE);
        return;
      }
      if (!arg.startsWith("--")) {
        files.add(arg);
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Chart: missing value after " + arg + "\n" + USAGE);
      }
      String value = args[++i];
      switch (arg) {
        case "--machine" -> machine = value;
        case "--vendor" -> vendor = value;
        case "--date" -> date = LocalDate.parse(value).toString();
        case "--note" -> note = value;
        default ->
            throw new IllegalArgumentException("Chart: unknown option " + arg + "\n" + USAGE);
      }
    }
    if (files.size() != 2) {
      throw new IllegalArgumentException(
          "Chart: expected a JSON file and an SVG file, got " + files + "\n" + USAGE);
    }
    Path json = Path.of(files.get(0));
    Path svg = Path.of(files.get(1));
    Run run = read(json);
    if (vendor == null) {
      vendor = thisJvm(run.settings().jvm()) ? System.getProperty("java.vendor", "") : "";
    }
    if (date == null) {
      date =
          LocalDate.ofInstant(
                  Instant.ofEpochMilli(Files.getLastModifiedTime(json).toMillis()), ZoneOffset.UTC)
              .toString();
    }
    write(run, Header.of(run.settings(), machine, vendor, date, note), svg);
    System.err.println("Chart: wrote " + svg + " from " + json);
  }

  private static final String USAGE =
      "usage: Chart [--machine TEXT] [--vendor TEXT] [--date YYYY-MM-DD] [--note TEXT]"
          + " RESULT.json CHART.svg";

  /**
   * Reads a JMH JSON result file.
   *
   * @throws IllegalArgumentException when the file does not exist, is not JMH's JSON, or holds no
   *     result, naming the file
   */
  static Run read(Path json) throws IOException {
    String text;
    try {
      text = Files.readString(json, StandardCharsets.UTF_8);
    } catch (NoSuchFileException missing) {
      throw new IllegalArgumentException(
          "Chart: no such file: "
              + json
              + " (bench/run writes resilience-jmh/target/benchmark-result.json)",
          missing);
    }
    return JmhJson.read(text, json.toString());
  }

  /** Draws {@code run} under {@code header} into {@code svg}, creating its directory. */
  static void write(Run run, Header header, Path svg) throws IOException {
    Path parent = svg.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(svg, render(run.results(), header), StandardCharsets.UTF_8);
  }

  /**
   * Returns the chart of {@code results} as SVG text.
   *
   * @throws IllegalArgumentException when {@code results} is empty or has no positive time
   */
  static String render(List<Result> results, Header header) {
    return new ChartLayout(results, header).svg();
  }

  /** This machine: CPUs, OS name, version and architecture. */
  static String machine() {
    return String.format(
        Locale.ROOT,
        "%d CPUs, %s %s (%s)",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name", "?"),
        System.getProperty("os.version", "?"),
        System.getProperty("os.arch", "?"));
  }

  /** Today in UTC, for a chart drawn right after its run. */
  static String today() {
    return LocalDate.now(ZoneOffset.UTC).toString();
  }

  /** Whether {@code jvm} (a JSON's {@code java} path) is this JVM's. */
  static boolean thisJvm(String jvm) {
    String home = System.getProperty("java.home", "");
    return !home.isEmpty() && !jvm.isEmpty() && Path.of(jvm).startsWith(Path.of(home));
  }
}
