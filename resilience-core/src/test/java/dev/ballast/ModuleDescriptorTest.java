package dev.ballast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class ModuleDescriptorTest {

  private static ModuleDescriptor descriptor() throws Exception {
    Path compiled = Path.of("target", "classes", "module-info.class");
    try (InputStream in = Files.newInputStream(compiled)) {
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void exportsTheContractAndThePatternsButNeverInternal() throws Exception {
    ModuleDescriptor d = descriptor();
    assertThat(d.name()).isEqualTo("dev.ballast");
    Set<String> exported =
        d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    assertThat(exported)
        .containsExactlyInAnyOrder(
            "dev.ballast",
            "dev.ballast.bulkhead",
            "dev.ballast.circuitbreaker",
            "dev.ballast.faultcounter",
            "dev.ballast.fallback",
            "dev.ballast.timeout",
            "dev.ballast.retry",
            "dev.ballast.shed",
            "dev.ballast.governor",
            "dev.ballast.ratelimiter",
            "dev.ballast.queue",
            "dev.ballast.registry");
    assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    assertThat(d.opens()).isEmpty();
    assertThat(Path.of("target", "classes", "dev", "ballast", "internal")).isDirectory();
    assertThat(exported).noneMatch(p -> p.contains("internal"));
  }

  @Test
  void requiresSlf4jAndJSpecifyAtRunTimeAndNothingElse() throws Exception {
    Map<String, Set<Requires.Modifier>> requires =
        descriptor().requires().stream()
            .collect(Collectors.toMap(Requires::name, Requires::modifiers));
    assertThat(requires.keySet())
        .containsExactlyInAnyOrder("java.base", "org.slf4j", "org.jspecify");
    assertThat(requires.get("org.slf4j")).isEmpty();
    // The annotations are part of the API's signatures: transitive, and never static (a static
    // requirement makes a consumer's compilation fail when the jar is not on its module path).
    assertThat(requires.get("org.jspecify")).containsExactly(Requires.Modifier.TRANSITIVE);
  }
}
