package dev.ballast.governor;

import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;
import static dev.ballast.internal.Preconditions.positive;

import dev.ballast.Ticker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link Governor}: the rate of each named action kind ({@link #actions()},
 * default {@code scale-up} 20 per minute and {@code scale-down} 2 per 10 minutes), the normal
 * operating band of the state the actions change ({@link #bandMin()}..{@link #bandMax()}, default
 * unbounded: no resistance), how steeply each action costs more outside it ({@link #resistance()},
 * default 4), from what distance a person must confirm ({@link #confirmBeyond()}, default 0.5 band
 * widths) and from what distance an action is refused outright ({@link #refuseBeyond()}, default 1
 * band width), how far an observer's report may differ from what the engine expects before every
 * action needs a confirmation ({@link #divergenceLimit()}, default 0.2) and the ticker. Immutable
 * and thread-safe.
 *
 * <pre>{@code
 * GovernorConfig config =
 *     GovernorConfig.builder()
 *         .action("scale-up", 20, Duration.ofMinutes(1))
 *         .action("scale-down", 2, Duration.ofMinutes(10))
 *         .band(10, 100)
 *         .build();
 * }</pre>
 */
public final class GovernorConfig {

  /**
   * The rate of one action kind: at most {@code permits} actions in any {@code period}, spread
   * evenly once the burst is spent.
   *
   * @param permits actions per period, {@code >= 1}
   * @param period the span, {@code > 0}
   */
  public record Rate(int permits, Duration period) {
    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException when {@code permits < 1} or {@code period <= 0}
     */
    public Rate {
      positive("permits", permits);
      positive("period", notNull("period", period));
    }
  }

  private static final GovernorConfig DEFAULTS = new Builder().build();

  private final Map<String, Rate> actions;
  private final double bandMin;
  private final double bandMax;
  private final double resistance;
  private final double confirmBeyond;
  private final double refuseBeyond;
  private final double divergenceLimit;
  private final Ticker ticker;

  private GovernorConfig(Builder b) {
    this.actions = Map.copyOf(b.actions);
    this.bandMin = b.bandMin;
    this.bandMax = b.bandMax;
    this.resistance = b.resistance;
    this.confirmBeyond = b.confirmBeyond;
    this.refuseBeyond = b.refuseBeyond;
    this.divergenceLimit = b.divergenceLimit;
    this.ticker = b.ticker;
  }

  /**
   * The default settings: {@code scale-up} 20 per minute, {@code scale-down} 2 per 10 minutes, an
   * unbounded band, resistance 4, confirm beyond 0.5 and refuse beyond 1 band width, divergence
   * limit 0.2, the system ticker.
   *
   * @return the shared default config
   */
  public static GovernorConfig defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.actions.clear();
    b.actions.putAll(actions);
    b.bandMin = bandMin;
    b.bandMax = bandMax;
    b.resistance = resistance;
    b.confirmBeyond = confirmBeyond;
    b.refuseBeyond = refuseBeyond;
    b.divergenceLimit = divergenceLimit;
    b.ticker = ticker;
    return b;
  }

  /**
   * The rate of each action kind the governor knows; any other kind is refused with an exception.
   *
   * @return an unmodifiable map from kind to rate
   */
  public Map<String, Rate> actions() {
    return actions;
  }

  /**
   * The low end of the normal operating band.
   *
   * @return the minimum, {@link Double#NEGATIVE_INFINITY} when unbounded below
   */
  public double bandMin() {
    return bandMin;
  }

  /**
   * The high end of the normal operating band.
   *
   * @return the maximum, {@link Double#POSITIVE_INFINITY} when unbounded above
   */
  public double bandMax() {
    return bandMax;
  }

  /**
   * How steeply an action costs more outside the band: an action whose resulting state is {@code d}
   * band widths outside costs {@code 1 + resistance * d} permits of its kind.
   *
   * @return the slope, {@code >= 0}
   */
  public double resistance() {
    return resistance;
  }

  /**
   * The distance outside the band, in band widths, past which a person must confirm.
   *
   * @return the distance, {@code >= 0}
   */
  public double confirmBeyond() {
    return confirmBeyond;
  }

  /**
   * The distance outside the band, in band widths, past which an action is refused whatever anyone
   * confirms.
   *
   * @return the distance, {@code >= confirmBeyond()}
   */
  public double refuseBeyond() {
    return refuseBeyond;
  }

  /**
   * The largest share by which the observed state may differ from the expected one ({@code
   * |expected - observed| / |expected|}) before every action needs a confirmation.
   *
   * @return the share, {@code >= 0}
   */
  public double divergenceLimit() {
    return divergenceLimit;
  }

  /**
   * The time source.
   *
   * @return the ticker
   */
  public Ticker ticker() {
    return ticker;
  }

  /** Whether {@code o} is a config with the same settings. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof GovernorConfig c
        && actions.equals(c.actions)
        && Double.compare(bandMin, c.bandMin) == 0
        && Double.compare(bandMax, c.bandMax) == 0
        && Double.compare(resistance, c.resistance) == 0
        && Double.compare(confirmBeyond, c.confirmBeyond) == 0
        && Double.compare(refuseBeyond, c.refuseBeyond) == 0
        && Double.compare(divergenceLimit, c.divergenceLimit) == 0
        && ticker.equals(c.ticker);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        actions, bandMin, bandMax, resistance, confirmBeyond, refuseBeyond, divergenceLimit);
  }

  /**
   * @return the settings, such as {@code GovernorConfig{actions=..., band=[10.0, 100.0], ...}}
   */
  @Override
  public String toString() {
    return "GovernorConfig{actions="
        + new java.util.TreeMap<>(actions)
        + ", band=["
        + bandMin
        + ", "
        + bandMax
        + "], resistance="
        + resistance
        + ", confirmBeyond="
        + confirmBeyond
        + ", refuseBeyond="
        + refuseBeyond
        + ", divergenceLimit="
        + divergenceLimit
        + '}';
  }

  /**
   * Builds a {@link GovernorConfig}. Every setter validates its value, naming the option and the
   * value; a setter called again replaces the value it set ({@link #action} replaces the rate of
   * that kind only). No two setters conflict. Not thread-safe.
   */
  public static final class Builder {
    private final Map<String, Rate> actions = new LinkedHashMap<>();
    private double bandMin = Double.NEGATIVE_INFINITY;
    private double bandMax = Double.POSITIVE_INFINITY;
    private double resistance = 4;
    private double confirmBeyond = 0.5;
    private double refuseBeyond = 1;
    private double divergenceLimit = 0.2;
    private Ticker ticker = Ticker.system();

    private Builder() {
      actions.put("scale-up", new Rate(20, Duration.ofMinutes(1)));
      actions.put("scale-down", new Rate(2, Duration.ofMinutes(10)));
    }

    /**
     * Sets the rate of an action kind, adding the kind or replacing its rate.
     *
     * @param kind the action kind, not blank
     * @param permits actions per period, {@code >= 1}
     * @param period the span, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException when {@code kind} is blank, {@code permits < 1} or {@code
     *     period <= 0}
     */
    public Builder action(String kind, int permits, Duration period) {
      if (permits < 1) {
        throw new IllegalArgumentException(
            "permits of action '" + kind + "' must be >= 1, was " + permits);
      }
      actions.put(notBlank("kind", kind), new Rate(permits, period));
      return this;
    }

    /**
     * Forgets an action kind (the defaults know {@code scale-up} and {@code scale-down}).
     *
     * @param kind the action kind
     * @return this builder
     * @throws IllegalArgumentException when the builder does not know {@code kind}
     */
    public Builder withoutAction(String kind) {
      if (actions.remove(notNull("kind", kind)) == null) {
        throw new IllegalArgumentException(
            "kind must be a known action, was '" + kind + "'; known: " + actions.keySet());
      }
      return this;
    }

    /**
     * The normal operating band of the state the actions change (a fleet's size, say).
     *
     * @param min the low end, finite or {@link Double#NEGATIVE_INFINITY}
     * @param max the high end, {@code >= min}, finite or {@link Double#POSITIVE_INFINITY}
     * @return this builder
     * @throws IllegalArgumentException when {@code min > max} or either is NaN
     */
    public Builder band(double min, double max) {
      if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
        throw new IllegalArgumentException(
            "band must have min <= max, was [" + min + ", " + max + "]");
      }
      this.bandMin = min;
      this.bandMax = max;
      return this;
    }

    /**
     * How steeply an action costs more outside the band, per band width.
     *
     * @param slope default 4; {@code >= 0} (0: the band only decides confirmation and refusal)
     * @return this builder
     * @throws IllegalArgumentException when negative or not finite
     */
    public Builder resistance(double slope) {
      this.resistance = nonNegative("resistance", slope);
      return this;
    }

    /**
     * The distance outside the band, in band widths, past which a person must confirm.
     *
     * @param widths default 0.5; {@code >= 0} and at most {@code refuseBeyond} at build
     * @return this builder
     * @throws IllegalArgumentException when negative or not finite
     */
    public Builder confirmBeyond(double widths) {
      this.confirmBeyond = nonNegative("confirmBeyond", widths);
      return this;
    }

    /**
     * The distance outside the band, in band widths, past which an action is refused.
     *
     * @param widths default 1; {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException when negative or not finite
     */
    public Builder refuseBeyond(double widths) {
      this.refuseBeyond = nonNegative("refuseBeyond", widths);
      return this;
    }

    /**
     * The largest share by which an observation may differ from what the engine expects.
     *
     * @param share default 0.2; {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException when negative or not finite
     */
    public Builder divergenceLimit(double share) {
      this.divergenceLimit = nonNegative("divergenceLimit", share);
      return this;
    }

    /**
     * The time source.
     *
     * @param ticker default {@link Ticker#system()}
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = notNull("ticker", ticker);
      return this;
    }

    private static double nonNegative(String name, double value) {
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException(name + " must be finite and >= 0, was " + value);
      }
      return value;
    }

    /**
     * Builds the config, checking the settings against each other.
     *
     * @return an immutable config
     * @throws IllegalArgumentException when no action kind is left, or {@code confirmBeyond >
     *     refuseBeyond}
     */
    public GovernorConfig build() {
      if (actions.isEmpty()) {
        throw new IllegalArgumentException("actions must name at least one kind, was none");
      }
      if (confirmBeyond > refuseBeyond) {
        throw new IllegalArgumentException(
            "confirmBeyond must be <= refuseBeyond (" + refuseBeyond + "), was " + confirmBeyond);
      }
      return new GovernorConfig(this);
    }
  }
}
