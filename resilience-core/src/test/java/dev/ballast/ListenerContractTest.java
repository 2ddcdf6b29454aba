package dev.ballast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadConfig;
import dev.ballast.bulkhead.BulkheadListener;
import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkheadListener;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerListener;
import dev.ballast.fallback.Fallback;
import dev.ballast.fallback.FallbackConfig;
import dev.ballast.fallback.FallbackListener;
import dev.ballast.fallback.FallbackTrigger;
import dev.ballast.governor.Decision;
import dev.ballast.governor.Governor;
import dev.ballast.governor.GovernorConfig;
import dev.ballast.governor.GovernorListener;
import dev.ballast.queue.BackPressure;
import dev.ballast.queue.BoundedQueue;
import dev.ballast.queue.BoundedQueueConfig;
import dev.ballast.queue.BoundedQueueListener;
import dev.ballast.ratelimiter.RateLimiter;
import dev.ballast.ratelimiter.RateLimiterConfig;
import dev.ballast.ratelimiter.RateLimiterListener;
import dev.ballast.registry.BallastRegistry;
import dev.ballast.registry.ComponentType;
import dev.ballast.registry.RegistryListener;
import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryConfig;
import dev.ballast.retry.RetryListener;
import dev.ballast.shed.AdaptiveThrottle;
import dev.ballast.shed.AdaptiveThrottleConfig;
import dev.ballast.shed.AdaptiveThrottleListener;
import dev.ballast.shed.LoadShedder;
import dev.ballast.shed.LoadShedderConfig;
import dev.ballast.shed.LoadShedderListener;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutConfig;
import dev.ballast.timeout.TimeoutListener;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The listener contract every pattern keeps, run over every pattern: a listener hears its event
 * until removed; one that throws changes neither what the caller gets nor what the others hear; the
 * 65th is refused naming the component; a listener may call the component from inside an event; and
 * nobody listening costs nothing. A new pattern joins by adding one {@link Subject} to {@link
 * #patterns()}.
 */
final class ListenerContractTest {

  /** One pattern under the contract: one event it reports, and the call that makes it happen. */
  interface Subject {
    /** Adds a listener that runs {@code hear} each time the event happens. */
    Subscription listen(Runnable hear);

    /** Makes the event happen once; returns what the caller got, as text. */
    String trigger();

    /** The success path, for the allocation check. */
    void succeed();

    /** Bytes a success may allocate with nobody listening (the pattern's own cost). */
    default long successBytes() {
      return 0;
    }
  }

  static Stream<Subject> patterns() {
    return Stream.of(
        new Breaker(),
        new TimeoutSubject(),
        new RetrySubject(),
        new FallbackSubject(),
        new BulkheadSubject(),
        new ThreadPoolBulkheadSubject(),
        new LoadShedderSubject(),
        new AdaptiveThrottleSubject(),
        new GovernorSubject(),
        new RateLimiterSubject(),
        new BoundedQueueSubject(),
        new RegistrySubject());
  }

  private static String outcome(CheckedCallable<String, Exception> call) {
    try {
      return "returned " + call.call();
    } catch (Exception e) {
      return "threw " + e;
    }
  }

  private static String fail() throws IOException {
    throw new IOException("down");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("patterns")
  void aListenerHearsItsEventUntilRemoved(Subject subject) {
    AtomicInteger heard = new AtomicInteger();
    Subscription s = subject.listen(heard::incrementAndGet);
    subject.trigger();
    assertThat(heard).hasValue(1);

    s.close();
    s.close();
    subject.trigger();

    assertThat(heard).as("removed, and removing twice does nothing").hasValue(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("patterns")
  void aListenerThatThrowsChangesNeitherTheCallersOutcomeNorWhatTheOthersHear(Subject subject) {
    String baseline = subject.trigger();
    AtomicInteger before = new AtomicInteger();
    AtomicInteger after = new AtomicInteger();
    subject.listen(before::incrementAndGet);
    subject.listen(
        () -> {
          throw new IllegalStateException("listener bug");
        });
    subject.listen(after::incrementAndGet);

    assertThat(subject.trigger()).isEqualTo(baseline);
    assertThat(subject.trigger()).isEqualTo(baseline);
    assertThat(before).hasValue(2);
    assertThat(after).hasValue(2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("patterns")
  void theSixtyFifthListenerIsRefusedNamingTheComponent(Subject subject) {
    AtomicInteger heard = new AtomicInteger();
    List<Subscription> all = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      all.add(subject.listen(heard::incrementAndGet));
    }
    assertThatIllegalStateException()
        .isThrownBy(() -> subject.listen(() -> {}))
        .withMessageContaining("'contract'")
        .withMessageContaining("64");

    subject.trigger();
    assertThat(heard).hasValue(64);
    all.get(0).close();
    subject.listen(heard::incrementAndGet);
    assertThat(heard).as("room again once one is removed").hasValue(64);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("patterns")
  void aListenerMayCallTheComponentFromInsideAnEvent(Subject subject) {
    String baseline = subject.trigger();
    AtomicInteger heard = new AtomicInteger();
    List<String> inner = new ArrayList<>();
    subject.listen(
        () -> {
          if (heard.incrementAndGet() == 1) {
            inner.add(subject.trigger());
          }
        });

    assertThat(subject.trigger()).isEqualTo(baseline);
    assertThat(inner).containsExactly(baseline);
    assertThat(heard).as("the outer event and the one the listener caused").hasValue(2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("patterns")
  void nobodyListeningCostsNothingAndARemovedListenerLeavesNoCost(Subject subject) {
    long alone = Allocations.bytesPerCall(subject::succeed);
    subject.listen(() -> {}).close();
    long afterRemoval = Allocations.bytesPerCall(subject::succeed);

    assertThat(alone).isLessThanOrEqualTo(subject.successBytes());
    assertThat(afterRemoval).isEqualTo(alone);
  }

  /** The breaker's failure event. */
  static final class Breaker implements Subject {
    final CircuitBreaker breaker =
        CircuitBreaker.of(
            "contract",
            CircuitBreakerConfig.builder().countWindow(1_000).ticker(new TestTicker()).build());

    @Override
    public Subscription listen(Runnable hear) {
      return breaker.addListener(
          new CircuitBreakerListener() {
            @Override
            public void onFailure(long durationNanos, @Nullable Throwable error) {
              hear.run();
            }
          });
    }

    @Override
    public String trigger() {
      return outcome(() -> breaker.call(ListenerContractTest::fail));
    }

    @Override
    public void succeed() {
      breaker.call(() -> "ok");
    }

    @Override
    public String toString() {
      return "circuit breaker";
    }
  }

  /** The timeout's failure event. */
  static final class TimeoutSubject implements Subject {
    final Timeout timeout =
        Timeout.of(
            "contract",
            TimeoutConfig.builder(Duration.ofSeconds(1))
                .scheduler(new TestScheduler(new TestTicker()))
                .build());

    @Override
    public Subscription listen(Runnable hear) {
      return timeout.addListener(
          new TimeoutListener() {
            @Override
            public void onFailure(long durationNanos, Throwable error) {
              hear.run();
            }
          });
    }

    @Override
    public String trigger() {
      return outcome(() -> timeout.call(ListenerContractTest::fail));
    }

    @Override
    public void succeed() {
      timeout.call(() -> "ok");
    }

    @Override
    public long successBytes() {
      return 80; // the test scheduler's entry that arms the deadline, not the listeners
    }

    @Override
    public String toString() {
      return "timeout";
    }
  }

  /** The retry's retry event: the first attempt fails, the second succeeds. */
  static final class RetrySubject implements Subject {
    final Retry retry =
        Retry.of(
            "contract",
            RetryConfig.builder()
                .maxAttempts(2)
                .scheduler(new TestScheduler(new TestTicker()))
                .build());

    @Override
    public Subscription listen(Runnable hear) {
      return retry.addListener(
          new RetryListener() {
            @Override
            public void onRetry(int attempt, long delayNanos, @Nullable Throwable cause) {
              hear.run();
            }
          });
    }

    @Override
    public String trigger() {
      AtomicInteger attempts = new AtomicInteger();
      return outcome(
          () ->
              retry.call(
                  () -> {
                    if (attempts.incrementAndGet() == 1) {
                      throw new IOException("down");
                    }
                    return "ok after " + attempts.get();
                  }));
    }

    @Override
    public void succeed() {
      retry.call(() -> "ok");
    }

    @Override
    public String toString() {
      return "retry";
    }
  }

  /** The fallback's fallback event. */
  static final class FallbackSubject implements Subject {
    final Fallback<String> fallback =
        Fallback.of(
            "contract",
            FallbackConfig.<String>builder()
                .onException(IOException.class)
                .exceptionFallbackValue("fallback")
                .build());

    @Override
    public Subscription listen(Runnable hear) {
      return fallback.addListener(
          new FallbackListener() {
            @Override
            public void onFallback(FallbackTrigger trigger, @Nullable Throwable cause) {
              hear.run();
            }
          });
    }

    @Override
    public String trigger() {
      return outcome(() -> fallback.call(ListenerContractTest::fail));
    }

    @Override
    public void succeed() {
      fallback.call(() -> "ok");
    }

    @Override
    public String toString() {
      return "fallback";
    }
  }

  /** The bulkhead's rejection: its one permit is held between calls, so a call is refused. */
  static final class BulkheadSubject implements Subject {
    final Bulkhead bulkhead =
        Bulkhead.of("contract", BulkheadConfig.builder().maxConcurrentCalls(1).build());
    long held = bulkhead.acquire();

    @Override
    public Subscription listen(Runnable hear) {
      return bulkhead.addListener(
          new BulkheadListener() {
            @Override
            public void onRejected(long inFlight) {
              hear.run();
            }
          });
    }

    @Override
    public String trigger() {
      return outcome(() -> bulkhead.call(() -> "never"));
    }

    @Override
    public void succeed() {
      bulkhead.release(held);
      bulkhead.call(() -> "ok");
      held = bulkhead.acquire();
    }

    @Override
    public String toString() {
      return "bulkhead";
    }
  }

  /**
   * The thread-pool bulkhead's rejection: it is closed, so every call is refused on the caller's
   * thread and no thread is started. Its "success" is a refused submit, the path that emits.
   */
  static final class ThreadPoolBulkheadSubject implements Subject {
    final ThreadPoolBulkhead pool = ThreadPoolBulkhead.ofDefaults("contract");

    ThreadPoolBulkheadSubject() {
      pool.close();
    }

    @Override
    public Subscription listen(Runnable hear) {
      return pool.addListener(
          new ThreadPoolBulkheadListener() {
            @Override
            public void onRejected() {
              hear.run();
            }
          });
    }

    @Override
    public String trigger() {
      return outcome(() -> pool.call(() -> "never"));
    }

    @Override
    public void succeed() {
      pool.submit(() -> "never");
    }

    @Override
    public long successBytes() {
      return 1_024; // the task, its stage and the rejection: never the listeners
    }

    @Override
    public String toString() {
      return "thread-pool bulkhead";
    }
  }

  /**
   * The load shedder's rejection: each trigger lets the last samples leave the window, makes one
   * slow call (shedding starts), spends the bucket's probe, and is refused.
   */
  static final class LoadShedderSubject implements Subject {
    final TestTicker ticker = new TestTicker();
    final LoadShedder shedder =
        LoadShedder.of(
            "contract",
            LoadShedderConfig.builder()
                .target(Duration.ofMillis(100))
                .window(Duration.ofSeconds(10))
                .minimumSamples(1)
                .probesPerWindow(1)
                .ticker(ticker)
                .build());

    @Override
    public Subscription listen(Runnable hear) {
      return shedder.addListener(
          new LoadShedderListener() {
            @Override
            public void onRejected(long measuredNanos) {
              hear.run();
            }
          });
    }

    @Override
    public String trigger() {
      ticker.advance(Duration.ofSeconds(10));
      long slow = shedder.acquire();
      ticker.advanceMillis(500);
      shedder.onResult(slow, "slow");
      shedder.release(shedder.acquire()); // the bucket's probe
      return outcome(() -> shedder.call(() -> "never"));
    }

    @Override
    public void succeed() {
      shedder.call(() -> "ok");
    }

    @Override
    public String toString() {
      return "load shedder";
    }
  }

  /**
   * The adaptive throttle's local refusal: the backend refused its one request, and the throttle's
   * draw is 0 when triggered (refused whenever p > 0) and 1 on the success path (never refused).
   */
  static final class AdaptiveThrottleSubject implements Subject {
    double draw;
    final AdaptiveThrottle throttle =
        AdaptiveThrottle.of(
            "contract",
            AdaptiveThrottleConfig.builder()
                .minimumRequests(1)
                .random(
                    new RandomGenerator() {
                      @Override
                      public long nextLong() {
                        throw new UnsupportedOperationException();
                      }

                      @Override
                      public double nextDouble() {
                        return draw;
                      }
                    })
                .ticker(new TestTicker())
                .build());

    AdaptiveThrottleSubject() {
      throttle.onError(throttle.acquire(), new IOException("refused"));
    }

    @Override
    public Subscription listen(Runnable hear) {
      return throttle.addListener(
          new AdaptiveThrottleListener() {
            @Override
            public void onRejected(double probability) {
              hear.run();
            }
          });
    }

    @Override
    public String trigger() {
      draw = 0;
      try {
        throttle.call(() -> "never");
        return "admitted";
      } catch (RejectedException e) {
        return "threw " + e.getClass().getSimpleName() + " " + e.reason(); // its figures move
      }
    }

    @Override
    public void succeed() {
      draw = 1;
      throttle.call(() -> "ok");
    }

    @Override
    public String toString() {
      return "adaptive throttle";
    }
  }

  /** The governor's refusal: triggered while paused; the success path is an allowed action. */
  static final class GovernorSubject implements Subject {
    final Governor governor =
        Governor.of(
            "contract",
            GovernorConfig.builder()
                .action("act", Integer.MAX_VALUE, Duration.ofNanos(Integer.MAX_VALUE))
                .ticker(new TestTicker())
                .build());

    @Override
    public Subscription listen(Runnable hear) {
      return governor.addListener(
          new GovernorListener() {
            @Override
            public void onRejected(Decision decision) {
              hear.run();
            }
          });
    }

    @Override
    public String trigger() {
      governor.pause("contract");
      try {
        return governor.decide("act").toString();
      } finally {
        governor.resume();
      }
    }

    @Override
    public void succeed() {
      governor.decide("act");
    }

    @Override
    public String toString() {
      return "governor";
    }
  }

  /**
   * The rate limiter's refusal: each trigger refills its one permit, spends it, and is refused. Its
   * clock is a plain field, which moves without allocating.
   */
  static final class RateLimiterSubject implements Subject {
    long now;
    final Ticker ticker = () -> now;
    final RateLimiter limiter =
        RateLimiter.of(
            "contract",
            RateLimiterConfig.builder()
                .limitForPeriod(1)
                .period(Duration.ofSeconds(1))
                .ticker(ticker)
                .build());

    @Override
    public Subscription listen(Runnable hear) {
      return limiter.addListener(
          new RateLimiterListener() {
            @Override
            public void onRejected(long permits, long retryAfterNanos) {
              hear.run();
            }
          });
    }

    @Override
    public String trigger() {
      now += 1_000_000_000L;
      limiter.acquire();
      return outcome(() -> limiter.call(() -> "never"));
    }

    @Override
    public void succeed() {
      now += 1_000_000_000L;
      limiter.call(() -> "ok");
    }

    @Override
    public String toString() {
      return "rate limiter";
    }
  }

  /**
   * The bounded queue's rejection: a full queue of one refuses {@code add}; the success path takes
   * its element and puts it back.
   */
  static final class BoundedQueueSubject implements Subject {
    final BoundedQueue<String> queue =
        BoundedQueue.of(
            "contract", BoundedQueueConfig.builder().capacity(1).ticker(new TestTicker()).build());

    BoundedQueueSubject() {
      queue.add("resident");
    }

    @Override
    public Subscription listen(Runnable hear) {
      return queue.addListener(
          new BoundedQueueListener() {
            @Override
            public void onRejected(BackPressure cause, long size) {
              hear.run();
            }
          });
    }

    @Override
    public String trigger() {
      return outcome(() -> Boolean.toString(queue.add("refused")));
    }

    @Override
    public void succeed() {
      String resident = queue.poll();
      if (resident != null) {
        queue.offer(resident);
      }
    }

    @Override
    public String toString() {
      return "bounded queue";
    }
  }

  /**
   * The registry's add event: each trigger asks for a new name; the success path finds an existing
   * component by name.
   */
  static final class RegistrySubject implements Subject {
    final BallastRegistry registry = BallastRegistry.builder().name("contract").build();
    int next;

    RegistrySubject() {
      registry.circuitBreaker("resident");
    }

    @Override
    public Subscription listen(Runnable hear) {
      return registry.addListener(
          new RegistryListener() {
            @Override
            public void onAdded(ComponentType<?, ?> type, String name, Object component) {
              hear.run();
            }
          });
    }

    @Override
    public String trigger() {
      return outcome(() -> registry.circuitBreaker("breaker-" + next++).getClass().getSimpleName());
    }

    @Override
    public void succeed() {
      registry.circuitBreaker("resident");
    }

    @Override
    public String toString() {
      return "registry";
    }
  }
}
