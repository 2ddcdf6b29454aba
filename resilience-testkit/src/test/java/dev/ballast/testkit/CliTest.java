package dev.ballast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class CliTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.SECONDS)
  void quickDemoFinishesAndPrintsBothTables() throws Exception {
    int code = Cli.run(new String[] {"demo", "--quick"}, out);

    assertThat(code).isEqualTo(0);
    assertThat(printed())
        .contains("ENDPOINT", "UNPROTECTED", "WITH BALLAST")
        .contains("BREAKER BEFORE", "BREAKER AFTER")
        .contains("http-no-reply", "http-healthy")
        .contains("fallback");
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
    assertThat(printed()).contains("usage:");
  }
}
