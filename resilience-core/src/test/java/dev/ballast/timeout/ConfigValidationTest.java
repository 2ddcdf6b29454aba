package dev.ballast.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Scheduler;
import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

@SuppressWarnings("NullAway") // passes null on purpose
final class ConfigValidationTest {

  @Test
  void defaults() {
    TimeoutConfig c = TimeoutConfig.of(Duration.ofSeconds(2));
    assertThat(c.duration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.mode()).isEqualTo(Timeout.Mode.INTERRUPT);
    assertThat(c.scheduler()).isSameAs(Scheduler.shared());
    assertThat(c.executor()).isNull();
    assertThat(c.stackTraces()).isFalse();
    Timeout t = Timeout.of("d", Duration.ofMillis(5));
    assertThat(t.duration()).isEqualTo(Duration.ofMillis(5));
    assertThat(t.config().scheduler()).isSameAs(Scheduler.shared());
  }

  @Test
  void theDefaultsAreOneSecondInterruptingOnTheSharedScheduler() {
    TimeoutConfig d = TimeoutConfig.defaults();
    assertThat(d.duration()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.mode()).isEqualTo(Timeout.Mode.INTERRUPT);
    assertThat(d.scheduler()).isSameAs(Scheduler.shared());
    assertThat(d.executor()).isNull();
    assertThat(d.stackTraces()).isFalse();
    assertThat(TimeoutConfig.builder().build()).isEqualTo(d);
    assertThat(TimeoutConfig.of(Duration.ofSeconds(1))).isEqualTo(d).hasSameHashCodeAs(d);
    Timeout t = Timeout.ofDefaults("plain");
    assertThat(t.name()).isEqualTo("plain");
    assertThat(t.config()).isSameAs(d);
    assertThat(t.duration()).isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> Timeout.ofDefaults(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
  }

  @Test
  void toBuilderThenBuildEqualsTheOriginal() {
    Scheduler s = new TestScheduler(new TestTicker());
    Executor direct = Runnable::run;
    List<TimeoutConfig> configs =
        List.of(
            TimeoutConfig.defaults(),
            TimeoutConfig.of(Duration.ofMillis(250)),
            TimeoutConfig.builder(Duration.ofMillis(7))
                .scheduler(s)
                .mode(Timeout.Mode.ABANDON)
                .executor(direct)
                .stackTraces(true)
                .build());
    for (TimeoutConfig c : configs) {
      assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c).isNotSameAs(c);
      assertThat(c.toBuilder().build()).hasToString(c.toString());
    }
  }

  @Test
  void changingOneSettingThroughToBuilderChangesWhatTheSameChangeOnAFreshBuilderWould() {
    Scheduler s = new TestScheduler(new TestTicker());
    Executor direct = Runnable::run;
    List<UnaryOperator<TimeoutConfig.Builder>> changes =
        List.of(
            b -> b.duration(Duration.ofMillis(300)),
            b -> b.scheduler(s),
            b -> b.mode(Timeout.Mode.ABANDON),
            b -> b.mode(Timeout.Mode.ABANDON).executor(direct),
            b -> b.stackTraces(true));
    for (UnaryOperator<TimeoutConfig.Builder> change : changes) {
      assertThat(change.apply(TimeoutConfig.defaults().toBuilder()).build())
          .isEqualTo(change.apply(TimeoutConfig.builder()).build());
      TimeoutConfig base = TimeoutConfig.builder(Duration.ofSeconds(3)).stackTraces(true).build();
      assertThat(change.apply(base.toBuilder()).build())
          .isEqualTo(
              change
                  .apply(TimeoutConfig.builder().duration(Duration.ofSeconds(3)).stackTraces(true))
                  .build());
    }
    TimeoutConfig abandoning =
        TimeoutConfig.builder().mode(Timeout.Mode.ABANDON).executor(direct).build();
    assertThat(abandoning.toBuilder().duration(Duration.ofSeconds(2)).build())
        .isNotEqualTo(abandoning)
        .satisfies(
            c -> {
              assertThat(c.executor()).isSameAs(direct);
              assertThat(c.mode()).isEqualTo(Timeout.Mode.ABANDON);
            });
    assertThatThrownBy(() -> abandoning.toBuilder().mode(Timeout.Mode.INTERRUPT).build())
        .as("as builder().mode(ABANDON).executor(e).mode(INTERRUPT).build() does")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("executor is used in ABANDON mode only, mode was INTERRUPT");
  }

  @Test
  void toBuilderCopiesEverySetting() {
    Executor direct = Runnable::run;
    Scheduler s = new TestScheduler(new TestTicker());
    TimeoutConfig c =
        TimeoutConfig.builder(Duration.ofMillis(7))
            .scheduler(s)
            .mode(Timeout.Mode.ABANDON)
            .executor(direct)
            .stackTraces(true)
            .build()
            .toBuilder()
            .build();
    assertThat(c.duration()).isEqualTo(Duration.ofMillis(7));
    assertThat(c.scheduler()).isSameAs(s);
    assertThat(c.mode()).isEqualTo(Timeout.Mode.ABANDON);
    assertThat(c.executor()).isSameAs(direct);
    assertThat(c.stackTraces()).isTrue();
  }

  @Test
  void rejectsBadDurationsNamingTheParameterAndTheValue() {
    assertThatThrownBy(() -> TimeoutConfig.of(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration must be > 0, was PT0S");
    assertThatThrownBy(() -> TimeoutConfig.builder(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration must be > 0, was PT-0.001S");
    assertThatThrownBy(() -> TimeoutConfig.of(Duration.ofDays(366)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration must be <= PT8760H, was PT8784H");
    assertThatThrownBy(() -> TimeoutConfig.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("duration must not be null");
    assertThatThrownBy(() -> Timeout.of("t", (Duration) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("duration must not be null");
  }

  @Test
  void rejectsBadSettings() {
    TimeoutConfig.Builder b = TimeoutConfig.builder(Duration.ofSeconds(1));
    assertThatThrownBy(() -> b.scheduler(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("scheduler must not be null");
    assertThatThrownBy(() -> b.mode(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("mode must not be null");
    assertThatThrownBy(() -> b.executor(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("executor must not be null");
    assertThatThrownBy(
            () -> TimeoutConfig.builder(Duration.ofSeconds(1)).executor(Runnable::run).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("executor is used in ABANDON mode only, mode was INTERRUPT");
  }

  @Test
  void rejectsBadNamesAndConfigs() {
    assertThatThrownBy(() -> Timeout.of(" ", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> Timeout.of(null, Duration.ofSeconds(1)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> Timeout.of("t", (TimeoutConfig) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("config must not be null");
  }

  @Test
  void validatesRunTimeChangesAndPerCallOverrides() {
    Timeout t = Timeout.of("t", Duration.ofSeconds(1));
    assertThatThrownBy(() -> t.changeDuration(Duration.ofSeconds(-2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration must be > 0, was PT-2S");
    assertThatThrownBy(() -> t.changeDuration(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("duration must not be null");
    assertThat(t.duration()).isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> t.call(Duration.ZERO, () -> "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration must be > 0, was PT0S");
    assertThatThrownBy(() -> t.callAsync(Duration.ofDays(400), () -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration must be <= PT8760H, was PT9600H");
    assertThatThrownBy(() -> t.call(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("callable must not be null");
    assertThatThrownBy(() -> t.callAsync(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("supplier must not be null");
    assertThat(t.stats().calls()).isZero();
  }
}
