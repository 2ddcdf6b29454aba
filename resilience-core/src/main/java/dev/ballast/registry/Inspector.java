package dev.ballast.registry;

import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadStats;
import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkheadStats;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerStats;
import dev.ballast.fallback.Fallback;
import dev.ballast.fallback.FallbackStats;
import dev.ballast.governor.Governor;
import dev.ballast.governor.GovernorStats;
import dev.ballast.queue.BoundedQueue;
import dev.ballast.queue.BoundedQueueStats;
import dev.ballast.ratelimiter.RateLimiter;
import dev.ballast.ratelimiter.RateLimiterStats;
import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryStats;
import dev.ballast.shed.AdaptiveThrottle;
import dev.ballast.shed.AdaptiveThrottleStats;
import dev.ballast.shed.LoadShedder;
import dev.ballast.shed.LoadShedderStats;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one component's {@code stats()} and judges it: the status rules of docs/health.md, one
 * method per pattern. Every rule reads a figure of the present (a state, what is in use or queued
 * now, a flag decided over the component's own window), never a count since creation, so a probe
 * sees the condition while it lasts and stops seeing it when it ends.
 */
final class Inspector {
  static final String KNOWN =
      "CircuitBreaker, Bulkhead, ThreadPoolBulkhead, Timeout, Retry, Fallback, RateLimiter,"
          + " LoadShedder, AdaptiveThrottle, BoundedQueue, Governor";

  private Inspector() {}

  /**
   * Judges one component.
   *
   * @throws IllegalArgumentException when {@code component} is no Ballast component
   */
  static ComponentHealth inspect(Object component, int index) {
    if (component instanceof CircuitBreaker b) {
      return breaker(b.name(), b.stats());
    } else if (component instanceof Bulkhead b) {
      return bulkhead(b.name(), b.stats());
    } else if (component instanceof ThreadPoolBulkhead p) {
      return pool(p.name(), p.stats());
    } else if (component instanceof Timeout t) {
      return timeout(t.name(), t.stats());
    } else if (component instanceof Retry r) {
      return retry(r.name(), r.stats());
    } else if (component instanceof Fallback<?> f) {
      return fallback(f.name(), f.stats());
    } else if (component instanceof RateLimiter l) {
      return limiter(l.name(), l.stats());
    } else if (component instanceof LoadShedder s) {
      return shedder(s.name(), s.stats(), s.config().target());
    } else if (component instanceof AdaptiveThrottle t) {
      return throttle(t.name(), t.stats());
    } else if (component instanceof BoundedQueue<?> q) {
      return queue(q.name(), q.stats());
    } else if (component instanceof Governor g) {
      return governor(g.name(), g.stats());
    }
    throw new IllegalArgumentException(
        "components["
            + index
            + "] is a "
            + component.getClass().getName()
            + ", not a Ballast component; a health snapshot knows "
            + KNOWN);
  }

  private static ComponentHealth breaker(String name, CircuitBreakerStats s) {
    HealthStatus status =
        switch (s.state()) {
          case CLOSED, DISABLED -> HealthStatus.UP;
          case OPEN, HALF_OPEN, FORCED_OPEN -> HealthStatus.DEGRADED;
        };
    Map<String, Number> f = new LinkedHashMap<>();
    f.put("windowFailureRate", s.windowFailureRate());
    f.put("windowSlowCallRate", s.windowSlowCallRate());
    f.put("windowCalls", s.windowCalls());
    f.put("windowFailures", s.windowFailures());
    f.put("rejections", s.rejections());
    f.put("timeUntilProbeMillis", millis(s.timeUntilProbe()));
    // Why it last opened: the window resets when the breaker opens, the trip keeps its figures.
    CircuitBreakerStats.Trip trip = s.lastTrip().orElse(null);
    f.put("lastTripFailureRate", trip == null ? Double.NaN : trip.windowFailureRate());
    f.put("lastTripSlowCallRate", trip == null ? Double.NaN : trip.windowSlowCallRate());
    f.put("lastTripAgeMillis", trip == null ? Double.NaN : millis(trip.age()));
    return new ComponentHealth("circuitbreaker", name, status, s.state().name(), f);
  }

  private static ComponentHealth bulkhead(String name, BulkheadStats s) {
    // Ordinary calls use only the unreserved permits: the bulkhead is full for them when those are
    // all in use, however many a reserved partition (admin, health) still has free.
    int reserved = 0;
    int reservedInUse = 0;
    for (BulkheadStats.PartitionStats p : s.partitions()) {
      reserved += p.reserved();
      reservedInUse += p.inUse();
    }
    boolean full = s.inFlight() - reservedInUse >= s.maxConcurrentCalls() - reserved;
    Map<String, Number> f = new LinkedHashMap<>();
    f.put("inFlight", (long) s.inFlight());
    f.put("maxConcurrentCalls", (long) s.maxConcurrentCalls());
    f.put("waiting", (long) s.waiting());
    f.put("calls", s.calls());
    f.put("rejections", s.rejections());
    return overloadedWhen(full, "bulkhead", name, "FULL", "AVAILABLE", f);
  }

  private static ComponentHealth pool(String name, ThreadPoolBulkheadStats s) {
    boolean full = s.activeThreads() >= s.maxThreads() && s.queued() >= s.queueCapacity();
    Map<String, Number> f = new LinkedHashMap<>();
    f.put("activeThreads", (long) s.activeThreads());
    f.put("maxThreads", (long) s.maxThreads());
    f.put("queued", (long) s.queued());
    f.put("queueCapacity", (long) s.queueCapacity());
    f.put("calls", s.calls());
    f.put("rejections", s.rejections());
    return overloadedWhen(full, "threadpoolbulkhead", name, "FULL", "AVAILABLE", f);
  }

  private static ComponentHealth timeout(String name, TimeoutStats s) {
    Map<String, Number> f = new LinkedHashMap<>();
    f.put("durationMillis", millis(s.duration()));
    f.put("calls", s.calls());
    f.put("timeouts", s.timeouts());
    f.put("abandonedRunning", s.abandonedRunning());
    f.put("rejections", s.rejections());
    return new ComponentHealth("timeout", name, HealthStatus.UP, "ACTIVE", f);
  }

  private static ComponentHealth retry(String name, RetryStats s) {
    Map<String, Number> f = new LinkedHashMap<>();
    f.put("calls", s.calls());
    f.put("retries", s.retries());
    f.put("successesAfterRetry", s.successesAfterRetry());
    f.put("failuresAfterRetry", s.failuresAfterRetry());
    f.put("budgetRefusals", s.budgetRefusals());
    return new ComponentHealth("retry", name, HealthStatus.UP, "ACTIVE", f);
  }

  private static ComponentHealth fallback(String name, FallbackStats s) {
    Map<String, Number> f = new LinkedHashMap<>();
    f.put("calls", s.calls());
    f.put("fallbacks", s.fallbacks());
    f.put("fallbackFailures", s.fallbackFailures());
    return new ComponentHealth("fallback", name, HealthStatus.UP, "ACTIVE", f);
  }

  private static ComponentHealth limiter(String name, RateLimiterStats s) {
    Map<String, Number> f = new LinkedHashMap<>();
    f.put("limit", (long) s.limit());
    f.put("availablePermits", s.availablePermits());
    f.put("waitingCalls", s.waitingCalls());
    f.put("calls", s.calls());
    f.put("rejections", s.rejections());
    String state = s.availablePermits() > 0 ? "AVAILABLE" : "AT_LIMIT";
    return new ComponentHealth("ratelimiter", name, HealthStatus.UP, state, f);
  }

  private static ComponentHealth shedder(String name, LoadShedderStats s, Duration target) {
    Map<String, Number> f = new LinkedHashMap<>();
    f.put("windowMeanMillis", millis(s.windowMean()));
    f.put("targetMillis", millis(target));
    f.put("windowSamples", s.windowSamples());
    f.put("calls", s.calls());
    f.put("rejections", s.rejections());
    return overloadedWhen(s.shedding(), "loadshedder", name, "SHEDDING", "ACCEPTING", f);
  }

  private static ComponentHealth throttle(String name, AdaptiveThrottleStats s) {
    boolean refusing = s.windowRejectionProbability() > 0;
    Map<String, Number> f = new LinkedHashMap<>();
    f.put("windowRejectionProbability", s.windowRejectionProbability());
    f.put("windowRequests", s.windowRequests());
    f.put("windowAccepts", s.windowAccepts());
    f.put("calls", s.calls());
    f.put("rejections", s.rejections());
    return new ComponentHealth(
        "adaptivethrottle",
        name,
        refusing ? HealthStatus.DEGRADED : HealthStatus.UP,
        refusing ? "THROTTLING" : "ACCEPTING",
        f);
  }

  private static ComponentHealth queue(String name, BoundedQueueStats s) {
    Map<String, Number> f = new LinkedHashMap<>();
    f.put("size", (long) s.size());
    f.put("capacity", (long) s.capacity());
    f.put("enqueues", s.enqueues());
    f.put("rejections", s.rejections());
    f.put("failureRejections", s.failureRejections());
    f.put("drops", s.drops());
    f.put("evictions", s.evictions());
    return switch (s.backPressure()) {
      case NONE -> new ComponentHealth("boundedqueue", name, HealthStatus.UP, "ACCEPTING", f);
      case LOAD ->
          new ComponentHealth("boundedqueue", name, HealthStatus.OVERLOADED, "FULL_LOAD", f);
      case FAILURE ->
          new ComponentHealth("boundedqueue", name, HealthStatus.DEGRADED, "FULL_FAILURE", f);
    };
  }

  private static ComponentHealth governor(String name, GovernorStats s) {
    Map<String, Number> f = new LinkedHashMap<>();
    f.put("allowed", s.allowed());
    f.put("delays", s.delays());
    f.put("rejections", s.rejections());
    f.put("confirmationRequests", s.confirmationRequests());
    f.put("divergence", s.divergence());
    return new ComponentHealth(
        "governor",
        name,
        s.paused() ? HealthStatus.DEGRADED : HealthStatus.UP,
        s.paused() ? "PAUSED" : "RUNNING",
        f);
  }

  private static ComponentHealth overloadedWhen(
      boolean overloaded,
      String pattern,
      String name,
      String overloadedState,
      String upState,
      Map<String, Number> figures) {
    return new ComponentHealth(
        pattern,
        name,
        overloaded ? HealthStatus.OVERLOADED : HealthStatus.UP,
        overloaded ? overloadedState : upState,
        figures);
  }

  /** A duration in milliseconds, fractions kept; never overflows, however long the duration. */
  private static double millis(Duration d) {
    return d.getSeconds() * 1_000.0 + d.getNano() / 1_000_000.0;
  }
}
