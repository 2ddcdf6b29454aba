package dev.ballast.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every public method of every pattern's config builder has a property key or is listed as
 * code-only with a reason, and every key names a real builder method: a new builder option without
 * a key fails here.
 */
final class KeyTableTest {

  private static Set<String> builderMethods(ComponentType<?, ?> type) {
    Set<String> names = new HashSet<>();
    for (Method m : type.builderType.getMethods()) {
      if (m.getDeclaringClass() == type.builderType
          && !Modifier.isStatic(m.getModifiers())
          && !m.getName().equals("build")) {
        names.add(m.getName());
      }
    }
    return names;
  }

  @Test
  void everyBuilderOptionOfEveryPatternHasAKeyOrIsListedAsCodeOnly() {
    List<String> missing = new ArrayList<>();
    for (ComponentType<?, ?> type : ComponentType.values()) {
      Set<String> keyed = new HashSet<>();
      KeyTable.options(type).forEach(o -> keyed.add(o.method()));
      for (String method : builderMethods(type)) {
        if (!keyed.contains(method) && !KeyTable.codeOnly(type).containsKey(method)) {
          missing.add(type.key() + ": " + type.builderType.getSimpleName() + "." + method);
        }
      }
    }
    assertThat(missing).as("builder options with neither a key nor a code-only entry").isEmpty();
  }

  @Test
  void everyKeyAndCodeOnlyEntryNamesARealBuilderMethodOnce() {
    for (ComponentType<?, ?> type : ComponentType.values()) {
      Set<String> methods = builderMethods(type);
      Set<String> seen = new HashSet<>();
      for (Option o : KeyTable.options(type)) {
        assertThat(methods).as(type + " " + o.key()).contains(o.method());
        assertThat(o.key()).isEqualTo(Option.kebab(o.method()));
        assertThat(o.builderType()).isEqualTo(type.builderType);
        assertThat(seen.add(o.method())).as("one key per method: " + o.method()).isTrue();
      }
      for (var e : KeyTable.codeOnly(type).entrySet()) {
        assertThat(methods).as(type + " code-only " + e.getKey()).contains(e.getKey());
        assertThat(seen)
            .as("keyed and code-only at once: " + e.getKey())
            .doesNotContain(e.getKey());
        assertThat(e.getValue()).isNotBlank();
      }
    }
  }

  @Test
  void keysAreTheKebabCaseOfTheirBuilderMethods() {
    assertThat(Option.kebab("failureRateThreshold")).isEqualTo("failure-rate-threshold");
    assertThat(Option.kebab("k")).isEqualTo("k");
    assertThat(KeyTable.find(ComponentType.BULKHEAD, "partition.checkout"))
        .isNotNull()
        .extracting(Option::shownKey)
        .isEqualTo("partition.<name>");
    assertThat(KeyTable.find(ComponentType.BULKHEAD, "partition")).isNull();
  }
}
