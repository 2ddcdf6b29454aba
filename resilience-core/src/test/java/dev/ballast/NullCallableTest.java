package dev.ballast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.circuitbreaker.CircuitBreakerListener;
import dev.ballast.circuitbreaker.CircuitBreakerState;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A null call is the caller's mistake: every entry point throws a NullPointerException naming the
 * parameter before it takes a permit, counts anything or tells a listener.
 */
@SuppressWarnings("NullAway") // passes null on purpose
final class NullCallableTest {

  private static void refuses(ThrowingCallable entry, String parameter) {
    assertThatThrownBy(entry)
        .isInstanceOf(NullPointerException.class)
        .hasMessage(parameter + " must not be null");
  }

  /** Every entry point of a policy, each given null. */
  private static void everyEntryRefusesNull(Policy p) {
    refuses(() -> p.call(null), "callable");
    refuses(() -> p.get(null), "supplier");
    refuses(() -> p.run(null), "runnable");
    refuses(() -> p.decorate(null), "supplier");
    refuses(() -> p.callAsync(null), "supplier");
  }

  /** Hears every event. */
  static final class Events implements CircuitBreakerListener {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onStateTransition(CircuitBreakerState from, CircuitBreakerState to) {
      seen.add(from + "->" + to);
    }

    @Override
    public void onRejected(CircuitBreakerState state) {
      seen.add("rejected");
    }

    @Override
    public void onSuccess(long durationNanos) {
      seen.add("success");
    }

    @Override
    public void onFailure(long durationNanos, @Nullable Throwable error) {
      seen.add("failure");
    }

    @Override
    public void onIgnored(long durationNanos, @Nullable Throwable error) {
      seen.add("ignored");
    }
  }

  @Test
  void aNullCallIsNeverCountedAsAFailureOfTheDependency() {
    CircuitBreaker breaker =
        CircuitBreaker.of("nulls", CircuitBreakerConfig.builder().consecutiveFailures(3).build());
    Events events = new Events();
    breaker.addListener(events);
    for (int i = 0; i < 3; i++) {
      refuses(() -> breaker.call(null), "callable");
    }
    everyEntryRefusesNull(breaker);
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(breaker.stats().windowCalls()).isZero();
    assertThat(events.seen).isEmpty();
  }

  @Test
  void anOpenBreakerRefusesANullCallAsNullNotAsARejection() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("open");
    breaker.forceOpen();
    everyEntryRefusesNull(breaker);
    assertThat(breaker.stats().rejections()).isZero();
  }

  @Test
  void aPipelineRefusesANullCallBeforeAnyPolicyRuns() {
    List<String> log = new CopyOnWriteArrayList<>();
    Gate gate = new CountingGate(log);
    Policy wrapper = new CountingWrapper(log);
    everyEntryRefusesNull(Pipeline.of(wrapper, gate));
    assertThat(log).isEmpty();
  }

  @Test
  void theDefaultMethodsOfGateAndPolicyRefuseANullCall() {
    List<String> log = new CopyOnWriteArrayList<>();
    everyEntryRefusesNull(new CountingGate(log));
    refuses(() -> new CountingWrapper(log).get(null), "supplier");
    refuses(() -> new CountingWrapper(log).run(null), "runnable");
    refuses(() -> new CountingWrapper(log).decorate(null), "supplier");
    assertThat(log).isEmpty();
  }

  /** A gate that logs its protocol. */
  static final class CountingGate implements Gate {
    private final List<String> log;

    CountingGate(List<String> log) {
      this.log = log;
    }

    @Override
    public long acquire() {
      log.add("acquire");
      return 1;
    }

    @Override
    public void onResult(long permit, @Nullable Object result) {
      log.add("result");
    }

    @Override
    public void onError(long permit, Throwable error) {
      log.add("error");
    }

    @Override
    public void release(long permit) {
      log.add("release");
    }
  }

  /** A wrapper that logs what it runs, and checks nothing itself. */
  static final class CountingWrapper implements Policy {
    private final List<String> log;

    CountingWrapper(List<String> log) {
      this.log = log;
    }

    @Override
    public <T extends @Nullable Object, X extends Throwable> T call(CheckedCallable<T, X> c)
        throws X {
      log.add("call");
      return c.call();
    }

    @Override
    public <T extends @Nullable Object> CompletionStage<T> callAsync(
        Supplier<? extends CompletionStage<T>> supplier) {
      log.add("callAsync");
      return supplier.get();
    }
  }
}
