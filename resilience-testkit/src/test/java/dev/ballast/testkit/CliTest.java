package dev.ballast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

final class CliTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.SECONDS)
  void quickDemoPrintsBothTablesAndSaysHowEachCallEndedAsAUserWouldNotByExceptionClass()
      throws Exception {
    int code = Cli.run(new String[] {"demo", "--quick"}, out);

    assertThat(code).isEqualTo(0);
    String printed = printed();
    assertThat(printed)
        .contains("ENDPOINT", "UNPROTECTED", "WITH BALLAST")
        .contains("BREAKER BEFORE", "BREAKER AFTER")
        .contains("http-no-reply", "http-healthy");
    // The 503 and the 500 read differently, with the status and the server's Retry-After.
    assertThat(linesOf(printed, "http-503"))
        .contains("503 Service Unavailable (Retry-After 1 s)")
        .doesNotContain("500");
    assertThat(linesOf(printed, "http-500"))
        .contains("500 Internal Server Error")
        .doesNotContain("503");
    // A hung server: the client's timeout unprotected, Ballast's with it, then the fallback.
    assertThat(linesOf(printed, "http-no-reply"))
        .contains("client timed out after 1000 ms")
        .contains("timed out after 200 ms [2 attempts]")
        .contains("breaker open: fallback served");
    assertThat(linesOf(printed, "http-healthy")).contains("200 OK");
    assertThat(printed).doesNotContain("Exception");
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.SECONDS)
  void quickDemoShowsABulkheadKeepingTheSlowEndpointFromStarvingTheHealthyOne() throws Exception {
    Cli.run(new String[] {"demo", "--quick"}, out);

    String printed = printed();
    String bare = lineAfter(printed, "WITHOUT BULKHEAD", "http-healthy");
    String guarded = lineAfter(printed, "WITH BULKHEAD", "http-healthy");
    // Unprotected, every healthy call queues behind a slow one: 400 ms at least.
    assertThat(slowestMillis(bare)).isGreaterThanOrEqualTo(400);
    assertThat(slowestMillis(guarded)).isLessThan(400);
    assertThat(guarded).contains("4 x 200 OK");
    assertThat(lineAfter(printed, "WITH BULKHEAD", "http-slow")).contains("bulkhead full, refused");
    Matcher figures =
        Pattern.compile("admitted (\\d+) calls to http-slow\\s+and refused (\\d+) at once")
            .matcher(printed);
    assertThat(figures.find()).as(printed).isTrue();
    int admitted = Integer.parseInt(figures.group(1));
    int refused = Integer.parseInt(figures.group(2));
    assertThat(admitted + refused).isEqualTo(8);
    assertThat(refused).isPositive();
    assertThat(printed).contains("only 2 workers were held");
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.SECONDS)
  void quickDemoDrawsEachBreakerOpeningAndClosingInAnSvgAndSaysWhere(@TempDir Path dir)
      throws Exception {
    Path svg = dir.resolve("pictures/demo run.svg");
    int code = Cli.run(new String[] {"demo", "--quick", "--svg", svg.toString()}, out);

    assertThat(code).isEqualTo(0);
    assertThat(printed())
        .contains("timeline of this run")
        .contains(svg.toAbsolutePath().toString());
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document document = factory.newDocumentBuilder().parse(svg.toFile());
    List<String> lanes = new ArrayList<>();
    NodeList groups = document.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      if (g.getAttribute("class").equals("lane")) {
        lanes.add(g.getAttribute("data-lane"));
        if (g.getAttribute("data-lane").equals("http-no-reply (circuit breaker)")) {
          assertThat(bandStates(g)).containsSubsequence("CLOSED", "OPEN", "HALF_OPEN", "CLOSED");
        }
      }
    }
    assertThat(lanes)
        .startsWith("harness", "http-no-reply (circuit breaker)")
        .contains("http-healthy (circuit breaker)");
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.SECONDS)
  void inProcessDemoDrawsItsBreakerOpeningAndClosing(@TempDir Path dir) throws Exception {
    Path svg = dir.resolve("inprocess.svg");
    Demo.main(new String[] {"--quick", "--svg", svg.toString()});

    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document document = factory.newDocumentBuilder().parse(svg.toFile());
    NodeList groups = document.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
    List<String> states = new ArrayList<>();
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      if (g.getAttribute("data-lane").equals("inventory (circuit breaker)")) {
        states.addAll(bandStates(g));
      }
    }
    assertThat(states).containsSubsequence("CLOSED", "OPEN", "CLOSED");
  }

  private static List<String> bandStates(Element lane) {
    List<String> states = new ArrayList<>();
    NodeList rects = lane.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
    for (int i = 0; i < rects.getLength(); i++) {
      Element rect = (Element) rects.item(i);
      if (rect.getAttribute("class").equals("band")) {
        states.add(rect.getAttribute("data-state"));
      }
    }
    return states;
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void serveForZeroSecondsPrintsEveryPortAndStops() throws Exception {
    int code = Cli.run(new String[] {"serve", "--for", "0"}, out);

    assertThat(code).isEqualTo(0);
    assertThat(printed()).contains("PORT", "NAME", "MISBEHAVIOR");
    for (var misbehavior : Cli.everyMisbehavior()) {
      assertThat(printed()).contains(misbehavior.name());
    }
  }

  @Test
  void anUnknownCommandPrintsTheUsageAndFails() throws Exception {
    assertThat(Cli.run(new String[] {"launch"}, out)).isEqualTo(2);
    assertThat(Cli.run(new String[] {"serve", "--for", "-1"}, out)).isEqualTo(2);
    assertThat(Cli.run(new String[] {"demo", "--svg"}, out)).isEqualTo(2);
    assertThat(printed()).contains("usage:");
  }

  @Test
  @SuppressWarnings("NullAway") // passes nulls on purpose
  void nullArgumentsAreNamed() {
    assertThatThrownBy(() -> Cli.run(null, out))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("args must not be null");
    assertThatThrownBy(() -> Cli.run(new String[] {"serve", null}, out))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("args[1] must not be null");
    assertThatThrownBy(() -> Cli.run(new String[] {"demo"}, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("out must not be null");
    assertThatThrownBy(() -> Cli.main(new String[] {null}))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("args[0] must not be null");
    assertThatThrownBy(() -> Demo.main(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("args must not be null");
    assertThatThrownBy(() -> Demo.main(new String[] {"--quick", null}))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("args[1] must not be null");
    assertThat(printed()).isEmpty();
  }

  /** The first line naming {@code endpoint} at or after the line that starts with {@code label}. */
  private static String lineAfter(String printed, String label, String endpoint) {
    List<String> lines = printed.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(label + " ")) {
        for (int j = i; j < lines.size(); j++) {
          if (lines.get(j).contains(" " + endpoint + " ")) {
            return lines.get(j);
          }
        }
      }
    }
    throw new AssertionError("no " + endpoint + " line after " + label + " in:\n" + printed);
  }

  /** The last figure in milliseconds on a line ({@code 4 x 200 OK in 9 to 13 ms}: 13). */
  private static long slowestMillis(String line) {
    Matcher m = Pattern.compile("(\\d+) ms$").matcher(line.strip());
    assertThat(m.find()).as(line).isTrue();
    return Long.parseLong(m.group(1));
  }

  /**
   * The demo's lines for one endpoint: its UNPROTECTED line and the WITH BALLAST lines below it, up
   * to the next endpoint.
   */
  private static String linesOf(String printed, String endpoint) {
    StringBuilder lines = new StringBuilder();
    boolean in = false;
    for (String line : printed.lines().toList()) {
      if (line.startsWith(endpoint + " ") && line.contains("UNPROTECTED")) {
        in = true;
      } else if (in && !line.startsWith(" ")) {
        break;
      }
      if (in) {
        lines.append(line).append('\n');
      }
    }
    assertThat(lines).as("lines of %s in:%n%s", endpoint, printed).isNotEmpty();
    return lines.toString();
  }
}
