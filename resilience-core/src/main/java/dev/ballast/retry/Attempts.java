package dev.ballast.retry;

import dev.ballast.internal.Suppression;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The state of one call that needed more than its first attempt: built only after a failure, so the
 * success path never allocates it. Confined to one thread at a time: the sync caller, or the thread
 * running an async call's loop (AsyncCall: its `wip` counter orders each step's writes before the
 * next step's reads). A cancellation reads `attempt` from outside the loop when it records the
 * call; a retry starting at that instant may then be counted in retries() while the call counts as
 * ended without retry, a benign skew of one.
 */
class Attempts {
  /** The most suppressed exceptions the retry leaves on an exception: {@link Suppression#MAX}. */
  static final int MAX_SUPPRESSED = Suppression.MAX;

  /** When the first attempt started on the ticker (0 when no time bound is set). */
  final long start;

  /** The number of the attempt made last: 1 for the first. */
  int attempt = 1;

  /** The backoff's delay before the last retry, before any retryAfter stretched it. */
  long backoffNanos;

  private @Nullable List<Throwable> earlier;

  Attempts(long start) {
    this.start = start;
  }

  /**
   * Keeps an earlier attempt's exception, to add to the last one as suppressed: distinct ones, up
   * to one more than {@link #MAX_SUPPRESSED}, since one of them may turn out to be the last
   * exception itself, which is never suppressed into itself.
   */
  final void remember(@Nullable Throwable error) {
    if (error == null) {
      return;
    }
    List<Throwable> list = earlier;
    if (list == null) {
      list = new ArrayList<>(4);
      earlier = list;
    }
    if (list.size() <= MAX_SUPPRESSED && !containsSame(list, error)) {
      list.add(error);
    }
  }

  /**
   * Adds the earlier attempts' distinct exceptions to {@code last}, skipping any it holds already
   * (nothing at all to a {@link VirtualMachineError}) and stopping once it holds {@link
   * #MAX_SUPPRESSED} suppressed exceptions, so that an exception instance thrown again and again (a
   * shared one) never grows without bound. Calls ending at the same instant on one shared exception
   * may each add one past the cap before they see the others' additions: the cap is exceeded by at
   * most the number of such racing calls, once.
   */
  final void suppressInto(Throwable last) {
    List<Throwable> list = earlier;
    if (list == null) {
      return;
    }
    for (Throwable e : list) {
      boolean unused = Suppression.addCapped(last, e); // the one rule: capped, no duplicates
    }
  }

  private static boolean containsSame(List<Throwable> list, Throwable t) {
    for (Throwable e : list) {
      if (e == t) {
        return true;
      }
    }
    return false;
  }
}
