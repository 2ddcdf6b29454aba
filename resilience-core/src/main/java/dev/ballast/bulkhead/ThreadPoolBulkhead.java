package dev.ballast.bulkhead;

import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.CheckedCallable;
import dev.ballast.Policy;
import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.Listeners;
import dev.ballast.internal.Reconfigurer;
import dev.ballast.internal.ThrottledLog;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread-pool bulkhead: a bounded pool of threads with a bounded queue, kept for the blocking
 * calls to one integration point, so that when it hangs only these threads hang (<em>Release
 * It!</em>, "Bulkheads": a pool per integration point). At most {@link
 * ThreadPoolBulkheadConfig#maxThreads()} tasks run at once and at most {@link
 * ThreadPoolBulkheadConfig#queueCapacity()} wait; a task beyond that is refused with a {@link
 * ThreadPoolBulkheadRejectedException} (reason {@code OVERLOAD}), never counted as a failure of the
 * dependency. A task is refused only when every thread that may exist holds a task and the queue is
 * full: never while a thread is free.
 *
 * <pre>{@code
 * ThreadPoolBulkhead pool = ThreadPoolBulkhead.of("inventory",
 *     ThreadPoolBulkheadConfig.builder().maxThreads(8).queueCapacity(16).build());
 * CompletionStage<Item> item = pool.submit(() -> client.get(id));
 * }</pre>
 *
 * <p><b>A caller that gives up</b> cancels (or completes) the stage it got: a task still queued is
 * removed and never runs; a running one is interrupted when {@link
 * ThreadPoolBulkheadConfig#interruptOnCancel()} says so (the default). A {@link
 * dev.ballast.timeout.Timeout} around {@link #callAsync} cancels the stage at its deadline, so it
 * does this for you.
 *
 * <p><b>As a {@link Policy}.</b> {@link #callAsync} runs the supplier on a worker and relays the
 * stage it returns; {@link #call} runs the call on a worker while the caller waits for it, and
 * rethrows what it threw, unchanged. A caller interrupted while it waits gives up as above and
 * keeps its interrupt flag: it gets a {@link ThreadPoolBulkheadRejectedException} when its task
 * never ran, else a {@link CancellationException}. Threads are named {@code ballast-<name>-<n>};
 * they are daemon platform threads, or virtual threads when configured. {@link #close()} refuses
 * new tasks, drains or cancels the admitted ones ({@link CloseMode}) and waits for the threads.
 *
 * <p>A stage this bulkhead returns always completes. Callbacks attached to it without an executor
 * run on the worker that completed it (after the worker was made free for the next task), or on the
 * caller's thread when it was already complete.
 *
 * <p>Thread-safe. Admission takes one short {@link java.util.concurrent.locks.ReentrantLock} (no
 * {@code synchronized}: virtual threads never pin) and allocates the task and its stage.
 */
public final class ThreadPoolBulkhead implements Policy, AutoCloseable {

  /** What {@link #close()} does with tasks already admitted. */
  public enum CloseMode {
    /** Queued tasks still run; {@code close()} waits for them, up to the close timeout. */
    DRAIN,
    /**
     * Queued tasks are cancelled (their stages fail with a {@link
     * ThreadPoolBulkheadRejectedException}) and running ones are interrupted.
     */
    CANCEL
  }

  private static final Logger LOG = LoggerFactory.getLogger(ThreadPoolBulkhead.class);

  private static final Listeners.Event<ThreadPoolBulkheadListener> ON_REJECTED =
      (l, error, x, y) -> l.onRejected();
  private static final Listeners.Event<ThreadPoolBulkheadListener> ON_CANCELLED =
      (l, error, x, y) -> l.onCancelled();

  private final String name;
  private volatile ThreadPoolBulkheadConfig config;
  private final Reconfigurer reconfigurer;
  final Workers workers;
  final ThrottledLog hookLog;
  private final LongAdder calls = new LongAdder();
  private final LongAdder rejections = new LongAdder();
  private final LongAdder cancellations = new LongAdder();
  private final Listeners<ThreadPoolBulkheadListener> listeners;

  private ThreadPoolBulkhead(String name, ThreadPoolBulkheadConfig config) {
    this.name = name;
    this.config = config;
    this.hookLog = new ThrottledLog(LOG, name, Ticker.system());
    this.listeners =
        new Listeners<>(
            "thread-pool bulkhead '" + name + "'", new ThrottledLog(LOG, name, Ticker.system()));
    this.workers = new Workers(name, config, hookLog);
    this.reconfigurer = new Reconfigurer("thread-pool bulkhead", name, LOG, "virtualThreads");
  }

  /**
   * Creates a thread-pool bulkhead. No thread starts until a task arrives.
   *
   * @param name names the bulkhead in its threads, rejections, logs and meters; not blank
   * @param config the settings
   * @return a new bulkhead
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public static ThreadPoolBulkhead of(String name, ThreadPoolBulkheadConfig config) {
    notBlank("name", name);
    return new ThreadPoolBulkhead(name, notNull("config", config));
  }

  /**
   * Creates a thread-pool bulkhead with {@link ThreadPoolBulkheadConfig#defaults()}: 10 platform
   * threads, no queue.
   *
   * @param name names the bulkhead; not blank
   * @return a new bulkhead
   * @throws NullPointerException when {@code name} is null
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public static ThreadPoolBulkhead ofDefaults(String name) {
    return of(name, ThreadPoolBulkheadConfig.defaults());
  }

  /**
   * The bulkhead's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The settings the bulkhead was created with.
   *
   * @return the config
   */
  public ThreadPoolBulkheadConfig config() {
    return config;
  }

  /**
   * Applies a new config, keeping every queued and running task and the pool's threads. The name
   * stays; {@link #config()} returns {@code config} afterwards (docs/reconfiguration.md has the
   * table).
   *
   * <ul>
   *   <li>A higher {@code maxThreads} starts threads for queued tasks at once; threads above a
   *       lower one finish their task and leave when they next find nothing queued.
   *   <li>A lower {@code queueCapacity} keeps the tasks over it and turns new ones away until
   *       enough have started; a higher one admits more at once.
   *   <li>{@code keepAlive} applies to threads that go idle from now on; {@code interruptOnCancel},
   *       {@code contextPropagator}, {@code closeMode} and {@code closeTimeout} to the next task or
   *       close.
   *   <li>{@code virtualThreads} (the kind of thread the pool makes) cannot change: a config with
   *       another one is refused with an {@link IllegalArgumentException} naming it and both
   *       values, and nothing changes.
   * </ul>
   *
   * <p>Logged once at INFO with the changed settings, old and new. Reconfigurations of one pool run
   * one at a time.
   *
   * @param config the new settings
   * @throws IllegalArgumentException when {@code config} changes {@code virtualThreads}
   */
  public void reconfigure(ThreadPoolBulkheadConfig config) {
    reconfigurer.apply(this::config, config, this::apply);
  }

  private void apply(ThreadPoolBulkheadConfig next) {
    this.config = next;
    workers.retune(next);
  }

  /**
   * Runs {@code task} on one of the bulkhead's threads. Never throws for a refusal: the returned
   * stage fails with a {@link ThreadPoolBulkheadRejectedException} when the pool is full or closed.
   * Cancelling (or completing) the returned stage before the task ran removes it for good.
   *
   * @param task the blocking call to the integration point
   * @param <T> the result type
   * @return a stage completing with what the task returned or threw; it always completes
   * @throws NullPointerException when {@code task} is null, before anything is counted
   */
  public <T extends @Nullable Object> CompletionStage<T> submit(Callable<T> task) {
    notNull("task", task);
    return this.<T>start(task::call, false).out;
  }

  /**
   * Runs {@code callable} on one of the bulkhead's threads while the caller waits for it.
   *
   * @throws X what the call threw, unchanged
   * @throws ThreadPoolBulkheadRejectedException when the pool is full or closed, or the caller was
   *     interrupted while the task was queued (the task never runs; the flag stays set)
   * @throws CancellationException when the caller was interrupted while the task ran (the flag
   *     stays set; the task is interrupted if {@link ThreadPoolBulkheadConfig#interruptOnCancel()})
   */
  @Override
  public <T extends @Nullable Object, X extends Throwable> T call(CheckedCallable<T, X> callable)
      throws X {
    notNull("callable", callable);
    PoolTask<T> task = start(callable, false);
    try {
      return task.out.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw ThreadPoolBulkhead.<X>sneaky(cause == null ? e : cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (task.cancelQueued()) {
        throw ThreadPoolBulkheadRejectedException.interruptedWhileQueued(name);
      }
      boolean interrupt = config.interruptOnCancel();
      if (interrupt) {
        task.interruptRunning();
      }
      throw new CancellationException(
          "thread-pool bulkhead '"
              + name
              + "': the caller was interrupted while its task ran; the task was "
              + (interrupt ? "interrupted" : "left to finish"));
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The supplier runs on one of the bulkhead's threads, which it holds until the supplier
   * returns: put the blocking work inside the supplier (a stage the supplier returns already
   * complete, or one it waits for), not behind a stage that completes later on another pool.
   * Cancelling the returned stage removes a queued task, interrupts a running one when configured,
   * and cancels the stage the supplier returned.
   */
  @Override
  public <T extends @Nullable Object> CompletionStage<T> callAsync(
      Supplier<? extends CompletionStage<T>> supplier) {
    notNull("supplier", supplier);
    return this.<T>start(supplier::get, true).out;
  }

  private <T extends @Nullable Object> PoolTask<T> start(
      CheckedCallable<?, ?> work, boolean async) {
    PoolTask<T> task = new PoolTask<>(this, work, async);
    VirtualMachineError fatal = task.decorate(config.contextPropagator());
    if (fatal != null) {
      task.out.fail(fatal);
      return task;
    }
    Workers.Admission admission = workers.offer(task);
    if (admission == Workers.Admission.ADMITTED) {
      calls.increment();
      return task;
    }
    rejections.increment();
    ThreadPoolBulkheadConfig c = config; // one config for the message
    Throwable outcome =
        admission == Workers.Admission.CLOSED
            ? ThreadPoolBulkheadRejectedException.closed(name)
            : ThreadPoolBulkheadRejectedException.full(name, c.maxThreads(), c.queueCapacity());
    try {
      if (!listeners.isEmpty()) {
        listeners.emit(ON_REJECTED, null, 0L, 0L);
      }
    } catch (VirtualMachineError e) {
      outcome = e;
    }
    task.out.fail(outcome);
    return task;
  }

  /** A task was cancelled before it ran; called once per such task. */
  void cancelled() {
    cancellations.increment();
    if (!listeners.isEmpty()) {
      listeners.emit(ON_CANCELLED, null, 0L, 0L);
    }
  }

  /**
   * A snapshot of the bulkhead's figures.
   *
   * @return the figures now
   */
  public ThreadPoolBulkheadStats stats() {
    int[] now = workers.figures();
    ThreadPoolBulkheadConfig c = config;
    return new ThreadPoolBulkheadStats(
        calls.sum(),
        rejections.sum(),
        cancellations.sum(),
        now[0],
        now[1],
        now[2],
        c.maxThreads(),
        c.queueCapacity());
  }

  /**
   * Adds a listener; see {@link ThreadPoolBulkheadListener} for when events are reported.
   *
   * @param listener the listener
   * @return closes to remove the listener
   * @throws NullPointerException when {@code listener} is null
   * @throws IllegalStateException when the bulkhead already has 64 listeners
   */
  public Subscription addListener(ThreadPoolBulkheadListener listener) {
    return listeners.add(listener);
  }

  /**
   * Closes the bulkhead: new tasks are refused from now on; in {@link CloseMode#DRAIN} mode queued
   * tasks still run, in {@link CloseMode#CANCEL} mode they are cancelled and running ones
   * interrupted. Then waits for every thread to end, up to {@link
   * ThreadPoolBulkheadConfig#closeTimeout()}; in {@code DRAIN} mode what is still queued then is
   * cancelled and running tasks are interrupted. Threads that ignore the interrupt are left to end
   * on their own, and named in a WARN line. Closing again waits again; a task that closes its own
   * bulkhead does not wait for itself.
   */
  @Override
  public void close() {
    ThreadPoolBulkheadConfig c = config;
    List<String> left =
        workers.close(c.closeMode() == CloseMode.CANCEL, c.closeTimeout().toNanos());
    if (!left.isEmpty()) {
      LOG.warn(
          "name={} threads still running after closeTimeout={}: {}", name, c.closeTimeout(), left);
    }
  }

  /**
   * @return {@code threadPoolBulkhead[name]}
   */
  @Override
  public String toString() {
    return "threadPoolBulkhead[" + name + "]";
  }

  // What the call threw: an X, or unchecked.
  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
  private static <X extends Throwable> X sneaky(Throwable error) throws X {
    throw (X) error;
  }
}
