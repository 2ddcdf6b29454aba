package dev.ballast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.testlog.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

final class ReconfigurerTest {
  private static final String LOGGER = "dev.ballast.internal.ReconfigurerTest";

  /** A config as the patterns write them: public accessors, one package-private. */
  public static final class Sample {
    private final double threshold;
    private final Duration pause;
    private final String clock;
    private final String hidden;

    Sample(double threshold, Duration pause, String clock, String hidden) {
      this.threshold = threshold;
      this.pause = pause;
      this.clock = clock;
      this.hidden = hidden;
    }

    public double threshold() {
      return threshold;
    }

    public Duration pause() {
      return pause;
    }

    public String clock() {
      return clock;
    }

    String hidden() {
      return hidden;
    }

    public static Sample defaults() {
      return new Sample(0.5, Duration.ofSeconds(30), "system", "h");
    }
  }

  private final AtomicReference<Sample> current = new AtomicReference<>(Sample.defaults());
  private final Reconfigurer reconfigurer =
      new Reconfigurer("sample", "inventory", LoggerFactory.getLogger(LOGGER), "clock");

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  @Test
  void theDiffNamesTheChangedPublicSettingsInNameOrder() {
    Sample next = new Sample(0.3, Duration.ofSeconds(10), "system", "other");
    assertThat(Reconfigurer.diff(Sample.defaults(), next))
        .extracting(Reconfigurer.Change::toString)
        .containsExactly("pause=PT30S->PT10S", "threshold=0.5->0.3");
  }

  @Test
  void applyingLogsOneInfoLineOfTheChangesAndRunsTheChange() {
    Sample next = new Sample(0.3, Duration.ofSeconds(10), "system", "h");
    List<Reconfigurer.Change> changes = reconfigurer.apply(current::get, next, current::set);
    assertThat(changes).hasSize(2);
    assertThat(current.get()).isSameAs(next);
    assertThat(LogCapture.lines(LOGGER))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.INFO);
              assertThat(l.message())
                  .isEqualTo("name=inventory reconfigured pause=PT30S->PT10S threshold=0.5->0.3");
            });
  }

  @Test
  void anEqualConfigIsAppliedWithoutALogLine() {
    Sample next = Sample.defaults();
    assertThat(reconfigurer.apply(current::get, next, current::set)).isEmpty();
    assertThat(current.get()).isSameAs(next);
    assertThat(LogCapture.lines(LOGGER)).isEmpty();
  }

  @Test
  void aFixedSettingIsRefusedNamingItAndBothValuesBeforeAnythingChanges() {
    Sample before = current.get();
    Sample next = new Sample(0.3, Duration.ofSeconds(30), "manual", "h");
    assertThatThrownBy(() -> reconfigurer.apply(current::get, next, current::set))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "sample 'inventory': clock cannot change at run time (was system, given manual);"
                + " nothing was changed");
    assertThat(current.get()).isSameAs(before);
    assertThat(LogCapture.lines(LOGGER)).isEmpty();
  }

  @Test
  void aChangeThatRefusesLogsNothing() {
    Sample before = Sample.defaults();
    Sample next = new Sample(0.3, Duration.ofSeconds(30), "system", "other");
    assertThatThrownBy(
            () ->
                reconfigurer.apply(
                    current::get,
                    next,
                    n -> reconfigurer.fixed("hidden", before.hidden(), n.hidden())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hidden cannot change at run time (was h, given other)");
    assertThat(LogCapture.lines(LOGGER)).isEmpty();
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void aNullConfigIsRefusedNamingTheParameter() {
    assertThatThrownBy(() -> reconfigurer.apply(current::get, null, current::set))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("config must not be null");
  }

  @Test
  void configsOfTwoClassesAreRefused() {
    assertThatThrownBy(() -> Reconfigurer.diff(Sample.defaults(), "text"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("config must be a");
  }
}
