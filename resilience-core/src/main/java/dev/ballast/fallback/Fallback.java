package dev.ballast.fallback;

import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.CheckedCallable;
import dev.ballast.Policy;
import dev.ballast.RejectedException;
import dev.ballast.Scheduler;
import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.Invoker;
import dev.ballast.internal.Predicates;
import dev.ballast.internal.Stages;
import dev.ballast.internal.ThrottledLog;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fallback (<em>Release It!</em>: degrade, serve cached or default data, fail fast): a wrapper
 * policy that substitutes an answer of type {@code R} when the call fails, is refused, or returns
 * something unusable, so that the caller degrades instead of failing.
 *
 * <pre>{@code
 * Fallback<Price> fallback = Fallback.of("pricing", FallbackConfig.<Price>builder()
 *     .rejectionFallback(e -> cache.get(sku))           // breaker open, bulkhead full: cached
 *     .onException(IOException.class)
 *     .exceptionFallback(e -> Price.unknown(sku))       // a real failure: a default
 *     .build());
 * Price price = fallback.apply(() -> client.price(sku));
 * }</pre>
 *
 * <p>Three triggers, each with its own fallback function, so that a refusal and a real failure can
 * be treated differently:
 *
 * <ul>
 *   <li><b>exception</b>: the call threw an exception matching {@link
 *       FallbackConfig.Builder#onException} or {@link FallbackConfig.Builder#onExceptionWhen}, or
 *       that the config's {@linkplain FallbackConfig.Builder#classifier classifier} calls a failure
 *       (by default any {@link Exception}); served by {@link
 *       FallbackConfig.Builder#exceptionFallback}, which sees the exception;
 *   <li><b>rejection</b>: a policy refused the call with a {@link RejectedException}, optionally
 *       narrowed by {@link FallbackConfig.Builder#onRejected reason} or {@link
 *       FallbackConfig.Builder#onRejectedWhen predicate}; served by {@link
 *       FallbackConfig.Builder#rejectionFallback}, which sees the rejection. A rejection goes to
 *       this trigger alone and never to the exception trigger, whatever its predicates say: with no
 *       rejection fallback set, a rejection reaches the caller unchanged;
 *   <li><b>result</b>: the call returned a value matching {@link FallbackConfig.Builder#onResult};
 *       served by {@link FallbackConfig.Builder#resultFallback}, which sees the value.
 * </ul>
 *
 * <p>Anything no trigger matches reaches the caller unchanged: checked exceptions pass through
 * typed as the call declared them. A fallback function that throws surfaces its own exception, with
 * the call's exception added to it as suppressed (at most 8 suppressed exceptions, each once: a
 * function that throws one shared exception on every call does not make it grow). A trigger
 * predicate or a listener that throws is logged at WARN (the first, then at most one line a minute
 * per kind, with a count of those suppressed) and otherwise ignored: a predicate counts as "no
 * match", and the caller's outcome is delivered unchanged. A {@link VirtualMachineError} from a
 * predicate or listener is not ignored: it reaches the caller, thrown on the sync path once the
 * counts are updated, or as the exceptional completion of the stage {@link #callAsync} returned,
 * which always completes. A null call is refused with a {@link NullPointerException} naming the
 * parameter, before anything is counted or served.
 *
 * <p><b>Types.</b> {@link #apply} and {@link #applyAsync} are the typed entries: the call must
 * produce an {@code R} and the compiler checks it. A {@code Fallback} is also a {@link Policy}, so
 * it composes in a {@link dev.ballast.Pipeline}, outermost: {@code Pipeline.of(fallback, retry,
 * breaker)} runs {@code fallback(retry(breaker(call)))}. {@code Policy.call} is generic in each
 * call's type {@code T}, which a fallback cannot check at run time, so through the {@code Policy}
 * methods the substitute is returned as the call's type unchecked: <b>the fallback value must be of
 * the call's type</b>, or the caller gets a {@link ClassCastException} where it uses the value.
 * Where the compiler should check it, wrap the pipeline instead of putting the fallback in it:
 * {@code fallback.apply(() -> pipeline.call(() -> client.price(sku)))} runs the same nesting.
 *
 * <p>Nothing is logged per call except at DEBUG (each substitute served or failed); a throwing
 * predicate or listener logs at WARN, rate-limited on the ticker of the {@link
 * FallbackConfig.Builder#scheduler scheduler} given (the system ticker by default). Fallback
 * functions may throw only unchecked exceptions. An {@link InterruptedException} handled by a
 * fallback on the caller's thread leaves the thread's interrupt flag set, so the interrupt is not
 * lost.
 *
 * <p>Thread-safe and lock-free; build one per integration point and share it. When the call
 * succeeds and no result trigger is set, it allocates nothing and does constant work: one counter
 * increment.
 *
 * @param <R> the type of the substitute answer, which every call through this fallback must return
 */
public final class Fallback<R extends @Nullable Object> implements Policy {

  /*
   * Implementation notes.
   *
   * A fallback has no state beyond its counters and its listeners: the triggers and functions are
   * final fields read from its FallbackConfig (a classifier there becomes the exception and result
   * trigger predicates). The sync path is a try/catch around the call; the catch
   * block rethrows the caught Throwable itself when no trigger matches, so Java's precise rethrow
   * keeps the call's checked exception type X, and the only exceptions a fallback adds are the
   * unchecked ones its functions throw. The success path increments one LongAdder and, when a
   * result trigger is set, tests the result; it allocates nothing.
   *
   * Counts, listeners and the suppressed exceptions a fallback function's exception gets: see
   * FallbackEvents. A trigger predicate that throws goes through ThrottledLog.callbackThrew, one
   * throttled line per predicate kind (exception, rejection, result): logged as "no match", or a
   * VirtualMachineError rethrown to the caller (sync) or into the returned stage (settle completes
   * it exceptionally with whatever escapes, so the stage always completes).
   *
   * Async: the returned future is completed by the call stage's callback, once. When the caller
   * has cancelled it first, the callback sees it done and runs no fallback; cancelling it cancels
   * the call's future when the stage can be seen as one. A cancel that lands between that check
   * and the completion loses to nothing: the completion is a no-op on a cancelled future, and the
   * fallback that ran is counted. That race is benign (one extra substitute computed, never
   * delivered), and closing it would need a CAS per async call.
   */

  private static final Logger LOG = LoggerFactory.getLogger(Fallback.class);

  private final String name;
  private final Predicate<? super Throwable> exceptionWhen;
  private final @Nullable Function<? super Throwable, ? extends R> exceptionFallback;
  private final @Nullable Predicate<? super RejectedException> rejectionWhen;
  private final @Nullable Function<? super RejectedException, ? extends R> rejectionFallback;
  private final @Nullable Predicate<? super R> resultWhen;
  private final @Nullable Function<? super R, ? extends R> resultFallback;

  private final FallbackEvents events;
  private final ThrottledLog exceptionPredicateLog;
  private final ThrottledLog rejectionPredicateLog;
  private final ThrottledLog resultPredicateLog;

  private final FallbackConfig<R> config;

  private Fallback(String name, FallbackConfig<R> config) {
    this.name = name;
    this.config = config;
    Scheduler scheduler = config.scheduler();
    Ticker ticker =
        scheduler == null ? Ticker.system() : notNull("scheduler.ticker()", scheduler.ticker());
    this.events = new FallbackEvents(LOG, name, ticker);
    this.exceptionPredicateLog = new ThrottledLog(LOG, name, ticker);
    this.rejectionPredicateLog = new ThrottledLog(LOG, name, ticker);
    this.resultPredicateLog = new ThrottledLog(LOG, name, ticker);
    Predicate<? super Throwable> when = config.exceptionWhen();
    this.exceptionWhen = when == null ? Fallback::anyException : when;
    this.exceptionFallback = config.exceptionFallback();
    this.rejectionWhen = config.rejectionWhen();
    this.rejectionFallback = config.rejectionFallback();
    this.resultWhen = config.resultFallback() == null ? null : config.resultWhen();
    this.resultFallback = config.resultFallback();
  }

  /**
   * Creates a fallback. There is no {@code ofDefaults}: a fallback is its substitute, which the
   * config states (see {@link FallbackConfig}).
   *
   * @param name the fallback's name, used in logs and metrics; not blank
   * @param config its triggers and functions
   * @param <R> the type of the substitute answer
   * @return the fallback
   */
  public static <R extends @Nullable Object> Fallback<R> of(String name, FallbackConfig<R> config) {
    notBlank("name", name);
    return new Fallback<>(name, notNull("config", config));
  }

  /**
   * @return the fallback's name
   */
  public String name() {
    return name;
  }

  /**
   * @return the fallback's settings
   */
  public FallbackConfig<R> config() {
    return config;
  }

  /**
   * A snapshot of the fallback's counts.
   *
   * @return the stats
   */
  public FallbackStats stats() {
    return events.stats();
  }

  // ---------------------------------------------------------------- typed entries

  /**
   * Runs {@code callable} on the caller's thread and substitutes a fallback answer where a trigger
   * matches; the compiler checks that the call produces an {@code R}.
   *
   * @param callable the call to the integration point
   * @param <X> the checked exception the call throws
   * @return the call's result, or the substitute
   * @throws X what the call threw, unchanged, when no trigger matched it
   * @throws NullPointerException when {@code callable} is null; nothing is counted or served
   */
  public <X extends Throwable> R apply(CheckedCallable<? extends R, X> callable) throws X {
    return call(callable);
  }

  /**
   * Runs an asynchronous call and substitutes a fallback answer where a trigger matches the outcome
   * of its stage; the fallback function runs on the thread that completes the stage.
   *
   * @param supplier starts the call and returns its stage
   * @return a stage that completes with the call's result or the substitute; cancelling its future
   *     cancels the call's
   */
  public CompletionStage<R> applyAsync(Supplier<? extends CompletionStage<? extends R>> supplier) {
    return async(notNull("supplier", supplier));
  }

  // ---------------------------------------------------------------- Policy

  /**
   * Runs {@code callable} on the caller's thread and substitutes a fallback answer where a trigger
   * matches. The substitute is returned as {@code T} unchecked: it must be of the call's type (see
   * "Types" in the class description); {@link #apply} checks that at compile time.
   *
   * @param callable the call to the integration point
   * @param <T> the result type, which must be {@code R} or a type {@code R}'s values belong to
   * @param <X> the checked exception the call throws
   * @return the call's result, or the substitute
   * @throws X what the call threw, unchanged, when no trigger matched it
   * @throws NullPointerException when {@code callable} is null; nothing is counted or served
   */
  @Override
  public <T extends @Nullable Object, X extends Throwable> T call(CheckedCallable<T, X> callable)
      throws X {
    return recovering(CheckedCallable::call, notNull("callable", callable));
  }

  /**
   * Runs {@code supplier} as {@link #call} does, without allocating an adapter per call. The
   * substitute is returned as {@code T} unchecked (see "Types" in the class description).
   *
   * @param supplier the call
   * @param <T> the result type
   * @return the result, or the substitute
   */
  @Override
  public <T extends @Nullable Object> T get(Supplier<T> supplier) {
    return recovering(Supplier::get, notNull("supplier", supplier));
  }

  /**
   * Runs {@code runnable} as {@link #call} does, without allocating an adapter per call; a
   * substitute value is dropped.
   *
   * @param runnable the call
   * @throws NullPointerException when {@code runnable} is null; nothing is counted or served
   */
  @Override
  public void run(Runnable runnable) {
    recovering(Invoker.RUNNABLE, notNull("runnable", runnable));
  }

  /**
   * The one body of {@link #call}, {@link #get} and {@link #run} (Policy's rule for calls that
   * allocate nothing): counts the call, runs {@code fn} through {@code how}, and substitutes where
   * a trigger matches. An InterruptedException answered by a substitute leaves the thread's
   * interrupt flag set, so the interrupt is not lost.
   */
  private <F, T extends @Nullable Object, X extends Throwable> T recovering(
      Invoker<F, T, X> how, F fn) throws X {
    events.calls.increment();
    T result;
    try {
      result = how.invoke(fn);
    } catch (Throwable t) {
      boolean reinterrupt = t instanceof InterruptedException;
      try {
        FallbackTrigger trigger = triggerFor(t);
        if (trigger == null) {
          reinterrupt = false; // the InterruptedException itself reaches the caller
          throw t;
        }
        return cast(recover(trigger, t));
      } finally {
        if (reinterrupt) {
          Thread.currentThread().interrupt(); // the call's interrupt must not be lost
        }
      }
    }
    Predicate<? super R> when = resultWhen;
    if (when != null && resultMatches(when, result)) {
      return cast(recoverResult(result));
    }
    return result;
  }

  /**
   * Runs an asynchronous call and substitutes a fallback answer where a trigger matches the outcome
   * of its stage; the fallback function runs on the thread that completes the stage. If the
   * supplier throws, or returns {@code null} (a {@link NullPointerException}), that is the call's
   * exception. The substitute is returned as {@code T} unchecked (see "Types" in the class
   * description); {@link #applyAsync} checks it at compile time.
   *
   * @param supplier starts the call and returns its stage
   * @param <T> the result type
   * @return a stage that completes with the call's result or the substitute; cancelling its future
   *     cancels the call's
   */
  @Override
  public <T extends @Nullable Object> CompletionStage<T> callAsync(
      Supplier<? extends CompletionStage<T>> supplier) {
    return async(notNull("supplier", supplier));
  }

  /**
   * Adds a listener. At most 64 listeners per fallback.
   *
   * @param listener the listener
   * @return the subscription; closing it removes the listener
   * @throws IllegalStateException when 64 listeners are already registered
   */
  public Subscription addListener(FallbackListener listener) {
    return events.add(listener);
  }

  /**
   * @return {@code fallback[name]}
   */
  @Override
  public String toString() {
    return "fallback[" + name + "]";
  }

  // ---------------------------------------------------------------- internals

  private <T extends @Nullable Object> CompletableFuture<T> async(
      Supplier<? extends CompletionStage<? extends T>> supplier) {
    events.calls.increment();
    CompletableFuture<T> out = new CompletableFuture<>();
    CompletionStage<? extends T> stage;
    try {
      stage = supplier.get();
    } catch (Throwable t) {
      settle(out, null, t);
      return out;
    }
    if (stage == null) {
      settle(out, null, new NullPointerException("supplier returned a null stage"));
      return out;
    }
    stage.whenComplete((result, error) -> settle(out, result, error));
    CompletableFuture<T> unused =
        out.whenComplete(
            (result, error) -> {
              if (out.isCancelled()) {
                Stages.cancelAfterSettled(stage, events.stageLog);
              }
            });
    return out;
  }

  /** Completes {@code out} from the call's outcome, substituting where a trigger matches. */
  private <T extends @Nullable Object> void settle(
      CompletableFuture<T> out, @Nullable T result, @Nullable Throwable error) {
    if (out.isDone()) {
      return; // cancelled by the caller: nobody wants a substitute
    }
    try {
      if (error != null) {
        Throwable cause = Stages.unwrap(error);
        FallbackTrigger trigger = triggerFor(cause);
        if (trigger == null) {
          out.completeExceptionally(cause);
        } else {
          out.complete(cast(recover(trigger, cause)));
        }
        return;
      }
      Predicate<? super R> when = resultWhen;
      if (when != null && resultMatches(when, result)) {
        out.complete(cast(recoverResult(result)));
      } else {
        out.complete(cast(result));
      }
    } catch (Throwable t) {
      out.completeExceptionally(t);
    }
  }

  /** The default exception trigger: any {@link Exception}, no {@link Error}. */
  private static boolean anyException(Throwable t) {
    return t instanceof Exception;
  }

  /** The trigger that matches {@code t}, or {@code null} when none does. */
  private @Nullable FallbackTrigger triggerFor(Throwable t) {
    if (t instanceof RejectedException r) {
      if (rejectionFallback == null) {
        return null;
      }
      Predicate<? super RejectedException> when = rejectionWhen;
      return when == null
              || Predicates.testError(
                  when, r, false, rejectionPredicateLog, "rejection predicate", "no fallback")
          ? FallbackTrigger.REJECTION
          : null;
    }
    if (exceptionFallback == null) {
      return null;
    }
    return Predicates.testError(
            exceptionWhen, t, false, exceptionPredicateLog, "exception predicate", "no fallback")
        ? FallbackTrigger.EXCEPTION
        : null;
  }

  @SuppressWarnings("unchecked") // through Policy, the result of type T is tested as an R
  private boolean resultMatches(Predicate<? super R> predicate, @Nullable Object result) {
    return Predicates.test(
        (Predicate<@Nullable Object>) predicate,
        result,
        false,
        resultPredicateLog,
        "result predicate threw; no fallback");
  }

  /** Runs the exception or rejection fallback function; records and notifies. */
  private R recover(FallbackTrigger trigger, Throwable cause) {
    R value;
    try {
      if (trigger == FallbackTrigger.REJECTION) {
        value = nonNull(rejectionFallback).apply((RejectedException) cause);
      } else {
        value = nonNull(exceptionFallback).apply(cause);
      }
    } catch (RuntimeException | Error e) {
      events.failed(trigger, cause, e);
      throw e;
    }
    events.served(trigger, cause);
    return value;
  }

  private R recoverResult(@Nullable Object result) {
    R value;
    try {
      // Through Policy, the result of type T is passed as an R; see "Types" above.
      value = nonNull(resultFallback).apply(Fallback.<R>cast(result));
    } catch (RuntimeException | Error e) {
      events.failed(FallbackTrigger.RESULT, null, e);
      throw e;
    }
    events.served(FallbackTrigger.RESULT, null);
    return value;
  }

  /**
   * The one unchecked conversion: a value (the call's result or a substitute) to the type the
   * caller expects. A null stays null; whether {@code T} admits it is the call's business, as it
   * would be without the fallback. See "Types" in the class description.
   */
  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals", "NullAway"})
  private static <T extends @Nullable Object> T cast(@Nullable Object value) {
    return (T) value;
  }

  private static <F> F nonNull(@Nullable F function) {
    if (function == null) {
      throw new IllegalStateException("no fallback function for a matched trigger"); // unreachable
    }
    return function;
  }
}
