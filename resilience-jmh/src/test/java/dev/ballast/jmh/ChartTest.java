package dev.ballast.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

final class ChartTest {

  private static final Chart.Header HEADER =
      new Chart.Header(
          "2 CPUs, Linux 6.1 (amd64)",
          "Debian OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1",
          "2026-12-06",
          "JMH 1.37, average time per operation: 1 fork, warmup 2 × 1 s, measurement 3 × 1 s",
          "a short run on a busy machine");

  private static Path fixture() throws URISyntaxException {
    URL url = Objects.requireNonNull(ChartTest.class.getResource("chart-fixture.json"), "fixture");
    return Path.of(url.toURI());
  }

  private static Chart.Run fixtureRun() throws IOException, URISyntaxException {
    return Chart.read(fixture());
  }

  private static Document parse(String svg)
      throws ParserConfigurationException, SAXException, IOException {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    try (InputStream in = new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8))) {
      return factory.newDocumentBuilder().parse(in);
    }
  }

  /** The elements of {@code tag} whose {@code class} is {@code cls}, in document order. */
  private static List<Element> elements(Document document, String tag, String cls) {
    NodeList nodes = document.getElementsByTagNameNS("http://www.w3.org/2000/svg", tag);
    List<Element> found = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      Element element = (Element) nodes.item(i);
      if (element.getAttribute("class").equals(cls)) {
        found.add(element);
      }
    }
    return found;
  }

  private static Element bar(Document document, String benchmark, String impl) {
    return elements(document, "rect", "bar").stream()
        .filter(e -> e.getAttribute("data-benchmark").endsWith(benchmark))
        .filter(e -> e.getAttribute("data-impl").equals(impl))
        .findFirst()
        .orElseThrow();
  }

  private static double end(Element bar) {
    return Double.parseDouble(bar.getAttribute("x"))
        + Double.parseDouble(bar.getAttribute("width"));
  }

  private static double grid(Document document, String nanos) {
    return elements(document, "line", "grid").stream()
        .filter(e -> e.getAttribute("data-ns").equals(nanos))
        .map(e -> Double.parseDouble(e.getAttribute("x1")))
        .findFirst()
        .orElseThrow();
  }

  private static String byId(Document document, String id) {
    NodeList texts = document.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
    for (int i = 0; i < texts.getLength(); i++) {
      Element element = (Element) texts.item(i);
      if (element.getAttribute("id").equals(id)) {
        return element.getTextContent();
      }
    }
    throw new AssertionError("no text with id " + id);
  }

  @Test
  void drawsOneBarPerResultInAnSvgThatParsesAsXml() throws Exception {
    Document svg = parse(Chart.render(fixtureRun().results(), HEADER));

    assertThat(svg.getDocumentElement().getLocalName()).isEqualTo("svg");
    assertThat(elements(svg, "rect", "bar"))
        .extracting(e -> e.getAttribute("data-impl") + " " + e.getAttribute("data-threads"))
        .containsExactly(
            "BARE 1", "BALLAST 1", "BALLAST 2", "R4J 1", "FAILSAFE 2", "BALLAST_WHEEL 1");
  }

  @Test
  void placesTenAndHundredNanosecondsOneDecadeApartOnTheLogScale() throws Exception {
    Document svg = parse(Chart.render(fixtureRun().results(), HEADER));

    double one = end(bar(svg, "RetryBenchmark.oneThread", "BARE"));
    double ten = end(bar(svg, "RetryBenchmark.oneThread", "BALLAST"));
    double hundred = end(bar(svg, "RetryBenchmark.oneThread", "R4J"));
    double decade = grid(svg, "100") - grid(svg, "10");

    // the fixture spans 1 ns to 1.5 µs: four decades over the plot's width
    assertThat(decade).isCloseTo((ChartLayout.PLOT_RIGHT - ChartLayout.PLOT_LEFT) / 4, within(0.1));
    assertThat(one).isCloseTo(grid(svg, "1"), within(0.1));
    assertThat(ten).isCloseTo(grid(svg, "10"), within(0.1));
    assertThat(hundred - ten).isCloseTo(decade, within(0.1));
    double failsafe = end(bar(svg, "RetryBenchmark.twoThreads", "FAILSAFE"));
    assertThat(failsafe - grid(svg, "1000")).isCloseTo(decade * Math.log10(1.5), within(0.1));
  }

  @Test
  void readsMicrosecondScoresAsNanosecondsAndNaNErrorsAsNone() throws Exception {
    Chart.Run run = fixtureRun();

    assertThat(run.results().get(4).nanos()).isEqualTo(1500.0);
    assertThat(run.results().get(4).error()).isEqualTo(500.0);
    assertThat(run.results().get(2).error()).isNaN();
    assertThat(run.results().get(5).params()).isEqualTo("pending=1000");
    assertThat(run.settings().vm()).isEqualTo("OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1");
    Document svg = parse(Chart.render(run.results(), HEADER));
    assertThat(bar(svg, "RetryBenchmark.twoThreads", "FAILSAFE").getAttribute("data-ns"))
        .isEqualTo("1500");
    assertThat(elements(svg, "line", "error")).hasSize(5); // R4J's NaN error draws no whisker
  }

  @Test
  void marksBytesPerOperationBesideEveryBar() throws Exception {
    Document svg = parse(Chart.render(fixtureRun().results(), HEADER));

    assertThat(elements(svg, "text", "bytes"))
        .extracting(Element::getTextContent)
        .containsExactly("0 B", "0 B", "0 B", "48 B", "416 B", "40 B");
    List<Element> bars = elements(svg, "rect", "bar");
    List<Element> bytes = elements(svg, "text", "bytes");
    for (int i = 0; i < bars.size(); i++) {
      double middle =
          Double.parseDouble(bars.get(i).getAttribute("y"))
              + Double.parseDouble(bars.get(i).getAttribute("height")) / 2;
      assertThat(Double.parseDouble(bytes.get(i).getAttribute("y")) - middle)
          .as("the B/op label on the line of bar " + i)
          .isBetween(0.0, 6.0);
    }
  }

  @Test
  void printsEachFigureAndItsRatioToTheBaselineAtTheSameThreads() throws Exception {
    Document svg = parse(Chart.render(fixtureRun().results(), HEADER));

    assertThat(elements(svg, "text", "figure"))
        .extracting(Element::getTextContent)
        .containsExactly(
            "1 ns · 0.10×", "10 ns", "12.5 ns", "100 ns · 10×", "1.5 µs · 120×", "35 ns");
    assertThat(bar(svg, "RetryBenchmark.oneThread", "BALLAST").getAttribute("stroke")).isNotEmpty();
    assertThat(bar(svg, "RetryBenchmark.oneThread", "R4J").getAttribute("stroke")).isEmpty();
  }

  @Test
  void coloursBarsByFamilyAndHatchesTheMultiThreadedOnes() throws Exception {
    Document svg = parse(Chart.render(fixtureRun().results(), HEADER));

    assertThat(bar(svg, "RetryBenchmark.oneThread", "BARE").getAttribute("fill"))
        .isEqualTo(Family.FLOOR.colour());
    assertThat(bar(svg, "RetryBenchmark.oneThread", "BALLAST").getAttribute("fill"))
        .isEqualTo(Family.BALLAST.colour());
    assertThat(bar(svg, "RetryBenchmark.oneThread", "R4J").getAttribute("fill"))
        .isEqualTo(Family.RESILIENCE4J.colour());
    assertThat(bar(svg, "RetryBenchmark.twoThreads", "FAILSAFE").getAttribute("fill"))
        .isEqualTo(Family.FAILSAFE.colour());
    assertThat(elements(svg, "rect", "hatch")).hasSize(2);
    assertThat(elements(svg, "text", "threads"))
        .extracting(Element::getTextContent)
        .containsExactly("1T", "1T", "2T", "1T", "2T", "1T");
    assertThat(elements(svg, "text", "legend"))
        .extracting(Element::getTextContent)
        .contains("Ballast", "Resilience4j", "Failsafe", "bare call / JDK");
  }

  @Test
  void headsTheChartWithTheMachineTheJdkTheDateAndTheSettings() throws Exception {
    Chart.Run run = fixtureRun();
    Chart.Header header =
        Chart.Header.of(run.settings(), "2 CPUs, Linux 6.1 (amd64)", "Debian", "2026-12-06", "");
    Document svg = parse(Chart.render(run.results(), header));

    assertThat(byId(svg, "machine"))
        .isEqualTo(
            "Machine: 2 CPUs, Linux 6.1 (amd64) · JDK: Debian OpenJDK 64-Bit Server VM"
                + " 17.0.15+6-Debian-1deb12u1 · 2026-12-06");
    assertThat(byId(svg, "run"))
        .isEqualTo(
            "JMH 1.37, average time per operation: 1 fork, warmup 2 × 1 s, measurement 3 × 1 s");
    assertThat(elements(svg, "text", "panel"))
        .extracting(Element::getTextContent)
        .containsExactly(
            "Retry: Retry, first attempt succeeds",
            "TimerWheel: Timer wheel, schedule and cancel with timers pending");
  }

  @Test
  void drawsTheSameBytesForTheSameInput(@TempDir Path dir) throws Exception {
    String[] options = {
      "--machine", "2 CPUs, Linux", "--vendor", "Debian", "--date", "2026-12-06", "--note", "noisy"
    };
    List<String> first = new ArrayList<>(List.of(options));
    first.addAll(List.of(fixture().toString(), dir.resolve("a/first.svg").toString()));
    List<String> second = new ArrayList<>(List.of(options));
    second.addAll(List.of(fixture().toString(), dir.resolve("second.svg").toString()));

    Chart.main(first.toArray(String[]::new));
    Chart.main(second.toArray(String[]::new));

    String drawn = Files.readString(dir.resolve("a/first.svg"));
    assertThat(drawn).isEqualTo(Files.readString(dir.resolve("second.svg")));
    Chart.Run run = fixtureRun();
    assertThat(drawn)
        .isEqualTo(
            Chart.render(
                run.results(),
                Chart.Header.of(run.settings(), "2 CPUs, Linux", "Debian", "2026-12-06", "noisy")));
    assertThat(byId(parse(drawn), "note")).isEqualTo("noisy");
  }

  @Test
  void theBenchmarksPageShowsAChartThisClassDrew() throws Exception {
    Path docs = docs();
    Path chart = docs.resolve("pictures").resolve("benchmarks.svg");

    assertThat(Files.readString(docs.resolve("benchmarks.md")))
        .contains("(pictures/benchmarks.svg)");
    Document svg = parse(Files.readString(chart));
    assertThat(byId(svg, "machine")).startsWith("Machine: ").contains(" · JDK: ");
    assertThat(byId(svg, "run")).startsWith("JMH ");
    assertThat(elements(svg, "rect", "bar")).isNotEmpty();
    assertThat(elements(svg, "text", "bytes")).hasSameSizeAs(elements(svg, "rect", "bar"));
  }

  /** {@code docs/} at the top of the checkout, found from the working directory up. */
  private static Path docs() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("docs").resolve("benchmarks.md"))) {
        return d.resolve("docs");
      }
    }
    throw new AssertionError("docs/benchmarks.md not found above " + dir);
  }

  @Test
  void drawsAZeroOrMissingTimeAsAnEmptyBarAtTheAxisStart() throws Exception {
    Document svg =
        parse(
            Chart.render(
                List.of(
                    new Chart.Result("p.RetryBenchmark.oneThread", "BALLAST", "", 1, 10, 1, 0),
                    new Chart.Result("p.RetryBenchmark.oneThread", "BARE", "", 1, 0, 0, 0),
                    new Chart.Result(
                        "p.RetryBenchmark.oneThread", "R4J", "", 1, Double.NaN, 0, Double.NaN)),
                HEADER));

    assertThat(bar(svg, "oneThread", "BARE").getAttribute("width")).isEqualTo("0.0");
    assertThat(bar(svg, "oneThread", "R4J").getAttribute("width")).isEqualTo("0.0");
    assertThat(elements(svg, "text", "figure"))
        .extracting(Element::getTextContent)
        .containsExactly("0.00 ns · 0×", "10 ns", "n/a · n/a");
    assertThat(elements(svg, "text", "bytes"))
        .extracting(Element::getTextContent)
        .containsExactly("0 B", "0 B", "n/a");
  }

  @Test
  void escapesTextForXml() throws Exception {
    Chart.Result odd =
        new Chart.Result("x.y.Odd\"Benchmark.run", "A<&>'\"", "k=<v>", 1, 5.0, 1.0, 8.0);
    Chart.Header header = new Chart.Header("m & <n>", "\"jdk\"", "d'", "r", "<script>x</script>");

    String drawn = Chart.render(List.of(odd), header);
    Document svg = parse(drawn);

    assertThat(drawn).doesNotContain("<script>");
    assertThat(bar(svg, "run", "A<&>'\"").getAttribute("data-params")).isEqualTo("k=<v>");
    assertThat(byId(svg, "machine")).isEqualTo("Machine: m & <n> · JDK: \"jdk\" · d'");
    assertThat(byId(svg, "note")).isEqualTo("<script>x</script>");
    assertThat(elements(svg, "text", "impl"))
        .extracting(Element::getTextContent)
        .containsExactly("A<&>'\"");
  }

  @Test
  void refusesAMissingFileNamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("nothing.json");

    assertThatThrownBy(() -> Chart.main(new String[] {missing.toString(), "out.svg"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no such file: " + missing);
  }

  @Test
  void refusesAFileWithNoResults(@TempDir Path dir) throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.json"), "[\n]\n");
    Path blank = Files.writeString(dir.resolve("blank.json"), "");

    assertThatThrownBy(() -> Chart.read(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(empty + ": no benchmark results (an empty array)");
    assertThatThrownBy(() -> Chart.read(blank))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(blank + ": not valid JSON at line 1, column 1: empty file");
    assertThatThrownBy(() -> Chart.render(List.of(), HEADER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no benchmark results");
  }

  @Test
  void refusesWhatIsNotJmhJsonSayingWhere(@TempDir Path dir) throws IOException {
    Path broken = Files.writeString(dir.resolve("broken.json"), "[\n  {\"benchmark\" : }\n]");
    Path object = Files.writeString(dir.resolve("object.json"), "{}");
    Path throughput =
        Files.writeString(
            dir.resolve("thrpt.json"),
            "[{\"benchmark\":\"a.B.c\",\"primaryMetric\":{\"score\":1,\"scoreUnit\":\"ops/s\"}}]");

    assertThatThrownBy(() -> Chart.read(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(broken + ": not valid JSON at line 2, column 18: unexpected character '}'");
    assertThatThrownBy(() -> Chart.read(object))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected an array of results");
    assertThatThrownBy(() -> Chart.read(throughput))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("result 1 (a.B.c): score unit 'ops/s' is not a time per operation");
  }

  @Test
  void refusesAnUnknownOptionAndAMissingFileArgument() {
    assertThatThrownBy(() -> Chart.main(new String[] {"--colour", "red", "a.json", "b.svg"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option --colour");
    assertThatThrownBy(() -> Chart.main(new String[] {"a.json"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a JSON file and an SVG file, got [a.json]");
  }

  @Test
  void labelsTimesInTheirUnit() {
    assertThat(ChartLayout.time(0.789)).isEqualTo("0.8 ns");
    assertThat(ChartLayout.time(12.64)).isEqualTo("12.6 ns");
    assertThat(ChartLayout.time(139.55)).isEqualTo("140 ns");
    assertThat(ChartLayout.time(1885.07)).isEqualTo("1.9 µs");
    assertThat(ChartLayout.time(40225.98)).isEqualTo("40.2 µs");
    assertThat(ChartLayout.time(2_500_000)).isEqualTo("2.5 ms");
  }

  @Test
  void labelsRatiosWithTwoSignificantDigits() {
    assertThat(ChartLayout.ratio(1846.2)).isEqualTo("1846×");
    assertThat(ChartLayout.ratio(4.44)).isEqualTo("4.4×");
    assertThat(ChartLayout.ratio(0.1)).isEqualTo("0.10×");
    assertThat(ChartLayout.ratio(0.57)).isEqualTo("0.57×");
    assertThat(ChartLayout.ratio(0.0044)).isEqualTo("0.0044×");
    assertThat(ChartLayout.ratio(0)).isEqualTo("0×");
    assertThat(ChartLayout.ratio(Double.NaN)).isEqualTo("n/a");
  }

  @Test
  void groupsOneAndTwoThreadMethodsOfAFamilyTogether() {
    assertThat(ChartLayout.family("oneThread")).isEmpty();
    assertThat(ChartLayout.family("twoThreads")).isEmpty();
    assertThat(ChartLayout.family("syncOneThread")).isEqualTo("sync");
    assertThat(ChartLayout.family("asyncTwoThreads")).isEqualTo("async");
    assertThat(ChartLayout.family("scheduleAndCancel")).isEqualTo("scheduleAndCancel");
  }

  @Test
  void knowsTheFamilyOfEveryImplementationOfEveryBenchmark() {
    Map<String, Family> rivals =
        Map.ofEntries(
            Map.entry("BARE", Family.FLOOR),
            Map.entry("SEMAPHORE", Family.FLOOR),
            Map.entry("EXECUTOR", Family.FLOOR),
            Map.entry("SCHEDULED_THREAD_POOL", Family.FLOOR),
            Map.entry("ARRAY_BLOCKING", Family.FLOOR),
            Map.entry("LINKED_BLOCKING", Family.FLOOR),
            Map.entry("JCTOOLS_MPMC", Family.OTHER),
            Map.entry("R4J", Family.RESILIENCE4J),
            Map.entry("R4J_COUNT", Family.RESILIENCE4J),
            Map.entry("R4J_TIME", Family.RESILIENCE4J),
            Map.entry("R4J_PERMIT", Family.RESILIENCE4J),
            Map.entry("R4J_TIME_LIMITER", Family.RESILIENCE4J),
            Map.entry("FAILSAFE", Family.FAILSAFE));
    for (Suite.Benchmarks benchmarks : Suite.BENCHMARKS) {
      assertThat(Family.of(benchmarks.baseline())).as(benchmarks.name()).isEqualTo(Family.BALLAST);
      for (Suite.Group group : benchmarks.groups()) {
        for (String impl : group.impls()) {
          assertThat(Family.of(impl))
              .as(benchmarks.name() + " " + impl)
              .isEqualTo(rivals.getOrDefault(impl, Family.BALLAST));
        }
      }
    }
  }
}
