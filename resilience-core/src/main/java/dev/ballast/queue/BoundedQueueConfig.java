package dev.ballast.queue;

import static dev.ballast.internal.Preconditions.atMost;
import static dev.ballast.internal.Preconditions.notNull;
import static dev.ballast.internal.Preconditions.positive;

import dev.ballast.Ticker;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link BoundedQueue}: its {@link #capacity()} (default 1024), its {@link
 * #overflow()} policy (default {@link Overflow#REJECT}), how long a producer waits under {@link
 * Overflow#BLOCK} ({@link #blockTimeout()}, default 1 s), the {@link #sojournTarget()} of {@link
 * Overflow#SOJOURN} (default 100 ms), how long without a take makes a full queue a {@link
 * BackPressure#FAILURE} ({@link #stallTime()}, default 10 s), whether to measure each element's
 * wait ({@link #measureWait()}, default off; always on under {@code SOJOURN}) and the ticker.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * BoundedQueueConfig config =
 *     BoundedQueueConfig.builder().capacity(10_000).overflow(Overflow.DROP_OLDEST).build();
 * }</pre>
 */
public final class BoundedQueueConfig {

  static final Duration MAX_DURATION = Duration.ofDays(1);
  private static final BoundedQueueConfig DEFAULTS = new Builder().build();

  private final int capacity;
  private final Overflow overflow;
  private final Duration blockTimeout;
  private final Duration sojournTarget;
  private final Duration stallTime;
  private final boolean measureWait;
  private final Ticker ticker;

  private BoundedQueueConfig(Builder b) {
    this.capacity = b.capacity;
    this.overflow = b.overflow;
    this.blockTimeout = b.blockTimeout;
    this.sojournTarget = b.sojournTarget;
    this.stallTime = b.stallTime;
    this.measureWait = b.measureWait;
    this.ticker = b.ticker;
  }

  /**
   * The default settings: capacity 1024, {@code REJECT}, block timeout 1 s, sojourn target 100 ms,
   * stall time 10 s, no wait measured, the system ticker.
   *
   * @return the shared default config
   */
  public static BoundedQueueConfig defaults() {
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
    b.capacity = capacity;
    b.overflow = overflow;
    b.blockTimeout = blockTimeout;
    b.sojournTarget = sojournTarget;
    b.stallTime = stallTime;
    b.measureWait = measureWait;
    b.ticker = ticker;
    return b;
  }

  /**
   * The most elements the queue holds at first; {@link BoundedQueue#setCapacity} changes it.
   *
   * @return the capacity, {@code >= 1}
   */
  public int capacity() {
    return capacity;
  }

  /**
   * What a full queue does with one more element.
   *
   * @return the policy
   */
  public Overflow overflow() {
    return overflow;
  }

  /**
   * How long a producer waits for room under {@link Overflow#BLOCK} before it is refused.
   *
   * @return the timeout, {@code > 0}
   */
  public Duration blockTimeout() {
    return blockTimeout;
  }

  /**
   * How long an element may wait under {@link Overflow#SOJOURN} before it is evicted.
   *
   * @return the target, {@code > 0}
   */
  public Duration sojournTarget() {
    return sojournTarget;
  }

  /**
   * How long a full queue must go without a take for its back pressure to be {@link
   * BackPressure#FAILURE} rather than {@link BackPressure#LOAD}.
   *
   * @return the stall time, {@code > 0}
   */
  public Duration stallTime() {
    return stallTime;
  }

  /**
   * Whether the queue records when each element arrived, for {@link BoundedQueueStats#waits()}; on
   * under {@link Overflow#SOJOURN} whatever this says. Off, no clock is read per element.
   *
   * @return whether waits are measured
   */
  public boolean measureWait() {
    return measureWait || overflow == Overflow.SOJOURN;
  }

  /**
   * The time source for waits, sojourn and stalls.
   *
   * @return the ticker
   */
  public Ticker ticker() {
    return ticker;
  }

  /** Whether {@code o} is a config with the same settings. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof BoundedQueueConfig c
        && capacity == c.capacity
        && overflow == c.overflow
        && blockTimeout.equals(c.blockTimeout)
        && sojournTarget.equals(c.sojournTarget)
        && stallTime.equals(c.stallTime)
        && measureWait == c.measureWait
        && ticker.equals(c.ticker);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        capacity, overflow, blockTimeout, sojournTarget, stallTime, measureWait, ticker);
  }

  /**
   * @return the settings, such as {@code BoundedQueueConfig{capacity=1024, overflow=REJECT,
   *     blockTimeout=PT1S, sojournTarget=PT0.1S, stallTime=PT10S, measureWait=false}}
   */
  @Override
  public String toString() {
    return "BoundedQueueConfig{capacity="
        + capacity
        + ", overflow="
        + overflow
        + ", blockTimeout="
        + blockTimeout
        + ", sojournTarget="
        + sojournTarget
        + ", stallTime="
        + stallTime
        + ", measureWait="
        + measureWait()
        + '}';
  }

  /**
   * Builds a {@link BoundedQueueConfig}. Every setter validates its value, naming the option and
   * the value; a setter called again replaces the value it set (no two setters choose between the
   * same things here). Not thread-safe.
   */
  public static final class Builder {
    private int capacity = 1024;
    private Overflow overflow = Overflow.REJECT;
    private Duration blockTimeout = Duration.ofSeconds(1);
    private Duration sojournTarget = Duration.ofMillis(100);
    private Duration stallTime = Duration.ofSeconds(10);
    private boolean measureWait;
    private Ticker ticker = Ticker.system();

    private Builder() {}

    /**
     * The most elements the queue holds.
     *
     * @param capacity default 1024; {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder capacity(int capacity) {
      this.capacity = positive("capacity", capacity);
      return this;
    }

    /**
     * What a full queue does with one more element.
     *
     * @param overflow default {@link Overflow#REJECT}
     * @return this builder
     * @throws NullPointerException when null
     */
    public Builder overflow(Overflow overflow) {
      this.overflow = notNull("overflow", overflow);
      return this;
    }

    /**
     * How long a producer waits under {@link Overflow#BLOCK}.
     *
     * @param timeout default 1 s; in {@code (0, 1 day]}
     * @return this builder
     * @throws IllegalArgumentException when zero, negative or over a day
     */
    public Builder blockTimeout(Duration timeout) {
      this.blockTimeout = atMost("blockTimeout", positive("blockTimeout", timeout), MAX_DURATION);
      return this;
    }

    /**
     * How long an element may wait under {@link Overflow#SOJOURN}.
     *
     * @param target default 100 ms; in {@code (0, 1 day]}
     * @return this builder
     * @throws IllegalArgumentException when zero, negative or over a day
     */
    public Builder sojournTarget(Duration target) {
      this.sojournTarget = atMost("sojournTarget", positive("sojournTarget", target), MAX_DURATION);
      return this;
    }

    /**
     * How long a full queue must go without a take to count as a stalled consumer.
     *
     * @param stallTime default 10 s; in {@code (0, 1 day]}
     * @return this builder
     * @throws IllegalArgumentException when zero, negative or over a day
     */
    public Builder stallTime(Duration stallTime) {
      this.stallTime = atMost("stallTime", positive("stallTime", stallTime), MAX_DURATION);
      return this;
    }

    /**
     * Whether to record each element's arrival, to measure how long it waited.
     *
     * @param measure default {@code false}; forced on by {@link Overflow#SOJOURN}
     * @return this builder
     */
    public Builder measureWait(boolean measure) {
      this.measureWait = measure;
      return this;
    }

    /**
     * The time source.
     *
     * @param ticker default {@link Ticker#system()}
     * @return this builder
     * @throws NullPointerException when null
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = notNull("ticker", ticker);
      return this;
    }

    /**
     * Builds the config.
     *
     * @return an immutable config
     */
    public BoundedQueueConfig build() {
      return new BoundedQueueConfig(this);
    }
  }
}
