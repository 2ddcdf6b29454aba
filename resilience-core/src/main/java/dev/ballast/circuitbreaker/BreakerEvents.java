package dev.ballast.circuitbreaker;

import static dev.ballast.circuitbreaker.CircuitBreaker.FAILURE;
import static dev.ballast.circuitbreaker.CircuitBreaker.SLOW;
import static dev.ballast.circuitbreaker.CircuitBreaker.SUCCESS;

import dev.ballast.internal.Listeners;

/** The breaker's listener events and its stats snapshot, beside it to keep it short. Stateless. */
final class BreakerEvents {
  private BreakerEvents() {}

  static final CircuitBreakerState[] STATES = CircuitBreakerState.values();

  /** A transition: {@code x} and {@code y} are the ordinals of the states left and entered. */
  static final Listeners.Event<CircuitBreakerListener> TRANSITION =
      (l, unused, from, to) -> l.onStateTransition(STATES[(int) from], STATES[(int) to]);

  static final Listeners.Event1<CircuitBreakerListener, CircuitBreakerState> REJECTED =
      (l, state, unused, unused2, unused3) -> l.onRejected(state);

  /** An outcome ({@code y}: SUCCESS, FAILURE or IGNORED, plus SLOW), then the slow call. */
  static final Listeners.Event<CircuitBreakerListener> OUTCOME =
      (l, error, duration, outcome) -> {
        int kind = (int) outcome & ~SLOW;
        if (kind == SUCCESS) {
          l.onSuccess(duration);
        } else if (kind == FAILURE) {
          l.onFailure(duration, error);
        } else {
          l.onIgnored(duration, error);
        }
        if ((outcome & SLOW) != 0) {
          l.onSlowCall(duration);
        }
      };

  static final Listeners.Event1<CircuitBreakerListener, TripWindow.Figures> THRESHOLD_CROSSED =
      (l, f, unused, unused2, unused3) ->
          l.onThresholdCrossed(f.failureRate(), f.slowCallRate(), f.calls);

  /** The stats of state {@code s} read at {@code now}. */
  static CircuitBreakerStats stats(BreakerState s, long now, long rejected) {
    TripWindow.Figures f = TripWindow.Figures.EMPTY;
    long successes = 0;
    if (s instanceof BreakerState.Measuring m) {
      f = m.window.figures(now);
      successes = f.calls - f.failures;
    } else if (s instanceof BreakerState.HalfOpen h) {
      successes = h.successes.get();
      f = new TripWindow.Figures(h.granted.get(), 0, 0);
    }
    long untilProbe = 0;
    long openWait = 0;
    long hint = -1;
    if (s instanceof BreakerState.Open o) {
      untilProbe = Math.max(0, o.until - now);
      openWait = o.until - o.enteredAt;
      hint = o.hintNanos;
    }
    return new CircuitBreakerStats(
        s.kind, f, successes, rejected, untilProbe, openWait, hint, s.lastTrip, now);
  }
}
