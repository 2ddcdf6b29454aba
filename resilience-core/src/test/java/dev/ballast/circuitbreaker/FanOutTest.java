package dev.ballast.circuitbreaker;

import static dev.ballast.circuitbreaker.Breakers.config;
import static dev.ballast.circuitbreaker.Breakers.fail;
import static dev.ballast.circuitbreaker.Breakers.slow;
import static dev.ballast.circuitbreaker.Breakers.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.OutcomeClassifier;
import dev.ballast.TestTicker;
import dev.ballast.testlog.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several listeners on one breaker: each hears every event, each guarded on its own. */
final class FanOutTest {
  private final TestTicker ticker = new TestTicker();

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  /** The kinds of event a listener hears. */
  enum Kind {
    TRANSITION,
    REJECTED,
    SUCCESS,
    FAILURE,
    IGNORED,
    SLOW,
    THRESHOLD
  }

  /** Records every event by kind; when {@code fatal} is set, throws it from that kind instead. */
  static final class Listener implements CircuitBreakerListener {
    final List<Kind> heard = new CopyOnWriteArrayList<>();
    private final @Nullable Kind fatal;
    private final boolean buggy;

    Listener(@Nullable Kind fatal, boolean buggy) {
      this.fatal = fatal;
      this.buggy = buggy;
    }

    private void on(Kind kind) {
      if (kind == fatal) {
        throw new StackOverflowError("listener overflow on " + kind);
      }
      if (buggy) {
        throw new IllegalStateException("listener bug on " + kind);
      }
      heard.add(kind);
    }

    @Override
    public void onStateTransition(CircuitBreakerState from, CircuitBreakerState to) {
      on(Kind.TRANSITION);
    }

    @Override
    public void onRejected(CircuitBreakerState state) {
      on(Kind.REJECTED);
    }

    @Override
    public void onSuccess(long durationNanos) {
      on(Kind.SUCCESS);
    }

    @Override
    public void onFailure(long durationNanos, @Nullable Throwable error) {
      on(Kind.FAILURE);
    }

    @Override
    public void onIgnored(long durationNanos, @Nullable Throwable error) {
      on(Kind.IGNORED);
    }

    @Override
    public void onSlowCall(long durationNanos) {
      on(Kind.SLOW);
    }

    @Override
    public void onThresholdCrossed(double failureRate, double slowCallRate, long calls) {
      on(Kind.THRESHOLD);
    }
  }

  private CircuitBreaker breaker(String name) {
    return CircuitBreaker.of(
        name,
        config(ticker)
            .consecutiveFailures(1)
            .slowCallDuration(Duration.ofMillis(10))
            .classifier(OutcomeClassifier.builder().ignore(IllegalArgumentException.class).build())
            .build());
  }

  private static void ignored(CircuitBreaker b) {
    try {
      b.call(
          () -> {
            throw new IllegalArgumentException("not the dependency's fault");
          });
    } catch (IllegalArgumentException expected) {
      // the caller's own outcome; the breaker ignores it
    }
  }

  /** Makes {@code b} emit one event of {@code kind} (and perhaps others before it). */
  private void emit(CircuitBreaker b, Kind kind) {
    switch (kind) {
      case TRANSITION -> b.forceOpen();
      case REJECTED -> b.tryAcquire(); // forced open beforehand
      case SUCCESS -> succeed(b, 1);
      case FAILURE -> fail(b, 1);
      case IGNORED -> ignored(b);
      case SLOW -> slow(b, ticker, Duration.ofMillis(20));
      case THRESHOLD -> fail(b, 1); // disabled beforehand
    }
  }

  private static void prepare(CircuitBreaker b, Kind kind) {
    if (kind == Kind.REJECTED) {
      b.forceOpen();
    } else if (kind == Kind.THRESHOLD) {
      b.disable();
    }
  }

  @Test
  void everyListenerHearsEveryEvent() {
    CircuitBreaker b = breaker("fanout");
    Listener one = new Listener(null, false);
    Listener two = new Listener(null, false);
    b.addListener(one);
    b.addListener(two);
    succeed(b, 1);
    slow(b, ticker, Duration.ofMillis(20)); // slow: a streak of one, which trips; then reported
    b.reset();
    ignored(b);
    fail(b, 1); // trips
    b.tryAcquire();
    b.disable();
    fail(b, 1); // crosses the threshold, not enforced
    List<Kind> expected =
        List.of(
            Kind.SUCCESS,
            Kind.TRANSITION,
            Kind.SUCCESS,
            Kind.SLOW,
            Kind.TRANSITION,
            Kind.IGNORED,
            Kind.TRANSITION,
            Kind.FAILURE,
            Kind.REJECTED,
            Kind.TRANSITION,
            Kind.THRESHOLD,
            Kind.FAILURE);
    assertThat(one.heard).containsExactlyElementsOf(expected);
    assertThat(two.heard).containsExactlyElementsOf(expected);
  }

  @Test
  void anErrorOfTheVirtualMachineFromOneListenerReachesTheCallerAfterEveryListenerHeard() {
    for (Kind kind : Kind.values()) {
      String name = "fatal-" + kind.name().toLowerCase(java.util.Locale.ROOT);
      CircuitBreaker b = breaker(name);
      Listener last = new Listener(null, false);
      b.addListener(new Listener(kind, false)); // throws a StackOverflowError on `kind`
      b.addListener(new Listener(null, true)); // then another throws an ordinary exception
      b.addListener(last);
      prepare(b, kind);
      Consumer<Kind> heardIt = k -> assertThat(last.heard).as("%s heard", kind).contains(k);
      assertThatThrownBy(() -> emit(b, kind))
          .as("the caller gets the error of %s", kind)
          .isInstanceOf(StackOverflowError.class)
          .hasMessage("listener overflow on " + kind);
      heardIt.accept(kind);
      assertThat(LogCapture.lines(CircuitBreaker.class.getName()))
          .as("the ordinary exception is logged for %s", kind)
          .anySatisfy(
              l -> assertThat(l.message()).startsWith("name=" + name + " listener threw; ignored"));
    }
  }
}
