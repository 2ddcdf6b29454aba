package dev.ballast.fallback;

import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.CheckedCallable;
import dev.ballast.Policy;
import dev.ballast.RejectedException;
import dev.ballast.Scheduler;
import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.internal.Stages;
import dev.ballast.internal.ThrottledLog;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
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
 * Fallback<Price> fallback = Fallback.<Price>builder("pricing")
 *     .rejectionFallback(e -> cache.get(sku))           // breaker open, bulkhead full: cached
 *     .onException(IOException.class)
 *     .exceptionFallback(e -> Price.unknown(sku))       // a real failure: a default
 *     .build();
 * Price price = fallback.apply(() -> client.price(sku));
 * }</pre>
 *
 * <p>Three triggers, each with its own fallback function, so that a refusal and a real failure can
 * be treated differently:
 *
 * <ul>
 *   <li><b>exception</b>: the call threw an exception matching {@link Builder#onException} or
 *       {@link Builder#onExceptionWhen} (by default any {@link Exception}); served by {@link
 *       Builder#exceptionFallback}, which sees the exception;
 *   <li><b>rejection</b>: a policy refused the call with a {@link RejectedException}, optionally
 *       narrowed by {@link Builder#onRejected reason} or {@link Builder#onRejectedWhen predicate};
 *       served by {@link Builder#rejectionFallback}, which sees the rejection. A rejection goes to
 *       this trigger alone and never to the exception trigger, whatever its predicates say: with no
 *       rejection fallback set, a rejection reaches the caller unchanged;
 *   <li><b>result</b>: the call returned a value matching {@link Builder#onResult}; served by
 *       {@link Builder#resultFallback}, which sees the value.
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
 * predicate or listener logs at WARN, rate-limited on the ticker of the {@link Builder#scheduler
 * scheduler} given (the system ticker by default). Fallback functions may throw only unchecked
 * exceptions. An {@link InterruptedException} handled by a fallback on the caller's thread leaves
 * the thread's interrupt flag set, so the interrupt is not lost.
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
   * final fields set by the builder. The sync path is a try/catch around the call; the catch
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

  private Fallback(Builder<R> b) {
    this.name = b.name;
    Scheduler scheduler = b.scheduler;
    Ticker ticker =
        scheduler == null ? Ticker.system() : notNull("scheduler.ticker()", scheduler.ticker());
    this.events = new FallbackEvents(LOG, name, ticker);
    this.exceptionPredicateLog = new ThrottledLog(LOG, name, ticker);
    this.rejectionPredicateLog = new ThrottledLog(LOG, name, ticker);
    this.resultPredicateLog = new ThrottledLog(LOG, name, ticker);
    Predicate<? super Throwable> when = b.exceptionWhen;
    this.exceptionWhen = when == null ? Fallback::anyException : when;
    this.exceptionFallback = b.exceptionFallback;
    this.rejectionWhen = b.rejectionWhen;
    this.rejectionFallback = b.rejectionFallback;
    this.resultWhen = b.resultWhen;
    this.resultFallback = b.resultFallback;
  }

  /**
   * Starts a fallback. Give the type of the substitute explicitly: {@code
   * Fallback.<Price>builder("pricing")}.
   *
   * @param name the fallback's name, used in logs and metrics; not blank
   * @param <R> the type of the substitute answer
   * @return a new builder
   */
  public static <R extends @Nullable Object> Builder<R> builder(String name) {
    notBlank("name", name);
    return new Builder<>(name);
  }

  /**
   * @return the fallback's name
   */
  public String name() {
    return name;
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
    notNull("callable", callable);
    events.calls.increment();
    T result;
    try {
      result = callable.call();
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
   * Runs {@code supplier} as {@link #call} does, without allocating an adapter per call. The
   * substitute is returned as {@code T} unchecked (see "Types" in the class description).
   *
   * @param supplier the call
   * @param <T> the result type
   * @return the result, or the substitute
   */
  @Override
  public <T extends @Nullable Object> T get(Supplier<T> supplier) {
    notNull("supplier", supplier);
    events.calls.increment();
    T result;
    try {
      result = supplier.get();
    } catch (Throwable t) {
      FallbackTrigger trigger = triggerFor(t);
      if (trigger == null) {
        throw t;
      }
      return cast(recover(trigger, t)); // a Supplier throws no InterruptedException
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
      return when == null || matches(when, r, rejectionPredicateLog, "rejection")
          ? FallbackTrigger.REJECTION
          : null;
    }
    if (exceptionFallback == null) {
      return null;
    }
    return matches(exceptionWhen, t, exceptionPredicateLog, "exception")
        ? FallbackTrigger.EXCEPTION
        : null;
  }

  /** Tests a trigger predicate; one that throws is no match, or its VirtualMachineError escapes. */
  private static <C extends Throwable> boolean matches(
      Predicate<? super C> predicate, C cause, ThrottledLog log, String which) {
    try {
      return predicate.test(cause);
    } catch (Throwable e) {
      log.callbackThrew(
          e, which + " predicate threw on " + cause.getClass().getName() + "; no fallback");
      return false;
    }
  }

  @SuppressWarnings("unchecked") // through Policy, the result of type T is tested as an R
  private boolean resultMatches(Predicate<? super R> predicate, @Nullable Object result) {
    try {
      return ((Predicate<@Nullable Object>) predicate).test(result);
    } catch (Throwable e) {
      resultPredicateLog.callbackThrew(e, "result predicate threw; no fallback");
      return false;
    }
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

  /**
   * Builds a {@link Fallback}: for each trigger, which outcomes it matches and the function that
   * serves the substitute. Set at least one fallback function. Trigger setters add to earlier calls
   * of the same trigger; a function setter replaces an earlier function. Not thread-safe; the
   * fallback it builds is immutable.
   *
   * @param <R> the type of the substitute answer
   */
  public static final class Builder<R extends @Nullable Object> {
    private final String name;
    private @Nullable Predicate<? super Throwable> exceptionWhen;
    private @Nullable Function<? super Throwable, ? extends R> exceptionFallback;
    private @Nullable Predicate<? super RejectedException> rejectionWhen;
    private @Nullable Function<? super RejectedException, ? extends R> rejectionFallback;
    private @Nullable Predicate<? super R> resultWhen;
    private @Nullable Function<? super R, ? extends R> resultFallback;
    private @Nullable Scheduler scheduler;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * The time source, the one every Ballast pattern takes: a fallback schedules nothing and reads
     * only the scheduler's ticker, which times the rate limit of its WARN lines (a throwing
     * predicate or listener). Give the scheduler the rest of the pipeline runs on; in tests, a
     * manual one.
     *
     * @param scheduler default: the system ticker
     * @return this builder
     */
    public Builder<R> scheduler(Scheduler scheduler) {
      this.scheduler = notNull("scheduler", scheduler);
      return this;
    }

    /**
     * Triggers the exception fallback on exceptions of these types (or subtypes). Adds to earlier
     * {@code onException} and {@code onExceptionWhen} calls; without any, the exception fallback
     * handles every {@link Exception} (not {@link Error}s).
     *
     * @param types exception types to substitute for; none may be a {@link RejectedException},
     *     which {@link #onRejected} handles
     * @return this builder
     * @throws IllegalArgumentException when {@code types} is empty or names a rejection type
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never exposed
    public final Builder<R> onException(Class<? extends Throwable>... types) {
      notNull("types", types);
      if (types.length == 0) {
        throw new IllegalArgumentException("types must name at least one type, was empty");
      }
      List<Class<? extends Throwable>> list = new ArrayList<>(types.length);
      for (int i = 0; i < types.length; i++) {
        Class<? extends Throwable> type = notNull("types[" + i + "]", types[i]);
        if (RejectedException.class.isAssignableFrom(type)) {
          throw new IllegalArgumentException(
              "types["
                  + i
                  + "] must not be a RejectedException (rejections go to onRejected), was "
                  + type.getName());
        }
        list.add(type);
      }
      List<Class<? extends Throwable>> copy = List.copyOf(list);
      return addExceptionWhen(
          t -> {
            for (Class<? extends Throwable> type : copy) {
              if (type.isInstance(t)) {
                return true;
              }
            }
            return false;
          });
    }

    /**
     * Triggers the exception fallback on exceptions matching {@code predicate}. Adds to earlier
     * calls. The predicate never sees a {@link RejectedException}: rejections go to {@link
     * #onRejected} alone.
     *
     * @param predicate true to substitute for the exception
     * @return this builder
     */
    public Builder<R> onExceptionWhen(Predicate<? super Throwable> predicate) {
      return addExceptionWhen(notNull("predicate", predicate));
    }

    private Builder<R> addExceptionWhen(Predicate<? super Throwable> next) {
      Predicate<? super Throwable> prior = exceptionWhen;
      exceptionWhen = prior == null ? next : t -> prior.test(t) || next.test(t);
      return this;
    }

    /**
     * Sets the function that serves the substitute when the exception trigger matches; it sees the
     * exception the call threw. It may throw only unchecked exceptions; what it throws reaches the
     * caller with the call's exception added as suppressed.
     *
     * @param fallback from the call's exception to the substitute
     * @return this builder
     */
    public Builder<R> exceptionFallback(Function<? super Throwable, ? extends R> fallback) {
      exceptionFallback = notNull("exceptionFallback", fallback);
      return this;
    }

    /**
     * Serves {@code value} when the exception trigger matches.
     *
     * @param value the substitute, which may be {@code null} when {@code R} allows it
     * @return this builder
     */
    public Builder<R> exceptionFallbackValue(R value) {
      exceptionFallback = e -> value;
      return this;
    }

    /**
     * Triggers the rejection fallback only on rejections with one of these reasons. Adds to earlier
     * {@code onRejected} and {@code onRejectedWhen} calls; without any, the rejection fallback
     * handles every {@link RejectedException}.
     *
     * @param reasons the reasons to substitute for; at least one
     * @return this builder
     */
    public Builder<R> onRejected(RejectedException.Reason... reasons) {
      notNull("reasons", reasons);
      if (reasons.length == 0) {
        throw new IllegalArgumentException("reasons must name at least one reason, was empty");
      }
      Set<RejectedException.Reason> set = EnumSet.noneOf(RejectedException.Reason.class);
      for (int i = 0; i < reasons.length; i++) {
        set.add(notNull("reasons[" + i + "]", reasons[i]));
      }
      return addRejectionWhen(r -> set.contains(r.reason()));
    }

    /**
     * Triggers the rejection fallback only on rejections matching {@code predicate}. Adds to
     * earlier calls.
     *
     * @param predicate true to substitute for the rejection
     * @return this builder
     */
    public Builder<R> onRejectedWhen(Predicate<? super RejectedException> predicate) {
      return addRejectionWhen(notNull("predicate", predicate));
    }

    private Builder<R> addRejectionWhen(Predicate<? super RejectedException> next) {
      Predicate<? super RejectedException> prior = rejectionWhen;
      rejectionWhen = prior == null ? next : r -> prior.test(r) || next.test(r);
      return this;
    }

    /**
     * Sets the function that serves the substitute when a policy refused the call (a breaker open,
     * a bulkhead full); it sees the rejection, with its {@code reason()} and {@code retryAfter()}.
     * It may throw only unchecked exceptions; rethrowing the rejection lets it reach the caller
     * unchanged.
     *
     * @param fallback from the rejection to the substitute
     * @return this builder
     */
    public Builder<R> rejectionFallback(Function<? super RejectedException, ? extends R> fallback) {
      rejectionFallback = notNull("rejectionFallback", fallback);
      return this;
    }

    /**
     * Serves {@code value} when the rejection trigger matches.
     *
     * @param value the substitute, which may be {@code null} when {@code R} allows it
     * @return this builder
     */
    public Builder<R> rejectionFallbackValue(R value) {
      rejectionFallback = e -> value;
      return this;
    }

    /**
     * Triggers the result fallback on returned values matching {@code predicate} (an empty answer,
     * an error page). Adds to earlier calls. Required with {@link #resultFallback}.
     *
     * @param predicate true to substitute for the value
     * @return this builder
     */
    public Builder<R> onResult(Predicate<? super R> predicate) {
      notNull("predicate", predicate);
      Predicate<? super R> prior = resultWhen;
      resultWhen = prior == null ? predicate : r -> prior.test(r) || predicate.test(r);
      return this;
    }

    /**
     * Sets the function that serves the substitute when the result trigger matches; it sees the
     * value the call returned. It may throw only unchecked exceptions, which reach the caller.
     *
     * @param fallback from the call's result to the substitute
     * @return this builder
     */
    public Builder<R> resultFallback(Function<? super R, ? extends R> fallback) {
      resultFallback = notNull("resultFallback", fallback);
      return this;
    }

    /**
     * Serves {@code value} when the result trigger matches.
     *
     * @param value the substitute, which may be {@code null} when {@code R} allows it
     * @return this builder
     */
    public Builder<R> resultFallbackValue(R value) {
      resultFallback = r -> value;
      return this;
    }

    /**
     * Builds the fallback.
     *
     * @return an immutable, thread-safe fallback
     * @throws IllegalArgumentException when no fallback function is set, or a trigger is set
     *     without its function (or the result function without its trigger)
     */
    public Fallback<R> build() {
      if (exceptionFallback == null && rejectionFallback == null && resultFallback == null) {
        throw new IllegalArgumentException(
            "fallback '"
                + name
                + "' needs exceptionFallback, rejectionFallback or resultFallback; none was set");
      }
      requireBoth("onException", exceptionWhen != null, "exceptionFallback", exceptionFallback);
      requireBoth("onRejected", rejectionWhen != null, "rejectionFallback", rejectionFallback);
      requireBoth("onResult", resultWhen != null, "resultFallback", resultFallback);
      if (resultFallback != null && resultWhen == null) {
        throw new IllegalArgumentException(
            "fallback '" + name + "': resultFallback is set but onResult is not");
      }
      return new Fallback<>(this);
    }

    private void requireBoth(
        String trigger, boolean triggerSet, String function, @Nullable Object fn) {
      if (triggerSet && fn == null) {
        throw new IllegalArgumentException(
            "fallback '" + name + "': " + trigger + " is set but " + function + " is not");
      }
    }
  }
}
