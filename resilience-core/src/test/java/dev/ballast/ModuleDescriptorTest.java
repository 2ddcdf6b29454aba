package dev.ballast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
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
            "dev.ballast.circuitbreaker",
            "dev.ballast.faultcounter",
            "dev.ballast.fallback",
            "dev.ballast.timeout",
            "dev.ballast.retry");
    assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    assertThat(d.opens()).isEmpty();
    assertThat(Path.of("target", "classes", "dev", "ballast", "internal")).isDirectory();
    assertThat(exported).noneMatch(p -> p.contains("internal"));
  }

  @Test
  void requiresOnlySlf4jAtRunTime() throws Exception {
    Set<String> runtime =
        descriptor().requires().stream()
            .filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
            .map(ModuleDescriptor.Requires::name)
            .collect(Collectors.toSet());
    assertThat(runtime).containsExactlyInAnyOrder("java.base", "org.slf4j");
  }
}
