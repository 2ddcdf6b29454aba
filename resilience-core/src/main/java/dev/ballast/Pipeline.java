package dev.ballast;

import static dev.ballast.internal.Preconditions.notNull;

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
 * gates see a {@link RejectedException}, which none of them counts as a failure. A wrapper (retry,
 * timeout, fallback) nests around the rest of the pipeline.
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

  private Pipeline(Policy[] policies) {
    this.policies = policies;
    this.gate = new boolean[policies.length];
    for (int i = 0; i < policies.length; i++) {
      gate[i] = policies[i] instanceof Gate;
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
    long permit = g.acquire();
    T result;
    try {
      result = callFrom(i + 1, stop, callable);
    } catch (Throwable t) {
      g.onError(permit, t);
      throw t;
    }
    g.onResult(permit, result);
    return result;
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
