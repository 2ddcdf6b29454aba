package dev.ballast.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

final class MarkdownBlocksTest {

  @Test
  void findsJavaBlocksWithTheLineOfTheirFenceAndSkipsOtherLanguages() {
    String md =
        String.join(
            "\n",
            "# Title", // 1
            "", // 2
            "```java", // 3
            "int a = 1;", // 4
            "```", // 5
            "```xml", // 6
            "<a/>", // 7
            "```", // 8
            "```", // 9
            "not java", // 10
            "```", // 11
            "~~~java", // 12
            "int b = 2;", // 13
            "~~~"); // 14

    List<DocBlock> blocks = MarkdownBlocks.parse("x.md", md).blocks();

    assertThat(blocks).extracting(DocBlock::fenceLine).containsExactly(3, 12);
    assertThat(blocks.get(0).lines()).containsExactly("int a = 1;");
    assertThat(blocks.get(0).where(0)).isEqualTo("x.md:4");
    assertThat(blocks.get(1).lines()).containsExactly("int b = 2;");
  }

  @Test
  void aFenceIndentedInAListItemLosesItsIndentation() {
    String md =
        """
        - step:

          ```java
          if (x) {
            y();
          }
          ```
        """;

    DocBlock block = MarkdownBlocks.parse("x.md", md).blocks().get(0);

    assertThat(block.lines()).containsExactly("if (x) {", "  y();", "}");
  }

  @Test
  void aMarkerRightAboveAJavaBlockOptsItOutWithItsReason() {
    String md =
        """
        <!-- not compiled: shows the shape of a future API -->

        ```java
        Bulkhead b;
        ```
        ```java
        int a = 1;
        ```
        """;

    MarkdownBlocks found = MarkdownBlocks.parse("x.md", md);

    assertThat(found.blocks().get(0).optOut()).contains("shows the shape of a future API");
    assertThat(found.blocks().get(1).optOut()).isEmpty();
    assertThat(found.problems()).isEmpty();
  }

  @Test
  void aMarkerWithoutReasonOrWithoutAJavaBlockBelowIsAProblem() {
    String md =
        String.join(
            "\n",
            "<!-- not compiled -->", // 1
            "```java", // 2
            "int a = 1;", // 3
            "```", // 4
            "<!-- not compiled: output -->", // 5
            "Some prose.", // 6
            "<!-- not compiled: output -->", // 7
            "```text", // 8
            "done", // 9
            "```"); // 10

    assertThat(MarkdownBlocks.parse("x.md", md).problems())
        .containsExactly(
            "x.md:1: marker gives no reason (not compiled: why)",
            "x.md:5: marker not right above a java block",
            "x.md:7: marker not right above a java block");
  }

  @Test
  void aBlockIsAUnitMembersOrAFragment() {
    assertThat(kindOf("@ExtendWith(X.class)", "class FooTest {", "}"))
        .isEqualTo(DocBlock.Kind.UNIT);
    assertThat(kindOf("import java.util.List;", "", "public final class Foo {}"))
        .isEqualTo(DocBlock.Kind.UNIT);
    assertThat(kindOf("<T, X extends Throwable> T call(CheckedCallable<T, X> c) throws X;"))
        .isEqualTo(DocBlock.Kind.MEMBERS);
    assertThat(kindOf("// the contract", "public void close();")).isEqualTo(DocBlock.Kind.MEMBERS);
    assertThat(kindOf("Item item = breaker.call(() -> client.get(id));"))
        .isEqualTo(DocBlock.Kind.FRAGMENT);
    assertThat(kindOf("breaker.addListener(new CircuitBreakerListener() {", "});"))
        .isEqualTo(DocBlock.Kind.FRAGMENT);
  }

  private static DocBlock.Kind kindOf(String... lines) {
    return MarkdownBlocks.parse("x.md", "```java\n" + String.join("\n", lines) + "\n```")
        .blocks()
        .get(0)
        .kind();
  }
}
