package dev.ballast.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class ChoiceTest {
  @Test
  void theSameSetterAgainReplacesItsValue() {
    Choice choice = new Choice("time source was already set to");
    choice.make("ticker", "ticker(a)");
    assertThatCode(() -> choice.make("ticker", "ticker(b)")).doesNotThrowAnyException();
  }

  @Test
  void anotherSetterIsRefusedNamingTheLatestCallAndTheNewOne() {
    Choice choice = new Choice("time source was already set to");
    choice.make("ticker", "ticker(a)");
    choice.make("ticker", "ticker(b)");
    assertThatThrownBy(() -> choice.make("scheduler", "scheduler(s)"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("time source was already set to ticker(b); scheduler(s) would replace it");
  }

  @Test
  void aRefusedCallLeavesTheChoiceAsItWas() {
    Choice choice = new Choice("the limit was already set by");
    choice.make("maxConcurrentCalls", "maxConcurrentCalls(10)");
    assertThatThrownBy(() -> choice.make("adaptiveLimit", "adaptiveLimit(x)"))
        .isInstanceOf(IllegalStateException.class);
    assertThatCode(() -> choice.make("maxConcurrentCalls", "maxConcurrentCalls(5)"))
        .doesNotThrowAnyException();
  }

  @Test
  void settersAreToldApartByEquals() {
    Choice choice = new Choice("trip rule was already set to");
    choice.make(Integer.valueOf(1), "countWindow(100)");
    assertThatCode(() -> choice.make(Integer.valueOf(1), "countWindow(50)"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> choice.make(Integer.valueOf(2), "timeWindow(PT10S)"))
        .hasMessage(
            "trip rule was already set to countWindow(50); timeWindow(PT10S) would replace it");
  }
}
