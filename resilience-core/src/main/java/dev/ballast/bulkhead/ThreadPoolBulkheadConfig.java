package dev.ballast.bulkhead;

import static dev.ballast.internal.Preconditions.atMost;
import static dev.ballast.internal.Preconditions.notNull;
import static dev.ballast.internal.Preconditions.positive;

import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link ThreadPoolBulkhead}: how many threads it may run ({@link #maxThreads()},
 * default 10), how many tasks may wait for one ({@link #queueCapacity()}, default 0: refuse at
 * once), how long an idle thread lives ({@link #keepAlive()}, default 60 s), whether its threads
 * are virtual ({@link #virtualThreads()}, default platform threads), whether a caller giving up on
 * a running task interrupts it ({@link #interruptOnCancel()}, default yes), what {@code close()}
 * does with admitted work ({@link #closeMode()}, default {@code DRAIN}, within {@link
 * #closeTimeout()}, default 30 s), and the hook that carries context onto the worker ({@link
 * #contextPropagator()}, default none). Immutable and thread-safe.
 *
 * <pre>{@code
 * ThreadPoolBulkheadConfig config =
 *     ThreadPoolBulkheadConfig.builder()
 *         .maxThreads(8)
 *         .queueCapacity(16)
 *         .closeMode(ThreadPoolBulkhead.CloseMode.CANCEL)
 *         .build();
 * }</pre>
 */
public final class ThreadPoolBulkheadConfig {
  /** The most threads one bulkhead may run. */
  public static final int MAX_THREADS = 1 << 16;

  /** The largest queue one bulkhead may have. */
  public static final int MAX_QUEUE_CAPACITY = 1 << 20;

  private static final Duration MAX_DURATION = Duration.ofDays(365);
  private static final UnaryOperator<Runnable> NO_CONTEXT = UnaryOperator.identity();
  private static final ThreadPoolBulkheadConfig DEFAULTS = new Builder().build();

  private final int maxThreads;
  private final int queueCapacity;
  private final Duration keepAlive;
  private final boolean virtualThreads;
  private final boolean interruptOnCancel;
  private final ThreadPoolBulkhead.CloseMode closeMode;
  private final Duration closeTimeout;
  private final UnaryOperator<Runnable> contextPropagator;

  private ThreadPoolBulkheadConfig(Builder b) {
    this.maxThreads = b.maxThreads;
    this.queueCapacity = b.queueCapacity;
    this.keepAlive = b.keepAlive;
    this.virtualThreads = b.virtualThreads;
    this.interruptOnCancel = b.interruptOnCancel;
    this.closeMode = b.closeMode;
    this.closeTimeout = b.closeTimeout;
    this.contextPropagator = b.contextPropagator;
  }

  /**
   * The default settings: 10 platform threads, no queue, 60 s keep-alive, a cancelled running task
   * is interrupted, {@code close()} drains for up to 30 s, no context carried.
   *
   * @return the shared default config
   */
  public static ThreadPoolBulkheadConfig defaults() {
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
    b.maxThreads = maxThreads;
    b.queueCapacity = queueCapacity;
    b.keepAlive = keepAlive;
    b.virtualThreads = virtualThreads;
    b.interruptOnCancel = interruptOnCancel;
    b.closeMode = closeMode;
    b.closeTimeout = closeTimeout;
    b.contextPropagator = contextPropagator;
    return b;
  }

  /**
   * How many threads may run tasks at once; threads start when work arrives, up to this many.
   *
   * @return the number, in {@code [1, MAX_THREADS]}
   */
  public int maxThreads() {
    return maxThreads;
  }

  /**
   * How many admitted tasks may wait for a thread when every thread is busy; a task finding the
   * queue full is refused. Zero refuses at once.
   *
   * @return the capacity, in {@code [0, MAX_QUEUE_CAPACITY]}
   */
  public int queueCapacity() {
    return queueCapacity;
  }

  /**
   * How long a thread with nothing to do waits for work before it ends.
   *
   * @return the keep-alive, {@code > 0}
   */
  public Duration keepAlive() {
    return keepAlive;
  }

  /**
   * Whether the workers are virtual threads (a JDK 21 or later) rather than platform threads.
   *
   * @return {@code true} for virtual threads
   */
  public boolean virtualThreads() {
    return virtualThreads;
  }

  /**
   * Whether cancelling a task that is running interrupts its thread. A queued task is removed
   * whatever this says.
   *
   * @return {@code true} to interrupt
   */
  public boolean interruptOnCancel() {
    return interruptOnCancel;
  }

  /**
   * What {@code close()} does with admitted work.
   *
   * @return the mode
   */
  public ThreadPoolBulkhead.CloseMode closeMode() {
    return closeMode;
  }

  /**
   * The most {@code close()} waits for the threads to end.
   *
   * @return the timeout, {@code >= 0}
   */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  /**
   * The hook that carries context from the submitting thread onto the worker: called on the
   * submitting thread with the task, it returns the runnable the worker runs.
   *
   * @return the hook; {@code UnaryOperator.identity()} when none was set
   */
  public UnaryOperator<Runnable> contextPropagator() {
    return contextPropagator;
  }

  /** Whether {@code o} is a config with the same settings (the same hook instance). */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ThreadPoolBulkheadConfig c
        && maxThreads == c.maxThreads
        && queueCapacity == c.queueCapacity
        && keepAlive.equals(c.keepAlive)
        && virtualThreads == c.virtualThreads
        && interruptOnCancel == c.interruptOnCancel
        && closeMode == c.closeMode
        && closeTimeout.equals(c.closeTimeout)
        && contextPropagator == c.contextPropagator;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        maxThreads,
        queueCapacity,
        keepAlive,
        virtualThreads,
        interruptOnCancel,
        closeMode,
        closeTimeout,
        System.identityHashCode(contextPropagator));
  }

  /**
   * @return the settings, such as {@code ThreadPoolBulkheadConfig{maxThreads=10, queueCapacity=0,
   *     keepAlive=PT1M, virtualThreads=false, interruptOnCancel=true, closeMode=DRAIN,
   *     closeTimeout=PT30S}}
   */
  @Override
  public String toString() {
    return "ThreadPoolBulkheadConfig{maxThreads="
        + maxThreads
        + ", queueCapacity="
        + queueCapacity
        + ", keepAlive="
        + keepAlive
        + ", virtualThreads="
        + virtualThreads
        + ", interruptOnCancel="
        + interruptOnCancel
        + ", closeMode="
        + closeMode
        + ", closeTimeout="
        + closeTimeout
        + (contextPropagator == NO_CONTEXT ? "" : ", contextPropagator=" + contextPropagator)
        + '}';
  }

  /**
   * Builds a {@link ThreadPoolBulkheadConfig}. Every setter validates its value, naming the option
   * and the value; a setter called again replaces the value it set (no two setters select mutually
   * exclusive things). Not thread-safe.
   */
  public static final class Builder {
    private int maxThreads = 10;
    private int queueCapacity;
    private Duration keepAlive = Duration.ofSeconds(60);
    private boolean virtualThreads;
    private boolean interruptOnCancel = true;
    private ThreadPoolBulkhead.CloseMode closeMode = ThreadPoolBulkhead.CloseMode.DRAIN;
    private Duration closeTimeout = Duration.ofSeconds(30);
    private UnaryOperator<Runnable> contextPropagator = NO_CONTEXT;

    private Builder() {}

    /**
     * How many threads may run tasks at once; default 10.
     *
     * @param maxThreads the number, in {@code [1, MAX_THREADS]}
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder maxThreads(int maxThreads) {
      positive("maxThreads", maxThreads);
      if (maxThreads > MAX_THREADS) {
        throw new IllegalArgumentException(
            "maxThreads must be <= " + MAX_THREADS + ", was " + maxThreads);
      }
      this.maxThreads = maxThreads;
      return this;
    }

    /**
     * How many tasks may wait for a thread; default 0 (a task finding every thread busy is refused
     * at once).
     *
     * @param queueCapacity the capacity, in {@code [0, MAX_QUEUE_CAPACITY]}
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder queueCapacity(int queueCapacity) {
      if (queueCapacity < 0 || queueCapacity > MAX_QUEUE_CAPACITY) {
        throw new IllegalArgumentException(
            "queueCapacity must be in [0, " + MAX_QUEUE_CAPACITY + "], was " + queueCapacity);
      }
      this.queueCapacity = queueCapacity;
      return this;
    }

    /**
     * How long an idle thread waits for work before it ends; default 60 s.
     *
     * @param keepAlive the keep-alive, in {@code (0, 365 days]}
     * @return this builder
     * @throws NullPointerException when {@code keepAlive} is null
     * @throws IllegalArgumentException when zero, negative or over 365 days
     */
    public Builder keepAlive(Duration keepAlive) {
      this.keepAlive = atMost("keepAlive", positive("keepAlive", keepAlive), MAX_DURATION);
      return this;
    }

    /**
     * Whether the workers are virtual threads; default {@code false} (daemon platform threads).
     * Virtual threads need a JDK 21 or later at run time.
     *
     * @param virtualThreads {@code true} for virtual threads
     * @return this builder
     * @throws IllegalArgumentException when {@code true} and the running JDK has no virtual threads
     */
    public Builder virtualThreads(boolean virtualThreads) {
      if (virtualThreads && !WorkerThreads.virtualThreadsAvailable()) {
        throw new IllegalArgumentException(
            "virtualThreads must be false on a JDK without virtual threads, was true (running "
                + Runtime.version()
                + ")");
      }
      this.virtualThreads = virtualThreads;
      return this;
    }

    /**
     * Whether cancelling a running task interrupts its thread; default {@code true}. A queued task
     * is removed when cancelled, and never runs, whatever this says.
     *
     * @param interruptOnCancel {@code true} to interrupt
     * @return this builder
     */
    public Builder interruptOnCancel(boolean interruptOnCancel) {
      this.interruptOnCancel = interruptOnCancel;
      return this;
    }

    /**
     * What {@code close()} does with admitted work; default {@link
     * ThreadPoolBulkhead.CloseMode#DRAIN}.
     *
     * @param closeMode the mode
     * @return this builder
     * @throws NullPointerException when {@code closeMode} is null
     */
    public Builder closeMode(ThreadPoolBulkhead.CloseMode closeMode) {
      this.closeMode = notNull("closeMode", closeMode);
      return this;
    }

    /**
     * The most {@code close()} waits for the threads to end; default 30 s.
     *
     * @param closeTimeout the timeout, in {@code [0, 365 days]}
     * @return this builder
     * @throws NullPointerException when {@code closeTimeout} is null
     * @throws IllegalArgumentException when negative or over 365 days
     */
    public Builder closeTimeout(Duration closeTimeout) {
      notNull("closeTimeout", closeTimeout);
      if (closeTimeout.isNegative()) {
        throw new IllegalArgumentException("closeTimeout must be >= 0, was " + closeTimeout);
      }
      this.closeTimeout = atMost("closeTimeout", closeTimeout, MAX_DURATION);
      return this;
    }

    /**
     * The hook that carries context (an MDC, thread locals) onto the worker; default none. It is
     * called on the submitting thread with the task and returns the runnable the worker runs, which
     * sets the context up, runs the task and tears the context down:
     *
     * <pre>{@code
     * builder.contextPropagator(task -> {
     *   Map<String, String> mdc = MDC.getCopyOfContextMap();   // on the submitting thread
     *   return () -> {                                         // on the worker
     *     MDC.setContextMap(mdc);
     *     try { task.run(); } finally { MDC.clear(); }
     *   };
     * })
     * }</pre>
     *
     * <p>A hook that throws (or returns null) never loses the task: what it threw is logged
     * (rate-limited, naming the bulkhead) and the task runs without the context; what the returned
     * runnable throws after the task ran is logged and the task's outcome is delivered.
     *
     * @param contextPropagator the hook
     * @return this builder
     * @throws NullPointerException when {@code contextPropagator} is null
     */
    public Builder contextPropagator(UnaryOperator<Runnable> contextPropagator) {
      this.contextPropagator = notNull("contextPropagator", contextPropagator);
      return this;
    }

    /**
     * Builds the config.
     *
     * @return the config
     */
    public ThreadPoolBulkheadConfig build() {
      return new ThreadPoolBulkheadConfig(this);
    }
  }
}
