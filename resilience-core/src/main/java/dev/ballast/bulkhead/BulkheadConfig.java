package dev.ballast.bulkhead;

import static dev.ballast.internal.Preconditions.atMost;
import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;
import static dev.ballast.internal.Preconditions.positive;

import dev.ballast.Ticker;
import dev.ballast.internal.Choice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link Bulkhead}: how many calls may run at once ({@link
 * #maxConcurrentCalls()}, default 25), how long a caller may wait for a permit ({@link #maxWait()},
 * default zero: refuse at once) and how many callers may wait at once ({@link #maxWaiters()},
 * default equal to {@code maxConcurrentCalls}), and the reserved {@link #partitions()} (default
 * none). With an {@link #adaptiveLimit()} the limit follows the measured latency instead of staying
 * at {@code maxConcurrentCalls}. Immutable and thread-safe.
 *
 * <pre>{@code
 * BulkheadConfig config =
 *     BulkheadConfig.builder()
 *         .maxConcurrentCalls(10)
 *         .maxWait(Duration.ofMillis(50))
 *         .maxWaiters(20)
 *         .partition("admin", 2)
 *         .build();
 * }</pre>
 */
public final class BulkheadConfig {
  /** The largest limit a bulkhead accepts: beyond it a bulkhead is no limit at all. */
  public static final int MAX_CONCURRENT_CALLS = 1 << 16;

  static final Duration MAX_WAIT = Duration.ofDays(365);
  private static final int DEFAULT_MAX_CONCURRENT_CALLS = 25;
  private static final BulkheadConfig DEFAULTS = new Builder().build();

  private final int maxConcurrentCalls;
  private final Duration maxWait;
  private final int maxWaiters;
  private final boolean waitersSet;
  private final List<Partition> partitions;
  private final @Nullable AdaptiveLimit adaptiveLimit;
  private final Ticker ticker;

  private BulkheadConfig(Builder b) {
    AdaptiveLimit adaptive = b.adaptiveLimit;
    this.adaptiveLimit = adaptive;
    this.ticker = b.ticker;
    this.maxConcurrentCalls = adaptive == null ? b.maxConcurrentCalls : adaptive.initialLimit();
    this.maxWait = b.maxWait;
    this.waitersSet = b.maxWaiters >= 0;
    this.maxWaiters = waitersSet ? b.maxWaiters : maxConcurrentCalls;
    this.partitions = List.copyOf(b.partitions);
    int sum = reservedPermits(partitions);
    int lowest = adaptive == null ? maxConcurrentCalls : adaptive.minLimit();
    if (sum >= lowest) {
      throw new IllegalArgumentException(
          "partitions reserve "
              + sum
              + " permits in all, which must be < "
              + (adaptive == null ? "maxConcurrentCalls " : "the adaptive limit's minLimit ")
              + lowest
              + " (calls without a partition need at least one)");
    }
  }

  /**
   * A reserved partition: a named class of calls (admin traffic, health checks) with {@code
   * reserved} permits that no other call can take. Immutable and thread-safe.
   *
   * @param name the partition's name, not blank, unique in its bulkhead
   * @param reserved the permits reserved for it, {@code >= 1}
   * @param borrowing whether it may also take the bulkhead's unreserved permits when its own are
   *     all in use
   */
  public record Partition(String name, int reserved, boolean borrowing) {
    /**
     * Checks the values.
     *
     * @throws NullPointerException when {@code name} is null
     * @throws IllegalArgumentException when {@code name} is blank or {@code reserved < 1}
     */
    public Partition {
      notBlank("partition name", name);
      if (reserved < 1) {
        throw new IllegalArgumentException(
            "reserved permits of partition '" + name + "' must be >= 1, was " + reserved);
      }
    }
  }

  static int reservedPermits(List<Partition> partitions) {
    int sum = 0;
    for (Partition p : partitions) {
      sum += p.reserved();
    }
    return sum;
  }

  /**
   * The default settings: 25 concurrent calls, no wait (a call finding every permit in use is
   * refused at once), room for 25 waiters should a wait be configured.
   *
   * @return the shared default config
   */
  public static BulkheadConfig defaults() {
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
   * A builder starting from these settings. A {@code maxWaiters} left at its default keeps
   * following {@code maxConcurrentCalls}.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxConcurrentCalls = maxConcurrentCalls;
    b.maxWait = maxWait;
    b.maxWaiters = waitersSet ? maxWaiters : -1;
    b.partitions.addAll(partitions);
    b.adaptiveLimit = adaptiveLimit;
    b.ticker = ticker;
    return b;
  }

  /**
   * How many calls may be in flight at once (the bulkhead's initial limit); with an {@link
   * #adaptiveLimit()}, its {@linkplain AdaptiveLimit#initialLimit() initial limit}.
   *
   * @return the limit, in {@code [1, MAX_CONCURRENT_CALLS]}
   */
  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  /**
   * How long a caller may wait for a permit when every one is in use; zero refuses at once.
   *
   * @return the wait, {@code >= 0}
   */
  public Duration maxWait() {
    return maxWait;
  }

  /**
   * How many callers may wait for a permit at once; a caller finding the waiting room full is
   * refused at once. Only used when {@link #maxWait()} is above zero.
   *
   * @return the number of waiters, {@code >= 0}
   */
  public int maxWaiters() {
    return maxWaiters;
  }

  /**
   * The reserved partitions, in the order they were added; empty by default.
   *
   * @return the partitions, unmodifiable
   */
  public List<Partition> partitions() {
    return partitions;
  }

  /**
   * The adaptive limit, when the limit follows latency; see {@link AdaptiveLimit}.
   *
   * @return the adaptive limit, or {@code null} for a fixed limit
   */
  public @Nullable AdaptiveLimit adaptiveLimit() {
    return adaptiveLimit;
  }

  /**
   * The time source an adaptive limit measures latency with, and on which a waiter's {@link
   * #maxWait()} runs out (a waiter parks, and its wait ends once this ticker has passed it).
   *
   * @return the ticker, by default {@link Ticker#system()}
   */
  public Ticker ticker() {
    return ticker;
  }

  /** Whether {@code o} is a config with the same settings. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof BulkheadConfig c
        && maxConcurrentCalls == c.maxConcurrentCalls
        && maxWait.equals(c.maxWait)
        && maxWaiters == c.maxWaiters
        && waitersSet == c.waitersSet
        && partitions.equals(c.partitions)
        && Objects.equals(adaptiveLimit, c.adaptiveLimit)
        && ticker.equals(c.ticker);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        maxConcurrentCalls, maxWait, maxWaiters, waitersSet, partitions, adaptiveLimit);
  }

  /**
   * @return the settings, such as {@code BulkheadConfig{maxConcurrentCalls=25, maxWait=PT0S,
   *     maxWaiters=25}}
   */
  @Override
  public String toString() {
    return "BulkheadConfig{maxConcurrentCalls="
        + maxConcurrentCalls
        + ", maxWait="
        + maxWait
        + ", maxWaiters="
        + maxWaiters
        + (partitions.isEmpty() ? "" : ", partitions=" + partitions)
        + (adaptiveLimit == null ? "" : ", adaptiveLimit=" + adaptiveLimit)
        + '}';
  }

  /**
   * Builds a {@link BulkheadConfig}. Every setter validates its value, naming the option and the
   * value; a setter called again replaces the value it set, except {@link #partition(String, int,
   * boolean)}, which adds a partition and refuses a name already added. {@link #maxConcurrentCalls}
   * and {@link #adaptiveLimit} both choose the limit and are refused together on one builder, with
   * an {@link IllegalStateException} naming the first; a builder from {@link #toBuilder()} holds
   * the config's choice without having made it, so it may switch to the other. Not thread-safe.
   */
  public static final class Builder {
    private int maxConcurrentCalls = DEFAULT_MAX_CONCURRENT_CALLS;
    private Duration maxWait = Duration.ZERO;
    private int maxWaiters = -1;
    private final List<Partition> partitions = new ArrayList<>();
    private @Nullable AdaptiveLimit adaptiveLimit;
    private Ticker ticker = Ticker.system();
    private final Choice limitChoice = new Choice("the limit was already set by");

    private Builder() {}

    /**
     * How many calls may be in flight at once; default 25.
     *
     * @param maxConcurrentCalls the limit, in {@code [1, MAX_CONCURRENT_CALLS]}
     * @return this builder
     * @throws IllegalArgumentException when out of range
     * @throws IllegalStateException when {@link #adaptiveLimit} was set on this builder
     */
    public Builder maxConcurrentCalls(int maxConcurrentCalls) {
      checkMaxConcurrentCalls(maxConcurrentCalls);
      limitChoice.make("maxConcurrentCalls", "maxConcurrentCalls(" + maxConcurrentCalls + ")");
      this.maxConcurrentCalls = maxConcurrentCalls;
      this.adaptiveLimit = null;
      return this;
    }

    /**
     * Makes the limit follow the measured latency, starting at the adaptive limit's initial limit;
     * default none (a fixed limit). The limit now shows in {@link
     * BulkheadStats#maxConcurrentCalls()} and each change in {@link
     * BulkheadListener#onLimitChanged}.
     *
     * @param adaptiveLimit the algorithm and its settings
     * @return this builder
     * @throws NullPointerException when {@code adaptiveLimit} is null
     * @throws IllegalStateException when {@link #maxConcurrentCalls} was set on this builder
     */
    public Builder adaptiveLimit(AdaptiveLimit adaptiveLimit) {
      notNull("adaptiveLimit", adaptiveLimit);
      limitChoice.make("adaptiveLimit", "adaptiveLimit(" + adaptiveLimit + ")");
      this.adaptiveLimit = adaptiveLimit;
      return this;
    }

    /**
     * The time source an adaptive limit measures latency with, and on which a waiter's {@code
     * maxWait} runs out; default {@link Ticker#system()}.
     *
     * @param ticker the ticker
     * @return this builder
     * @throws NullPointerException when {@code ticker} is null
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = notNull("ticker", ticker);
      return this;
    }

    /**
     * How long a caller may wait for a permit; default zero (refuse at once). Waiters are admitted
     * first come, first served.
     *
     * @param maxWait the wait, in {@code [0, 365 days]}
     * @return this builder
     * @throws NullPointerException when {@code maxWait} is null
     * @throws IllegalArgumentException when negative or over 365 days
     */
    public Builder maxWait(Duration maxWait) {
      notNull("maxWait", maxWait);
      if (maxWait.isNegative()) {
        throw new IllegalArgumentException("maxWait must be >= 0, was " + maxWait);
      }
      this.maxWait = atMost("maxWait", maxWait, MAX_WAIT);
      return this;
    }

    /**
     * How many callers may wait at once; default equal to {@code maxConcurrentCalls}.
     *
     * @param maxWaiters the number, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder maxWaiters(int maxWaiters) {
      if (maxWaiters < 0) {
        throw new IllegalArgumentException("maxWaiters must be >= 0, was " + maxWaiters);
      }
      this.maxWaiters = maxWaiters;
      return this;
    }

    /**
     * Adds a reserved partition that does not borrow: its calls use only its own {@code reserved}
     * permits. Same as {@code partition(name, reserved, false)}.
     *
     * @param name the partition's name, not blank, not already added
     * @param reserved the permits reserved for it, {@code >= 1}
     * @return this builder
     * @throws NullPointerException when {@code name} is null
     * @throws IllegalArgumentException when a value is bad or the name was already added
     */
    public Builder partition(String name, int reserved) {
      return partition(name, reserved, false);
    }

    /**
     * Adds a reserved partition: a named class of calls, reached by {@link
     * Bulkhead#partition(String)}, with {@code reserved} permits that no other call can take. Calls
     * without a partition use only the permits no partition reserves; a partition's calls use its
     * own permits first and, when {@code borrowing}, the unreserved ones when its own are all in
     * use. The reservations together must stay below {@code maxConcurrentCalls} (checked by {@link
     * #build()}).
     *
     * @param name the partition's name, not blank, not already added
     * @param reserved the permits reserved for it, {@code >= 1}
     * @param borrowing whether its calls may take unreserved permits when its own are in use
     * @return this builder
     * @throws NullPointerException when {@code name} is null
     * @throws IllegalArgumentException when a value is bad or the name was already added
     */
    public Builder partition(String name, int reserved, boolean borrowing) {
      Partition p = new Partition(name, reserved, borrowing);
      for (Partition q : partitions) {
        if (q.name().equals(name)) {
          throw new IllegalArgumentException("partition name '" + name + "' was already added");
        }
      }
      partitions.add(p);
      return this;
    }

    /**
     * Builds the config.
     *
     * @return the config
     * @throws IllegalArgumentException when the partitions reserve {@code maxConcurrentCalls} or
     *     more permits in all
     */
    public BulkheadConfig build() {
      return new BulkheadConfig(this);
    }
  }

  static int checkMaxConcurrentCalls(int value) {
    return checkLimit("maxConcurrentCalls", value);
  }

  /** Checks a limit named {@code name} lies in {@code [1, MAX_CONCURRENT_CALLS]}. */
  static int checkLimit(String name, int value) {
    positive(name, value);
    if (value > MAX_CONCURRENT_CALLS) {
      throw new IllegalArgumentException(
          name + " must be <= " + MAX_CONCURRENT_CALLS + ", was " + value);
    }
    return value;
  }
}
