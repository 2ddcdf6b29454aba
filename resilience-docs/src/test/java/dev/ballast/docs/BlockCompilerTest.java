package dev.ballast.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class BlockCompilerTest {

  @TempDir Path out;

  private List<String> compile(String markdown) {
    return BlockCompiler.compile(
        MarkdownBlocks.parse("doc.md", markdown).blocks(),
        System.getProperty("java.class.path"),
        out);
  }

  @Test
  void aFragmentUsesTheContextsNamesAndBallastsWithoutImports() {
    assertThat(
            compile(
                """
                ```java
                CircuitBreaker breaker = CircuitBreaker.of("inventory", CircuitBreakerConfig.builder()
                    .waitInOpen(Duration.ofSeconds(30))
                    .build());
                Item item = breaker.call(() -> client.get(id));   // throws IOException
                render(item);
                ```
                """))
        .isEmpty();
  }

  @Test
  void aFragmentsImportsMoveToTheTopAndAnExpressionGetsItsSemicolon() {
    assertThat(
            compile(
                """
                ```java
                import static dev.ballast.testkit.BallastAssertions.assertThat;

                assertThat(breaker).isClosed()   // no semicolon: an expression
                ```
                """))
        .isEmpty();
  }

  @Test
  void aUnitAndMemberDeclarationsCompileAsTheyAre() {
    assertThat(
            compile(
                """
                ```java
                @ExtendWith(BallastExtension.class)
                public class InventoryTest {
                  @Test
                  void opens(ManualTicker ticker) {}
                }
                ```

                ```java
                <T, X extends Throwable> T call(CheckedCallable<T, X> callable) throws X;
                ```
                """))
        .isEmpty();
  }

  @Test
  void anErrorNamesTheMarkdownLineAndPointsAtTheCulprit() {
    List<String> errors =
        compile(
            """
            # Page

            ```java
            Pipeline p = Pipeline.of(retry, mystery, breaker);
            ```
            """);

    assertThat(errors).hasSize(1);
    assertThat(errors.get(0))
        .startsWith("doc.md:4: cannot find symbol")
        .contains("    | Pipeline p = Pipeline.of(retry, mystery, breaker);")
        .endsWith("\n    |                                 ^");
  }

  @Test
  void everyBrokenBlockIsReportedInOneRunEvenBesideASyntaxError() {
    List<String> errors =
        compile(
            """
            ```java
            registry.clear();
            ...
            ```

            ```java
            Retry r = Retry.ofDefaults(name);
            ```
            """);

    assertThat(errors).hasSize(2);
    assertThat(errors.get(0)).startsWith("doc.md:3: ");
    assertThat(errors.get(1)).startsWith("doc.md:7: cannot find symbol");
  }
}
