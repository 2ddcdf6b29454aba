package dev.ballast.internal;

import org.jspecify.annotations.Nullable;

/**
 * One setting of a builder that two or more setters choose between: a breaker's trip rule, a time
 * source ({@code ticker} or {@code scheduler}), a bulkhead's fixed or adaptive limit. It holds the
 * house rule for them (docs/composition.md, "Every pattern has one shape"): the same setter called
 * again replaces its value; a different setter after it is refused with an {@link
 * IllegalStateException} naming both calls, in the model of Caffeine's "maximumSize was already set
 * to 100". A builder from {@code toBuilder()} starts with a fresh choice: it holds the config's
 * setting without having made it, so any setter may change it. Not API.
 *
 * <p>Not thread-safe, like the builders that hold one.
 */
public final class Choice {
  private final String setting;
  private @Nullable Object madeBy;
  private @Nullable String call;

  /**
   * A choice not yet made.
   *
   * @param setting how the refusal names the setting, such as {@code "time source was already set
   *     to"}
   */
  public Choice(String setting) {
    this.setting = setting;
  }

  /**
   * Records that {@code setter} made the choice with {@code call}.
   *
   * @param setter what tells two setters apart (their name, or the value they choose); compared
   *     with {@code equals}
   * @param call the call as the refusal should quote it, such as {@code "ticker(TestTicker)"}
   * @throws IllegalStateException when another setter made the choice on this builder, naming both
   */
  public void make(Object setter, String call) {
    String earlier = this.call;
    if (earlier != null && !setter.equals(madeBy)) {
      throw new IllegalStateException(setting + " " + earlier + "; " + call + " would replace it");
    }
    this.madeBy = setter;
    this.call = call;
  }
}
