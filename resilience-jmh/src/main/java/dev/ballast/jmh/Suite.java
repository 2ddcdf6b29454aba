package dev.ballast.jmh;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the circuit breaker benchmarks with JMH's GC profiler and prints a markdown table of time
 * and allocation per call, each time also as a ratio of Ballast's count-window breaker.
 *
 * <p>JMH's own progress goes to standard error; standard output carries the table alone, so {@code
 * java -cp benchmarks.jar dev.ballast.jmh.Suite > table.md} keeps just the table.
 *
 * <p>Options (system properties {@code -Dballast.jmh.NAME=VALUE} set the defaults; arguments are
 * applied left to right over them):
 *
 * <pre>
 * --quick             smoke run: warmup 1 x 200ms, measurement 3 x 100ms
 * --forks N           forks per benchmark           (ballast.jmh.forks, default 1)
 * --warmup N          warmup iterations             (ballast.jmh.warmup, default 2)
 * --warmup-time T     warmup iteration time, 1s     (ballast.jmh.warmupTime, default 1s)
 * --iterations N      measurement iterations        (ballast.jmh.iterations, default 3)
 * --time T            measurement iteration time    (ballast.jmh.time, default 1s)
 * --impl A,B          only these implementations    (ballast.jmh.impl, default all)
 * --json FILE         also write JMH's JSON results (ballast.jmh.json)
 * </pre>
 *
 * <p>Thread-safety: a command-line entry point; not meant to be called concurrently.
 */
public final class Suite {

  private int forks = Integer.getInteger("ballast.jmh.forks", 1);
  private int warmup = Integer.getInteger("ballast.jmh.warmup", 2);
  private TimeValue warmupTime = TimeValue.fromString(property("warmupTime", "1s"));
  private int iterations = Integer.getInteger("ballast.jmh.iterations", 3);
  private TimeValue time = TimeValue.fromString(property("time", "1s"));
  private String impl = property("impl", "");
  private String json = property("json", "");

  private Suite() {}

  /**
   * Runs the suite and prints the table to standard output.
   *
   * @param args the options listed in the class documentation
   * @throws RunnerException when JMH fails to run a benchmark
   */
  public static void main(String[] args) throws RunnerException {
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
        case "--forks" -> suite.forks = Integer.parseInt(value);
        case "--warmup" -> suite.warmup = Integer.parseInt(value);
        case "--warmup-time" -> suite.warmupTime = TimeValue.fromString(value);
        case "--iterations" -> suite.iterations = Integer.parseInt(value);
        case "--time" -> suite.time = TimeValue.fromString(value);
        case "--impl" -> suite.impl = value;
        case "--json" -> suite.json = value;
        default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + usage());
      }
    }
    String table = suite.run();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.print(table);
    out.flush();
  }

  private String run() throws RunnerException {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include("^" + CircuitBreakerBenchmark.class.getName().replace(".", "\\.") + "\\.")
            .addProfiler(GCProfiler.class)
            .forks(forks)
            .warmupIterations(warmup)
            .warmupTime(warmupTime)
            .measurementIterations(iterations)
            .measurementTime(time)
            .shouldFailOnError(true);
    if (!impl.isBlank()) {
      options.param("impl", impl.split(",", -1));
    }
    if (!json.isBlank()) {
      options.resultFormat(ResultFormatType.JSON).result(json);
    }
    Collection<RunResult> results =
        new Runner(
                options.build(),
                OutputFormatFactory.createFormatInstance(System.err, VerboseMode.NORMAL))
            .run();
    if (results.isEmpty()) {
      throw new IllegalStateException("JMH ran no benchmark; check --impl " + impl);
    }
    List<ResultTable.Row> rows = new ArrayList<>();
    for (RunResult result : results) {
      rows.add(row(result));
    }
    return header() + "\n" + new ResultTable(rows).render();
  }

  private static ResultTable.Row row(RunResult result) {
    BenchmarkParams params = result.getParams();
    String benchmark = params.getBenchmark();
    int method = benchmark.lastIndexOf('.');
    int type = benchmark.lastIndexOf('.', method - 1);
    String impl = params.getParam("impl");
    impl = impl == null ? "?" : impl;
    Result<?> primary = result.getPrimaryResult();
    return new ResultTable.Row(
        benchmark.substring(type + 1),
        impl,
        params.getThreads(),
        primary.getScore(),
        primary.getScoreError(),
        allocation(result),
        order(impl));
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

  /** Where {@code impl} is declared in {@link CircuitBreakerBenchmark.Impl}; unknown ones last. */
  private static int order(String impl) {
    int index = 0;
    for (CircuitBreakerBenchmark.Impl candidate : CircuitBreakerBenchmark.Impl.values()) {
      if (candidate.name().equals(impl)) {
        return index;
      }
      index++;
    }
    return Integer.MAX_VALUE;
  }

  private String header() {
    return String.format(
        Locale.ROOT,
        "## Circuit breaker, closed-state success path%n%n"
            + "JDK %s (%s), %d CPUs; %d fork(s), warmup %d x %s, measurement %d x %s;"
            + " average time with JMH's GC profiler. Score error is the 99.9%% interval"
            + " (none under 3 iterations).%n",
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(),
        forks,
        warmup,
        warmupTime,
        iterations,
        time);
  }

  private static String property(String name, String fallback) {
    String value = System.getProperty("ballast.jmh." + name);
    return value == null ? fallback : value;
  }

  private static String usage() {
    return "usage: Suite [--quick] [--forks N] [--warmup N] [--warmup-time T] [--iterations N]"
        + " [--time T] [--impl A,B] [--json FILE]   (T like 1s or 200ms)";
  }
}
