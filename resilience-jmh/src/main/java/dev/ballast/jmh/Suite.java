package dev.ballast.jmh;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark class of this module (or those chosen with {@code --only}) with JMH's GC
 * profiler and prints one markdown table per class: time and allocation per operation, and each
 * time as a ratio of that class's Ballast baseline in the same group (same benchmark method, thread
 * count and parameters other than {@code impl}).
 *
 * <p>JMH's own progress goes to standard error; standard output carries the tables alone (and a
 * last line naming the JSON results and the {@link Chart} the run wrote), so {@code java -cp
 * benchmarks.jar dev.ballast.jmh.Suite > tables.md} keeps just the tables.
 *
 * <p>The convention a benchmark class follows to join the suite: its implementations are the
 * constants of an enum {@code @Param} field named {@code impl}; the class declares the name of its
 * Ballast baseline constant in a {@code static final String BASELINE}, and the rivals spelled out
 * under its table in {@code static final List<String> RIVALS}; and it is listed in {@link
 * #BENCHMARKS} (a test fails when a class of JMH's benchmark list is missing there). A class whose
 * methods use different enums (sync and async timeouts) lists one {@link Group} per method family.
 *
 * <p>Options (system properties {@code -Dballast.jmh.NAME=VALUE} set the defaults; arguments are
 * applied left to right over them):
 *
 * <pre>
 * --quick             smoke run: warmup 1 x 200ms, measurement 3 x 100ms
 * --only A,B          only these classes, named without "Benchmark" (ballast.jmh.only, default all):
 *                     CircuitBreaker, OpenBreaker, Timeout, Retry, Bulkhead,
 *                     AdaptiveBulkhead, ThreadPoolBulkhead, Pipeline, PipelineBulkhead,
 *                     TimerWheel, LoadShed, Governor, RateLimiter, BoundedQueue
 * --forks N           forks per benchmark           (ballast.jmh.forks, default 1)
 * --warmup N          warmup iterations             (ballast.jmh.warmup, default 2)
 * --warmup-time T     warmup iteration time         (ballast.jmh.warmupTime, default 1s)
 * --iterations N      measurement iterations        (ballast.jmh.iterations, default 3)
 * --time T            measurement iteration time    (ballast.jmh.time, default 1s)
 * --impl A,B          only these implementations    (ballast.jmh.impl, default all);
 *                     a class or group with none of them is skipped
 * --json FILE         where to write JMH's JSON results of every run (ballast.jmh.json,
 *                     default resilience-jmh/target/benchmark-result.json)
 * --chart FILE        where to write the results as an SVG chart, drawn by {@link Chart}
 *                     (ballast.jmh.chart, default resilience-jmh/target/benchmark-chart.svg)
 * </pre>
 *
 * <p>Every run writes the JSON and the chart (relative paths from the working directory, which
 * {@code bench/run} sets to the repository's root) and names them on the last line of its output.
 *
 * <p>Thread-safety: a command-line entry point; not meant to be called concurrently.
 */
public final class Suite {

  /**
   * Methods of a benchmark class whose implementations come from one enum, run together.
   *
   * @param methods a regular expression matching the method names
   * @param impls the enum's constant names, in declaration order
   */
  record Group(String methods, List<String> impls) {
    /** Where {@code impl} is declared in this group; unknown ones last. */
    int order(String impl) {
      int index = impls.indexOf(impl);
      return index < 0 ? Integer.MAX_VALUE : index;
    }

    static Group of(String methods, Class<? extends Enum<?>> impl) {
      return new Group(methods, Arrays.stream(impl.getEnumConstants()).map(Enum::name).toList());
    }
  }

  /**
   * A benchmark class the suite runs.
   *
   * @param type the class
   * @param title the heading of its table
   * @param baseline the {@code impl} every ratio is taken against
   * @param rivals the {@code impl}s compared to the baseline under the table
   * @param groups its method families, in the order they run
   */
  record Benchmarks(
      Class<?> type, String title, String baseline, List<String> rivals, List<Group> groups) {

    /** The name {@code --only} knows it by: the simple name without "Benchmark". */
    String name() {
      String simple = type.getSimpleName();
      return simple.endsWith("Benchmark")
          ? simple.substring(0, simple.length() - "Benchmark".length())
          : simple;
    }
  }

  /** Every benchmark class, in the order the suite runs and prints them. */
  static final List<Benchmarks> BENCHMARKS =
      List.of(
          new Benchmarks(
              CircuitBreakerBenchmark.class,
              "Circuit breaker, closed-state success path",
              CircuitBreakerBenchmark.BASELINE,
              CircuitBreakerBenchmark.RIVALS,
              List.of(Group.of(".*", CircuitBreakerBenchmark.Impl.class))),
          new Benchmarks(
              OpenBreakerBenchmark.class,
              "Circuit breaker, open: a refused call served a substitute",
              OpenBreakerBenchmark.BASELINE,
              OpenBreakerBenchmark.RIVALS,
              List.of(Group.of(".*", OpenBreakerBenchmark.Impl.class))),
          new Benchmarks(
              TimeoutBenchmark.class,
              "Timeout, call finishes in time (sync and async)",
              TimeoutBenchmark.BASELINE,
              TimeoutBenchmark.RIVALS,
              List.of(
                  Group.of("sync.*", TimeoutBenchmark.SyncImpl.class),
                  Group.of("async.*", TimeoutBenchmark.AsyncImpl.class))),
          new Benchmarks(
              RetryBenchmark.class,
              "Retry, first attempt succeeds",
              RetryBenchmark.BASELINE,
              RetryBenchmark.RIVALS,
              List.of(Group.of(".*", RetryBenchmark.Impl.class))),
          new Benchmarks(
              BulkheadBenchmark.class,
              "Bulkhead with room: acquire, call, release",
              BulkheadBenchmark.BASELINE,
              BulkheadBenchmark.RIVALS,
              List.of(Group.of(".*", BulkheadBenchmark.Impl.class))),
          new Benchmarks(
              AdaptiveBulkheadBenchmark.class,
              "Bulkhead with an adaptive limit and room: acquire, call, release",
              AdaptiveBulkheadBenchmark.BASELINE,
              AdaptiveBulkheadBenchmark.RIVALS,
              List.of(Group.of(".*", AdaptiveBulkheadBenchmark.Impl.class))),
          new Benchmarks(
              ThreadPoolBulkheadBenchmark.class,
              "Thread-pool bulkhead with room: submit a task, wait for its result",
              ThreadPoolBulkheadBenchmark.BASELINE,
              ThreadPoolBulkheadBenchmark.RIVALS,
              List.of(Group.of(".*", ThreadPoolBulkheadBenchmark.Impl.class))),
          new Benchmarks(
              PipelineBenchmark.class,
              "Pipeline of a retry around a breaker, first attempt succeeds",
              PipelineBenchmark.BASELINE,
              PipelineBenchmark.RIVALS,
              List.of(Group.of(".*", PipelineBenchmark.Impl.class))),
          new Benchmarks(
              PipelineBulkheadBenchmark.class,
              "Pipeline of a retry around a breaker around a bulkhead, first attempt succeeds",
              PipelineBulkheadBenchmark.BASELINE,
              PipelineBulkheadBenchmark.RIVALS,
              List.of(Group.of(".*", PipelineBulkheadBenchmark.Impl.class))),
          new Benchmarks(
              TimerWheelBenchmark.class,
              "Timer wheel, schedule and cancel with timers pending",
              TimerWheelBenchmark.BASELINE,
              TimerWheelBenchmark.RIVALS,
              List.of(Group.of(".*", TimerWheelBenchmark.Impl.class))),
          new Benchmarks(
              LoadShedBenchmark.class,
              "Load shedder and adaptive throttle, success path",
              LoadShedBenchmark.BASELINE,
              LoadShedBenchmark.RIVALS,
              List.of(Group.of(".*", LoadShedBenchmark.Impl.class))),
          new Benchmarks(
              GovernorBenchmark.class,
              "Governor, a decision on the allow path",
              GovernorBenchmark.BASELINE,
              GovernorBenchmark.RIVALS,
              List.of(Group.of(".*", GovernorBenchmark.Impl.class))),
          new Benchmarks(
              RateLimiterBenchmark.class,
              "Rate limiter under its limit: try for a permit, call",
              RateLimiterBenchmark.BASELINE,
              RateLimiterBenchmark.RIVALS,
              List.of(Group.of(".*", RateLimiterBenchmark.Impl.class))),
          new Benchmarks(
              BoundedQueueBenchmark.class,
              "Bounded queue offer and poll: one producer, two producers, round trip",
              BoundedQueueBenchmark.BASELINE,
              BoundedQueueBenchmark.RIVALS,
              List.of(Group.of(".*", BoundedQueueBenchmark.Impl.class))));

  private int forks = Integer.getInteger("ballast.jmh.forks", 1);
  private int warmup = Integer.getInteger("ballast.jmh.warmup", 2);
  private TimeValue warmupTime = TimeValue.fromString(property("warmupTime", "1s"));
  private int iterations = Integer.getInteger("ballast.jmh.iterations", 3);
  private TimeValue time = TimeValue.fromString(property("time", "1s"));
  private String only = property("only", "");
  private String impl = property("impl", "");
  private String json = property("json", "resilience-jmh/target/benchmark-result.json");
  private String chart = property("chart", "resilience-jmh/target/benchmark-chart.svg");

  private Suite() {}

  /**
   * Runs the suite and prints the tables to standard output.
   *
   * @param args the options listed in the class documentation
   * @throws RunnerException when JMH fails to run a benchmark
   * @throws IOException when the JSON results or the chart cannot be written
   */
  public static void main(String[] args) throws RunnerException, IOException {
    Suite suite = new Suite();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        System.out.println(usage());
        return;
      }
      if (arg.equals("--quick")) {
        suite.warmup = 1;
        suite.warmupTime = TimeValue.milliseconds(200);
        suite.iterations = 3;
        suite.time = TimeValue.milliseconds(100);
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + arg + "\n" + usage());
      }
      String value = args[++i];
      switch (arg) {
        case "--only" -> suite.only = value;
        case "--forks" -> suite.forks = Integer.parseInt(value);
        case "--warmup" -> suite.warmup = Integer.parseInt(value);
        case "--warmup-time" -> suite.warmupTime = TimeValue.fromString(value);
        case "--iterations" -> suite.iterations = Integer.parseInt(value);
        case "--time" -> suite.time = TimeValue.fromString(value);
        case "--impl" -> suite.impl = value;
        case "--json" -> suite.json = value;
        case "--chart" -> suite.chart = value;
        default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + usage());
      }
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    suite.run(out);
    out.flush();
  }

  private void run(PrintStream out) throws RunnerException, IOException {
    List<Benchmarks> selected = select(only);
    long start = System.nanoTime();
    String loadAtStart = loadAverage();
    out.print(header());
    boolean ranAny = false;
    List<RunResult> all = new ArrayList<>();
    for (Benchmarks benchmarks : selected) {
      List<ResultTable.Row> rows = new ArrayList<>();
      int section = 0;
      for (Group group : benchmarks.groups()) {
        section++;
        List<String> impls = impls(group, impl);
        if (impls.isEmpty()) {
          continue;
        }
        for (RunResult result : run(benchmarks, group, impls)) {
          all.add(result);
          rows.add(row(section, group, result));
        }
      }
      if (rows.isEmpty()) {
        continue;
      }
      ranAny = true;
      out.print(
          format(
              "%n## %s%n%n`%s`, ratios against `%s`.%n%n",
              benchmarks.title(), benchmarks.type().getSimpleName(), benchmarks.baseline()));
      out.print(new ResultTable(rows, benchmarks.baseline(), benchmarks.rivals()).render());
    }
    if (!ranAny) {
      throw new IllegalStateException(
          "JMH ran no benchmark; check --only " + only + " --impl " + impl);
    }
    Path jsonFile = Path.of(json);
    Path parent = jsonFile.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ResultFormatFactory.getInstance(ResultFormatType.JSON, json).writeOut(all);
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    String loadAtEnd = loadAverage();
    Chart.Run results = Chart.read(jsonFile);
    Chart.write(
        results,
        Chart.Header.of(
            results.settings(),
            Chart.machine(),
            System.getProperty("java.vendor", ""),
            Chart.today(),
            format(
                "System load average (1 min) %s at the start, %s at the end; ran in %d min %02d s.",
                loadAtStart, loadAtEnd, seconds / 60, seconds % 60)),
        Path.of(chart));
    out.print(
        format(
            "%nRan in %d min %02d s; system load average (1 min) at the end: %s.%n",
            seconds / 60, seconds % 60, loadAtEnd));
    out.print(format("%nChart: `%s`; JMH's JSON: `%s`.%n", chart, json));
  }

  private Collection<RunResult> run(Benchmarks benchmarks, Group group, List<String> impls)
      throws RunnerException {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(
                "^"
                    + benchmarks.type().getName().replace(".", "\\.")
                    + "\\.(?:"
                    + group.methods()
                    + ")$")
            .addProfiler(GCProfiler.class)
            .forks(forks)
            .warmupIterations(warmup)
            .warmupTime(warmupTime)
            .measurementIterations(iterations)
            .measurementTime(time)
            .shouldFailOnError(true);
    if (!impl.isBlank()) {
      options.param("impl", impls.toArray(String[]::new));
    }
    return new Runner(
            options.build(),
            OutputFormatFactory.createFormatInstance(System.err, VerboseMode.NORMAL))
        .run();
  }

  /**
   * Returns the classes {@code only} names (comma-separated, without "Benchmark", case-ignored), in
   * suite order, or all of them when it is blank.
   *
   * @throws IllegalArgumentException naming the unknown name and the known ones
   */
  static List<Benchmarks> select(String only) {
    if (only.isBlank()) {
      return BENCHMARKS;
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String name : only.split(",", -1)) {
      String trimmed = name.trim();
      if (trimmed.endsWith("Benchmark")) {
        trimmed = trimmed.substring(0, trimmed.length() - "Benchmark".length());
      }
      String found = null;
      for (Benchmarks candidate : BENCHMARKS) {
        if (candidate.name().equalsIgnoreCase(trimmed)) {
          found = candidate.name();
        }
      }
      if (found == null) {
        throw new IllegalArgumentException(
            "--only: unknown benchmark '"
                + name
                + "'; known: "
                + BENCHMARKS.stream().map(Benchmarks::name).collect(Collectors.joining(",")));
      }
      wanted.add(found);
    }
    return BENCHMARKS.stream().filter(b -> wanted.contains(b.name())).toList();
  }

  /**
   * Returns the group's implementations that {@code impl} (comma-separated) keeps; all if blank.
   */
  static List<String> impls(Group group, String impl) {
    if (impl.isBlank()) {
      return group.impls();
    }
    Set<String> wanted = new TreeSet<>();
    for (String name : impl.split(",", -1)) {
      wanted.add(name.trim());
    }
    return group.impls().stream().filter(wanted::contains).toList();
  }

  private static ResultTable.Row row(int section, Group group, RunResult result) {
    BenchmarkParams params = result.getParams();
    String benchmark = params.getBenchmark();
    int method = benchmark.lastIndexOf('.');
    int type = benchmark.lastIndexOf('.', method - 1);
    String impl = params.getParam("impl");
    impl = impl == null ? "?" : impl;
    List<String> others = new ArrayList<>();
    for (Object key : params.getParamsKeys()) {
      String name = String.valueOf(key);
      if (!name.equals("impl")) {
        others.add(name + "=" + params.getParam(name));
      }
    }
    others.sort(null);
    Result<?> primary = result.getPrimaryResult();
    return new ResultTable.Row(
        section,
        benchmark.substring(type + 1),
        impl,
        String.join(", ", others),
        params.getThreads(),
        primary.getScore(),
        primary.getScoreError(),
        allocation(result),
        group.order(impl));
  }

  /** Bytes per operation from the GC profiler; its key lost a leading dot in later JMH versions. */
  private static double allocation(RunResult result) {
    Map<String, ?> secondary = result.getSecondaryResults();
    for (Map.Entry<String, ?> entry : secondary.entrySet()) {
      if (entry.getKey().endsWith("gc.alloc.rate.norm")
          && entry.getValue() instanceof Result<?> r) {
        return r.getScore();
      }
    }
    return Double.NaN;
  }

  private String header() {
    return format(
        "# Ballast benchmarks%n%n"
            + "JDK %s (%s), %d CPUs; %d fork(s), warmup %d x %s, measurement %d x %s;"
            + " average time with JMH's GC profiler (B/op is gc.alloc.rate.norm)."
            + " Score error is the 99.9%% interval (none under 3 iterations). Each ratio divides"
            + " a row's ns/op by its class's baseline row with the same benchmark method, thread"
            + " count and parameters. System load average (1 min) at the start: %s.%n",
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(),
        forks,
        warmup,
        warmupTime,
        iterations,
        time,
        loadAverage());
  }

  private static String loadAverage() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? "unknown" : format("%.2f", load);
  }

  private static String property(String name, String fallback) {
    String value = System.getProperty("ballast.jmh." + name);
    return value == null ? fallback : value;
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  private static String usage() {
    return "usage: Suite [--quick] [--only A,B] [--forks N] [--warmup N] [--warmup-time T]"
        + " [--iterations N] [--time T] [--impl A,B] [--json FILE] [--chart FILE]"
        + "   (T like 1s or 200ms)\n"
        + "benchmarks for --only: "
        + BENCHMARKS.stream().map(Benchmarks::name).collect(Collectors.joining(","));
  }
}
