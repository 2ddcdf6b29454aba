package dev.ballast.testkit.timeline;

import dev.ballast.RejectedException;
import dev.ballast.Subscription;
import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadListener;
import dev.ballast.bulkhead.BulkheadStats;
import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkheadListener;
import dev.ballast.bulkhead.ThreadPoolBulkheadStats;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerListener;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import dev.ballast.fallback.Fallback;
import dev.ballast.fallback.FallbackListener;
import dev.ballast.fallback.FallbackTrigger;
import dev.ballast.governor.Decision;
import dev.ballast.governor.Governor;
import dev.ballast.governor.GovernorListener;
import dev.ballast.queue.BackPressure;
import dev.ballast.queue.BoundedQueue;
import dev.ballast.queue.BoundedQueueListener;
import dev.ballast.ratelimiter.RateLimiter;
import dev.ballast.ratelimiter.RateLimiterListener;
import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryListener;
import dev.ballast.shed.AdaptiveThrottle;
import dev.ballast.shed.AdaptiveThrottleListener;
import dev.ballast.shed.LoadShedder;
import dev.ballast.shed.LoadShedderListener;
import dev.ballast.testkit.timeline.TimelineEvent.Kind;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutListener;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link Timeline} listens to each pattern: one small adapter per pattern, each through the
 * pattern's public {@code addListener}, turning its callbacks into lane events. The one place that
 * knows the patterns' types; a new pattern gets a branch in {@link #of(Object)} and an adapter.
 */
final class Attachments {
  static final String ACCEPTED =
      "CircuitBreaker, Bulkhead, ThreadPoolBulkhead, Timeout, Retry, Fallback, LoadShedder,"
          + " AdaptiveThrottle, BoundedQueue, Governor or RateLimiter";

  private Attachments() {}

  /** A component about to be attached: its lane's name, its listener, its initial figures. */
  abstract static class Attachment {
    final String lane;

    Attachment(String name, String pattern) {
      this.lane = name + " (" + pattern + ")";
    }

    abstract Subscription listen(Lane lane);

    /** Records the state, limit and level the component has when attached. */
    void recordInitial(Lane lane) {
      sample(lane);
    }

    /** Records the component's level (and its limit if it moved silently); most have none. */
    void sample(Lane lane) {}
  }

  static Attachment of(Object component) {
    if (component instanceof CircuitBreaker c) {
      return breaker(c);
    } else if (component instanceof Bulkhead b) {
      return bulkhead(b);
    } else if (component instanceof ThreadPoolBulkhead p) {
      return threadPool(p);
    } else if (component instanceof Timeout t) {
      return timeout(t);
    } else if (component instanceof Retry r) {
      return retry(r);
    } else if (component instanceof Fallback<?> f) {
      return fallback(f);
    } else if (component instanceof LoadShedder s) {
      return shedder(s);
    } else if (component instanceof AdaptiveThrottle a) {
      return throttle(a);
    } else if (component instanceof BoundedQueue<?> q) {
      return queue(q);
    } else if (component instanceof Governor g) {
      return governor(g);
    } else if (component instanceof RateLimiter r) {
      return rateLimiter(r);
    }
    throw new IllegalArgumentException(
        "component must be a Ballast "
            + ACCEPTED
            + ", was a "
            + component.getClass().getName()
            + ": "
            + component);
  }

  private static Attachment breaker(CircuitBreaker breaker) {
    return new Attachment(breaker.name(), "circuit breaker") {
      @Override
      Subscription listen(Lane lane) {
        return breaker.addListener(
            new CircuitBreakerListener() {
              @Override
              public void onStateTransition(CircuitBreakerState from, CircuitBreakerState to) {
                lane.state(to.name());
              }

              @Override
              public void onRejected(CircuitBreakerState state) {
                lane.rejection("breaker " + state.name());
              }

              @Override
              public void onSuccess(long durationNanos) {
                lane.record(Kind.SUCCESS, durationNanos, 0, "");
              }

              @Override
              public void onFailure(long durationNanos, @Nullable Throwable error) {
                lane.record(Kind.FAILURE, durationNanos, 0, "");
              }
            });
      }

      @Override
      void recordInitial(Lane lane) {
        lane.state(breaker.state().name());
      }
    };
  }

