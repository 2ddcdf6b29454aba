package dev.ballast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class SuppressionTest {

  @Test
  void addsUpToEightDistinctExceptionsAndNoMore() {
    IllegalStateException target = new IllegalStateException("shared");
    for (int i = 0; i < 20; i++) {
      boolean added = Suppression.addCapped(target, new IllegalArgumentException("n" + i));
      assertThat(added).isEqualTo(i < Suppression.MAX);
    }
    assertThat(target.getSuppressed()).hasSize(8);
    assertThat(target.getSuppressed()[7]).hasMessage("n7");
  }

  @Test
  void neverAddsTheSameInstanceTwiceNorAnExceptionToItself() {
    IllegalStateException target = new IllegalStateException("shared");
    IllegalArgumentException once = new IllegalArgumentException("once");
    assertThat(Suppression.addCapped(target, once)).isTrue();
    assertThat(Suppression.addCapped(target, once)).isFalse();
    assertThat(Suppression.addCapped(target, target)).isFalse();
    assertThat(target.getSuppressed()).containsExactly(once);
  }

  @Test
  void neverGrowsAVirtualMachineError() {
    StackOverflowError error = new StackOverflowError();
    assertThat(Suppression.addCapped(error, new IllegalStateException())).isFalse();
    assertThat(error.getSuppressed()).isEmpty();
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void refusesNullsNamingTheParameter() {
    assertThatThrownBy(() -> Suppression.addCapped(null, new IllegalStateException()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("target must not be null");
    assertThatThrownBy(() -> Suppression.addCapped(new IllegalStateException(), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("suppressed must not be null");
  }
}
