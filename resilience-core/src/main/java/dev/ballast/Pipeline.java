package dev.ballast;

import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.internal.Suppression;
import java.util.IdentityHashMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Policies composed outermost first, itself a {@link Policy}.
 *
 * <p>{@code Pipeline.of(fallback, retry, timeout, breaker, bulkhead)} runs a call as the nesting
 * expression {@code fallback(retry(timeout(breaker(bulkhead(call)))))}: the first policy sees the
 * call first and its outcome last. {@link #toString()} prints that expression.
 *
 * <p>Adjacent {@linkplain Gate gates} run without allocating: each gate's permit lives in a stack
 * frame of one small recursive method, is acquired in order and completed in reverse on every exit
 * path, {@link Error}s included. A gate that refuses releases nothing of its own and the outer
 * gates see a {@link RejectedException}, which none of them counts as a failure. A gate that throws
 * an error of its own (a listener's {@link VirtualMachineError}) is not the dependency failing
 * either: the gates outside it in its run complete their permits with the call's outcome (or
 * release them, when the call was not made), and then the caller gets the gate's error. A wrapper
 * (retry, timeout, fallback) nests around the rest of the pipeline; what it lets through is what
 * the gates outside it see.
 *
 * <p><b>On a hot path, decorate once.</b> {@link #decorate} composes the chain once: each wrapper
 * {@linkplain Policy#decorate decorates} the supplier the rest of the pipeline decorated, and each
 * run of adjacent gates becomes one supplier over its permits, so the decorated supplier's {@code
 * get()} allocates nothing beyond what the policies need (a retry or a breaker: nothing on
 * success). {@link #call}, {@link #get} and {@link #run} build, on every call, one lambda per
 * wrapper to stand for the rest of the pipeline (which the JIT removes only where it inlines the
 * whole chain); use them where a call is made once or the function differs per call.
 *
 * <p>A pipeline holds each policy instance once, nested pipelines included: the same breaker twice
 * would take a half-open probe in its outer place and refuse it in its inner one, and the same
 * retry twice would multiply its attempts. {@link #of} refuses that when the pipeline is built.
 *
 * <p>Immutable and thread-safe.
 */
public final class Pipeline implements Policy {
  private final Policy[] policies;
  private final boolean[] gate;

  /** Whether {@code policies[i]} is the first gate of a run of adjacent gates. */
  private final boolean[] runStart;

  private Pipeline(Policy[] policies) {
    this.policies = policies;
    this.gate = new boolean[policies.length];
    this.runStart = new boolean[policies.length];
    for (int i = 0; i < policies.length; i++) {
      gate[i] = policies[i] instanceof Gate;
      runStart[i] = gate[i] && (i == 0 || !gate[i - 1]);
    }
  }

  /**
   * Composes policies, outermost first.
   *
   * @param policies the policies, outermost first; at least one, none null, and no policy instance
   *     twice (looking inside nested pipelines too)
   * @return the pipeline
   * @throws IllegalArgumentException when {@code policies} is empty or holds one policy twice; the
   *     message names the policy and where it appears
   */
  public static Pipeline of(Policy... policies) {
    notNull("policies", policies);
    if (policies.length == 0) {
      throw new IllegalArgumentException("policies must name at least one policy, was empty");
    }
    Policy[] copy = policies.clone();
    for (int i = 0; i < copy.length; i++) {
      if (copy[i] == null) {
        throw new NullPointerException("policies[" + i + "] must not be null");
      }
    }
    IdentityHashMap<Policy, String> seen = new IdentityHashMap<>();
    for (int i = 0; i < copy.length; i++) {
      collect(copy[i], "policies[" + i + "]", null, seen);
    }
    return new Pipeline(copy);
  }

  /** Records {@code p} (and, for a pipeline, what it holds) as seen at {@code where}. */
  private static void collect(
      Policy p, String where, @Nullable Pipeline inside, IdentityHashMap<Policy, String> seen) {
    String first = seen.putIfAbsent(p, where);
    if (first != null) {
      throw new IllegalArgumentException(
          "policies must hold each policy once, was "
              + p
              + " at "
              + first
              + " and again at "
              + where
              + (inside == null ? "" : " (inside the nested pipeline " + inside + ")"));
    }
    if (p instanceof Pipeline nested) {
      for (int j = 0; j < nested.policies.length; j++) {
        collect(nested.policies[j], where + "[" + j + "]", nested, seen);
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Builds one lambda per wrapper in the pipeline on every call; {@link #decorate} builds them
   * once, for the hot path.
   *
   * @throws NullPointerException when {@code callable} is null, before any policy runs
   */
  @Override
  public <T extends @Nullable Object, X extends Throwable> T call(CheckedCallable<T, X> callable)
      throws X {
    notNull("callable", callable);
    return callFrom(0, policies.length, callable);
  }

  /**
   * Runs {@code policies[i..stop)} around {@code callable}; {@code stop} is the pipeline's end, or
   * the end of a run of gates that a decorated supplier composed.
   */
  private <T extends @Nullable Object, X extends Throwable> T callFrom(
      int i, int stop, CheckedCallable<T, X> callable) throws X {
    if (i == stop) {
      return callable.call();
    }
    if (!gate[i]) {
      return policies[i].call(() -> callFrom(i + 1, stop, callable));
    }
    Gate g = (Gate) policies[i];
    long permit;
    try {
      permit = g.acquire();
    } catch (RuntimeException | Error own) {
      if (runStart[i] || own instanceof RejectedException) {
        throw own;
      }
      throw new GateFault(own, GateFault.NOT_CALLED, null, null);
    }
    T result;
    try {
      // The innermost gate calls the callable itself: one recursion less, so that C2, which
      // inlines a recursive method one level deep, inlines a run of two gates whole.
      result = i + 1 == stop ? callable.call() : callFrom(i + 1, stop, callable);
    } catch (Throwable t) {
      RuntimeException instead = failed(g, permit, t, runStart[i]);
      if (instead == null) {
        throw t;
      }
      throw instead;
    }
    try {
      g.onResult(permit, result);
    } catch (RuntimeException | Error own) {
      if (runStart[i]) {
        throw own;
      }
      throw new GateFault(own, GateFault.RESULT, result, null);
    }
    return result;
  }

  /**
   * Completes {@code g}'s permit after what is inside it threw {@code t}, and returns what to throw
   * instead of {@code t}, or null to rethrow it. When {@code t} is a {@link GateFault} (a gate
   * further in, of this run, threw from its own method), {@code g} completes with the call's
   * outcome, not with the fault; at the run's first gate the fault gives way to what the gate
   * threw, which the caller then gets.
   */
  private static @Nullable RuntimeException failed(
      Gate g, long permit, Throwable t, boolean runStart) {
    if (t instanceof GateFault f) {
      try {
        f.complete(g, permit);
      } catch (RuntimeException | Error again) { // the first gate's throwable wins
        boolean unused = Suppression.addCapped(f.thrown, again);
      }
      return runStart ? f.unwrap() : f;
    }
    try {
      g.onError(permit, t);
    } catch (RuntimeException | Error own) {
      if (runStart) {
        throw own;
      }
      return new GateFault(own, GateFault.ERROR, null, t);
    }
    return null;
  }

  /**
   * What a gate that is not the first of its run threw from its own {@code acquire}, {@code
   * onResult} or {@code onError} (a listener's {@link VirtualMachineError}, say), carried out to
   * the run's first gate with the call's outcome, so that the gates outside it complete their
   * permits with that outcome (or release them, when the call was not made) instead of counting the
   * gate's error as the dependency's failure. It never leaves the run: the first gate throws what
   * the gate threw. Allocated only on that path; no stack trace.
   */
  private static final class GateFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final int NOT_CALLED = 0;
    static final int RESULT = 1;
    static final int ERROR = 2;

    final Throwable thrown;
    private final int kind;
    private final transient @Nullable Object result;
    private final @Nullable Throwable callError;

    GateFault(Throwable thrown, int kind, @Nullable Object result, @Nullable Throwable callError) {
      super(null, null, false, false);
      this.thrown = thrown;
      this.kind = kind;
      this.result = result;
      this.callError = callError;
    }

    void complete(Gate g, long permit) {
      Throwable error = callError;
      if (kind == NOT_CALLED) {
        g.release(permit);
      } else if (kind == ERROR && error != null) {
        g.onError(permit, error);
      } else {
        g.onResult(permit, result);
      }
    }

    /** What the gate threw, unchecked as every gate method's throwable is. */
    RuntimeException unwrap() {
      if (thrown instanceof Error e) {
        throw e;
      }
      return (RuntimeException) thrown;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Composes the chain now, innermost first: a wrapper's own {@code decorate} wraps what the
   * policies inside it decorated, and a run of adjacent gates becomes one supplier that takes their
   * permits as {@link #call} does (a gate's own {@code call} or {@code decorate} is not used). The
   * returned supplier allocates nothing per call beyond what the policies need.
   */
  @Override
  public <T extends @Nullable Object> Supplier<T> decorate(Supplier<T> supplier) {
    notNull("supplier", supplier);
    Supplier<T> inner = supplier;
    int end = policies.length;
    while (end > 0) {
      if (!gate[end - 1]) {
        inner = policies[end - 1].decorate(inner);
        end--;
        continue;
      }
      int start = end - 1;
      while (start > 0 && gate[start - 1]) {
        start--;
      }
      inner = new GateRun<>(this, start, end, inner);
      end = start;
    }
    return inner;
  }

  /** A run of adjacent gates, {@code policies[start..end)}, around a decorated supplier. */
  private static final class GateRun<T extends @Nullable Object> implements Supplier<T> {
    private final Pipeline pipeline;
    private final int start;
    private final int end;
    private final CheckedCallable<T, RuntimeException> inner;

    GateRun(Pipeline pipeline, int start, int end, Supplier<T> inner) {
      this.pipeline = pipeline;
      this.start = start;
      this.end = end;
      this.inner = inner::get; // built once, not per call
    }

    @Override
    public T get() {
      return pipeline.callFrom(start, end, inner);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException when {@code supplier} is null, before any policy runs
   */
  @Override
  public <T extends @Nullable Object> CompletionStage<T> callAsync(
      Supplier<? extends CompletionStage<T>> supplier) {
    notNull("supplier", supplier);
    return callAsyncFrom(0, supplier);
  }

  private <T extends @Nullable Object> CompletionStage<T> callAsyncFrom(
      int i, Supplier<? extends CompletionStage<T>> supplier) {
    if (i == policies.length) {
      return supplier.get();
    }
    return policies[i].callAsync(() -> callAsyncFrom(i + 1, supplier));
  }

  /**
   * The nesting expression this pipeline runs, such as {@code retry(breaker(call))}.
   *
   * @return the expression
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Policy p : policies) {
      sb.append(p).append('(');
    }
    sb.append("call");
    sb.append(")".repeat(policies.length));
    return sb.toString();
  }
}