  private static Attachment bulkhead(Bulkhead bulkhead) {
    return new Attachment(bulkhead.name(), "bulkhead") {
      final AtomicLong limit = new AtomicLong(-1);

      @Override
      Subscription listen(Lane lane) {
        return bulkhead.addListener(
            new BulkheadListener() {
              @Override
              public void onRejected(long inFlight) {
                lane.rejection("full, " + inFlight + " in flight");
              }

              @Override
              public void onLimitChanged(long previous, long current) {
                limit.set(current);
                lane.limit(current);
              }
            });
      }

      @Override
      void sample(Lane lane) {
        BulkheadStats stats = bulkhead.stats();
        limitIfMoved(lane, limit, stats.maxConcurrentCalls());
        lane.level(stats.inFlight());
      }
    };
  }

  private static Attachment threadPool(ThreadPoolBulkhead pool) {
    return new Attachment(pool.name(), "thread-pool bulkhead") {
      final AtomicLong limit = new AtomicLong(-1);

      @Override
      Subscription listen(Lane lane) {
        return pool.addListener(
            new ThreadPoolBulkheadListener() {
              @Override
              public void onRejected() {
                lane.rejection("pool and queue full");
              }

              @Override
              public void onCancelled() {
                lane.mark("cancelled");
              }
            });
      }

      @Override
      void sample(Lane lane) {
        ThreadPoolBulkheadStats stats = pool.stats();
        limitIfMoved(lane, limit, (long) stats.maxThreads() + stats.queueCapacity());
        lane.level((long) stats.activeThreads() + stats.queued());
      }
    };
  }

  private static Attachment timeout(Timeout timeout) {
    return new Attachment(timeout.name(), "timeout") {
      @Override
      Subscription listen(Lane lane) {
        return timeout.addListener(
            new TimeoutListener() {
              @Override
              public void onSuccess(long durationNanos) {
                lane.record(Kind.SUCCESS, durationNanos, 0, "");
              }

              @Override
              public void onFailure(long durationNanos, Throwable error) {
                lane.record(Kind.FAILURE, durationNanos, 0, "");
              }

              @Override
              public void onRejected(long durationNanos, RejectedException rejection) {
                lane.rejection("inner " + rejection.reason().name());
              }

              @Override
              public void onTimeout(long durationNanos) {
                lane.record(Kind.TIMEOUT, durationNanos, 0, "");
              }
            });
      }
    };
  }

  private static Attachment retry(Retry retry) {
    return new Attachment(retry.name(), "retry") {
      @Override
      Subscription listen(Lane lane) {
        return retry.addListener(
            new RetryListener() {
              @Override
              public void onRetry(int attempt, long delayNanos, @Nullable Throwable cause) {
                lane.record(Kind.RETRY, delayNanos, attempt, "");
              }

              @Override
              public void onGiveUp(int attempts, @Nullable Throwable cause) {
                lane.mark("gave up after " + attempts);
              }

              @Override
              public void onBudgetExhausted() {
                lane.rejection("retry budget exhausted");
              }
            });
      }
    };
  }

  private static Attachment fallback(Fallback<?> fallback) {
    return new Attachment(fallback.name(), "fallback") {
      @Override
      Subscription listen(Lane lane) {
        return fallback.addListener(
            new FallbackListener() {
              @Override
              public void onFallback(FallbackTrigger trigger, @Nullable Throwable cause) {
                lane.mark("fallback (" + lower(trigger.name()) + ")");
              }

              @Override
              public void onFallbackFailed(
                  FallbackTrigger trigger, @Nullable Throwable cause, Throwable error) {
                lane.mark("fallback failed");
              }
            });
      }
    };
  }

