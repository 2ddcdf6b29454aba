package dev.ballast.timeout;

import static dev.ballast.internal.Preconditions.atMost;
import static dev.ballast.internal.Preconditions.notNull;
import static dev.ballast.internal.Preconditions.positive;

import dev.ballast.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link Timeout}: the duration, the scheduler whose timer cuts calls short, the
 * {@linkplain Timeout.Mode mode} (interrupt the caller's thread, or abandon the work on an
 * executor) and whether exceptions fill in their stack trace. One config may serve many timeouts.
 *
 * <p>Defaults ({@link #defaults()}): a duration of 1 s (as Resilience4j's time limiter, so that a
 * timeout created without thought still frees a request thread quickly; set the duration from the
 * dependency's measured latency); {@link Timeout.Mode#INTERRUPT}; {@link Scheduler#shared()}; in
 * {@link Timeout.Mode#ABANDON} mode without an executor given, each timeout creates its own: a
 * virtual-thread-per-task executor when the running JDK has virtual threads (21 and later), else a
 * cached pool of daemon threads; either way the threads are named {@code ballast-timeout-<name>-N}
 * and stopped by {@link Timeout#close()}. No stack traces.
 *
 * <p>{@link #toBuilder()} starts a builder holding exactly this config's settings: {@code
 * x.toBuilder().build()} equals {@code x}, and changing one setting on it changes what the same
 * change on a fresh {@link #builder()} would. Two configs are {@linkplain #equals equal} when every
 * setting is (the scheduler and executor by identity).
 *
 * <p>Immutable and thread-safe.
 */
public final class TimeoutConfig {
  static final Duration MAX_DURATION = Duration.ofDays(365);
  private static final Duration DEFAULT_DURATION = Duration.ofSeconds(1);
  private static final TimeoutConfig DEFAULTS = new Builder().build();

  private final Duration duration;
  private final Scheduler scheduler;
  private final Timeout.Mode mode;
  private final @Nullable Executor executor;
  private final boolean stackTraces;

  private TimeoutConfig(Builder b) {
    this.duration = b.duration;
    this.scheduler = b.scheduler;
    this.mode = b.mode;
    this.executor = b.executor;
    this.stackTraces = b.stackTraces;
  }

  /**
   * The default settings: a duration of 1 s, interrupt mode, the shared scheduler, no stack traces.
   *
   * @return the shared default config
   */
  public static TimeoutConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a config from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The default settings with this duration.
   *
   * @param duration &gt; 0 and at most 365 days
   * @return a config
   */
  public static TimeoutConfig of(Duration duration) {
    return builder(duration).build();
  }

  /**
   * Starts a config from the defaults with this duration: short for {@code
   * builder().duration(duration)}.
   *
   * @param duration how long a call may take: &gt; 0 and at most 365 days
   * @return a new builder
   */
  public static Builder builder(Duration duration) {
    return new Builder().duration(duration);
  }

  /**
   * Starts a builder holding this config's settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.duration = duration;
    b.scheduler = scheduler;
    b.mode = mode;
    b.executor = executor;
    b.stackTraces = stackTraces;
    return b;
  }

  /**
   * @return how long a call may take, unless overridden per call or changed at run time
   */
  public Duration duration() {
    return duration;
  }

  /**
   * @return the scheduler whose timer cuts calls short, and whose ticker measures them
   */
  public Scheduler scheduler() {
    return scheduler;
  }

  /**
   * @return whether the caller's thread is interrupted or the work abandoned at the deadline
   */
  public Timeout.Mode mode() {
    return mode;
  }

  /**
   * @return the executor that runs calls in {@link Timeout.Mode#ABANDON} mode, or {@code null} for
   *     one created by each timeout
   */
  public @Nullable Executor executor() {
    return executor;
  }

  /**
   * @return whether the exceptions the timeout creates ({@link TimeoutExceededException}, {@link
   *     TimeoutRejectedException}) fill in their stack trace
   */
  public boolean stackTraces() {
    return stackTraces;
  }

  /**
   * Whether {@code o} is a config with the same settings: the same duration, mode and stack-trace
   * choice, and the same scheduler and executor instances.
   */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TimeoutConfig c
        && duration.equals(c.duration)
        && scheduler == c.scheduler
        && mode == c.mode
        && executor == c.executor
        && stackTraces == c.stackTraces;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        duration,
        System.identityHashCode(scheduler),
        mode,
        System.identityHashCode(executor),
        stackTraces);
  }

  /**
   * @return the settings, such as {@code TimeoutConfig{duration=PT1S, mode=INTERRUPT, ...}}
   */
  @Override
  public String toString() {
    return "TimeoutConfig{duration="
        + duration
        + ", mode="
        + mode
        + ", scheduler="
        + scheduler
        + ", executor="
        + (executor == null ? "per timeout" : executor)
        + ", stackTraces="
        + stackTraces
        + '}';
  }

  /**
   * Builds a {@link TimeoutConfig}. Every setter validates its value; a setter called again
   * replaces the value it set (no two setters select mutually exclusive things), and {@link
   * #build()} refuses an executor outside {@link Timeout.Mode#ABANDON} mode. Not thread-safe.
   */
  public static final class Builder {
    private Duration duration = DEFAULT_DURATION;
    private Scheduler scheduler = Scheduler.shared();
    private Timeout.Mode mode = Timeout.Mode.INTERRUPT;
    private @Nullable Executor executor;
    private boolean stackTraces;

    private Builder() {}

    /**
     * How long a call may take before its caller gets a {@link TimeoutExceededException}.
     *
     * @param duration &gt; 0 and at most 365 days; default 1 s
     * @return this builder
     */
    public Builder duration(Duration duration) {
      this.duration = checkDuration("duration", duration);
      return this;
    }

    /**
     * The scheduler whose timer cuts calls short; its ticker measures the calls.
     *
     * @param scheduler default {@link Scheduler#shared()}
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = notNull("scheduler", scheduler);
      return this;
    }

    /**
     * What happens at the deadline: interrupt the caller's thread, which runs the call, or run the
     * call on an executor and abandon it.
     *
     * @param mode default {@link Timeout.Mode#INTERRUPT}
     * @return this builder
     */
    public Builder mode(Timeout.Mode mode) {
      this.mode = notNull("mode", mode);
      return this;
    }

    /**
     * The executor that runs calls in {@link Timeout.Mode#ABANDON} mode. It must run each task on a
     * thread of its own, at once: a call queued behind abandoned work would time out without having
     * started. The timeout does not shut it down.
     *
     * @param executor default: one created by each timeout (see {@link TimeoutConfig})
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = notNull("executor", executor);
      return this;
    }

    /**
     * Whether the exceptions the timeout creates ({@link TimeoutExceededException}, {@link
     * TimeoutRejectedException}) fill in their stack trace (costly when a dependency is slow under
     * load).
     *
     * @param enabled default {@code false}
     * @return this builder
     */
    public Builder stackTraces(boolean enabled) {
      this.stackTraces = enabled;
      return this;
    }

    /**
     * Builds the config, checking the settings against each other.
     *
     * @return an immutable config
     */
    public TimeoutConfig build() {
      if (executor != null && mode != Timeout.Mode.ABANDON) {
        throw new IllegalArgumentException(
            "executor is used in ABANDON mode only, mode was " + mode);
      }
      return new TimeoutConfig(this);
    }
  }

  static Duration checkDuration(String name, Duration duration) {
    positive(name, duration);
    return atMost(name, duration, MAX_DURATION);
  }
}
