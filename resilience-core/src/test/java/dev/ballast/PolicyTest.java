package dev.ballast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The default methods of {@link Policy} run their work through the policy's own {@code call}. */
final class PolicyTest {
  private final List<String> log = new CopyOnWriteArrayList<>();

  @Test
  void runGetAndDecorateEachGoThroughCall() {
    Policy p = new NullCallableTest.CountingWrapper(log);
    p.run(() -> log.add("ran"));
    assertThat(log).containsExactly("call", "ran");
    log.clear();
    assertThat(p.get(() -> "got")).isEqualTo("got");
    assertThat(log).containsExactly("call");
    log.clear();
    Supplier<String> guarded = p.decorate(() -> "decorated");
    assertThat(log).isEmpty(); // nothing runs until the supplier is asked
    assertThat(guarded.get()).isEqualTo("decorated");
    assertThat(guarded.get()).isEqualTo("decorated");
    assertThat(log).containsExactly("call", "call");
  }
}