  private static Attachment shedder(LoadShedder shedder) {
    return new Attachment(shedder.name(), "load shedder") {
      @Override
      Subscription listen(Lane lane) {
        return shedder.addListener(
            new LoadShedderListener() {
              @Override
              public void onSheddingStarted(long measuredNanos, long targetNanos) {
                lane.state("SHEDDING");
              }

              @Override
              public void onSheddingStopped(long measuredNanos, long targetNanos) {
                lane.state("NORMAL");
              }

              @Override
              public void onRejected(long measuredNanos) {
                lane.rejection("shed");
              }
            });
      }

      @Override
      void recordInitial(Lane lane) {
        lane.state(shedder.stats().shedding() ? "SHEDDING" : "NORMAL");
      }
    };
  }

  private static Attachment throttle(AdaptiveThrottle throttle) {
    return new Attachment(throttle.name(), "adaptive throttle") {
      @Override
      Subscription listen(Lane lane) {
        return throttle.addListener(
            new AdaptiveThrottleListener() {
              @Override
              public void onRejected(double probability) {
                lane.rejection(String.format(Locale.ROOT, "throttled (p=%.2f)", probability));
              }
            });
      }
    };
  }

  private static Attachment queue(BoundedQueue<?> queue) {
    return new Attachment(queue.name(), "bounded queue") {
      final AtomicLong limit = new AtomicLong(-1);

      @Override
      Subscription listen(Lane lane) {
        return queue.addListener(
            new BoundedQueueListener() {
              @Override
              public void onRejected(BackPressure cause, long size) {
                lane.rejection("full (" + lower(cause.name()) + ")");
              }

              @Override
              public void onDropped(BackPressure cause) {
                lane.rejection("dropped (" + lower(cause.name()) + ")");
              }

              @Override
              public void onEvicted(BackPressure cause, long waitedNanos) {
                lane.rejection("evicted (" + lower(cause.name()) + ")");
              }
            });
      }

      @Override
      void sample(Lane lane) {
        limitIfMoved(lane, limit, queue.stats().capacity());
        lane.level(queue.stats().size());
      }
    };
  }

  private static Attachment governor(Governor governor) {
    return new Attachment(governor.name(), "governor") {
      @Override
      Subscription listen(Lane lane) {
        return governor.addListener(
            new GovernorListener() {
              @Override
              public void onAllowed(String action) {
                lane.record(Kind.SUCCESS, -1, 0, "");
              }

              @Override
              public void onDelayed(Decision decision) {
                lane.mark("delayed " + decision.action());
              }

              @Override
              public void onRejected(Decision decision) {
                lane.rejection(lower(decision.reason().name()));
              }

              @Override
              public void onConfirmationRequired(Decision decision) {
                lane.mark("confirm " + decision.action() + "?");
              }

              @Override
              public void onPaused(String reason) {
                lane.state("PAUSED");
              }

              @Override
              public void onResumed() {
                lane.state("RUNNING");
              }
            });
      }

      @Override
      void recordInitial(Lane lane) {
        lane.state(governor.stats().paused() ? "PAUSED" : "RUNNING");
      }
    };
  }

  private static Attachment rateLimiter(RateLimiter limiter) {
    return new Attachment(limiter.name(), "rate limiter") {
      final AtomicLong limit = new AtomicLong(-1);

      @Override
      Subscription listen(Lane lane) {
        return limiter.addListener(
            new RateLimiterListener() {
              @Override
              public void onRejected(long permits, long retryAfterNanos) {
                lane.rejection("rate limited");
              }

              @Override
              public void onLimitChanged(long oldLimit, long newLimit) {
                limit.set(newLimit);
                lane.limit(newLimit);
              }
            });
      }

      @Override
      void sample(Lane lane) {
        limitIfMoved(lane, limit, limiter.stats().limit());
        lane.level(limiter.stats().availablePermits());
      }
    };
  }

  /** Records {@code now} as the limit when it differs from the last one this lane recorded. */
  private static void limitIfMoved(Lane lane, AtomicLong last, long now) {
    if (last.getAndSet(now) != now) {
      lane.limit(now);
    }
  }

  private static String lower(String constant) {
    return constant.toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
