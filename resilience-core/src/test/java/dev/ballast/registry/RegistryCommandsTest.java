package dev.ballast.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.testlog.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

final class RegistryCommandsTest {

  private static List<String> warnings(String registry) {
    return LogCapture.lines(RegistryCommands.class.getName()).stream()
        .filter(
            l -> l.level() == Level.WARN && l.message().startsWith("registry=" + registry + " "))
        .map(LogCapture.Line::message)
        .toList();
  }

  @Test
  void forceOpenDisableAndResetABreakerByNameEachLoggedAtWarn() {
    try (BallastRegistry registry = BallastRegistry.builder().name("cmd-breaker").build()) {
      CircuitBreaker breaker = registry.circuitBreaker("inventory");
      RegistryCommands commands = registry.commands();

      commands.forceOpen("inventory");
      assertThat(breaker.state()).isEqualTo(CircuitBreakerState.FORCED_OPEN);
      commands.disable("inventory");
      assertThat(breaker.state()).isEqualTo(CircuitBreakerState.DISABLED);
      commands.reset("inventory");
      assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);

      assertThat(warnings("cmd-breaker"))
          .containsExactly(
              "registry=cmd-breaker pattern=circuitbreaker name=inventory command=forceOpen"
                  + " from=CLOSED to=FORCED_OPEN",
              "registry=cmd-breaker pattern=circuitbreaker name=inventory command=disable"
                  + " from=FORCED_OPEN to=DISABLED",
              "registry=cmd-breaker pattern=circuitbreaker name=inventory command=reset"
                  + " from=DISABLED to=CLOSED");
    }
  }

  @Test
  void resizesRetimesPausesChangesLimitsAndCapacitiesByName() {
    try (BallastRegistry registry = BallastRegistry.builder().name("cmd-all").build()) {
      var bulkhead = registry.bulkhead("db");
      var timeout = registry.timeout("slow");
      var governor = registry.governor("scaler");
      var limiter = registry.rateLimiter("api");
      var queue = registry.queue("jobs", String.class);
      int limit = limiter.limit();
      int capacity = queue.stats().capacity();
      int calls = bulkhead.stats().maxConcurrentCalls();
      Duration duration = timeout.duration();
      RegistryCommands commands = registry.commands();

      commands.changeMaxConcurrentCalls("db", 3);
      commands.changeDuration("slow", Duration.ofMillis(250));
      commands.pause("scaler", "incident 42");
      assertThat(governor.stats().paused()).isTrue();
      commands.resume("scaler");
      commands.changeLimit("api", 7);
      commands.setCapacity("jobs", 5);

      assertThat(bulkhead.stats().maxConcurrentCalls()).isEqualTo(3);
      assertThat(timeout.duration()).isEqualTo(Duration.ofMillis(250));
      assertThat(governor.stats().paused()).isFalse();
      assertThat(limiter.limit()).isEqualTo(7);
      assertThat(queue.remainingCapacity()).isEqualTo(5);
      assertThat(warnings("cmd-all"))
          .containsExactly(
              "registry=cmd-all pattern=bulkhead name=db command=changeMaxConcurrentCalls from="
                  + calls
                  + " to=3",
              "registry=cmd-all pattern=timeout name=slow command=changeDuration from="
                  + duration
                  + " to=PT0.25S",
              "registry=cmd-all pattern=governor name=scaler command=pause from=running"
                  + " to=paused (incident 42)",
              "registry=cmd-all pattern=governor name=scaler command=resume from=paused to=running",
              "registry=cmd-all pattern=ratelimiter name=api command=changeLimit from="
                  + limit
                  + " to=7",
              "registry=cmd-all pattern=queue name=jobs command=setCapacity from="
                  + capacity
                  + " to=5");
    }
  }

  @Test
  void anUnknownNameIsRefusedNamingThePatternTheNameAndTheClosestName() {
    try (BallastRegistry registry = BallastRegistry.builder().name("cmd-unknown").build()) {
      registry.circuitBreaker("inventory");
      registry.circuitBreaker("payments");

      assertThatIllegalArgumentException()
          .isThrownBy(() -> registry.commands().forceOpen("inventroy"))
          .withMessage(
              "registry 'cmd-unknown' holds no circuitbreaker named 'inventroy'; the closest is"
                  + " 'inventory'");
      assertThatIllegalArgumentException()
          .isThrownBy(() -> registry.commands().changeMaxConcurrentCalls("inventory", 3))
          .withMessage(
              "registry 'cmd-unknown' holds no bulkhead named 'inventory' (it holds no bulkhead)");
      assertThat(registry.find(ComponentType.BULKHEAD, "inventory"))
          .as("a command creates nothing")
          .isEmpty();
      assertThat(warnings("cmd-unknown")).isEmpty();
    }
  }

  @Test
  void aBadValueIsRefusedByTheComponentAndNothingIsLogged() {
    try (BallastRegistry registry =
        BallastRegistry.builder()
            .name("cmd-bad")
            .properties(Map.of("ballast.queue.configs.default.capacity", "4"))
            .build()) {
      registry.queue("jobs", String.class);
      assertThatIllegalArgumentException()
          .isThrownBy(() -> registry.commands().setCapacity("jobs", 0))
          .withMessageContaining("capacity");
      assertThatIllegalArgumentException()
          .isThrownBy(() -> registry.commands().pause("jobs", " "))
          .withMessageContaining("reason");
      assertThat(warnings("cmd-bad")).isEmpty();
      assertThat(registry.commands()).hasToString("RegistryCommands[cmd-bad]");
    }
  }
}
