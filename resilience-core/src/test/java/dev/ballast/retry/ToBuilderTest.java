package dev.ballast.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@code toBuilder()} copies a builder, not a built config: settings derived from others stay
 * derived until set, so a copy changed in one option equals a fresh builder changed the same way.
 */
final class ToBuilderTest {
  private final TestScheduler scheduler = new TestScheduler(new TestTicker());
  private final Executor inline = Runnable::run;
  private final Random random = new Random(3);
  private final Predicate<Throwable> retryIllegalState = IllegalStateException.class::isInstance;
  private final Predicate<Throwable> abortUnsupported =
      UnsupportedOperationException.class::isInstance;
  private final Predicate<@Nullable Object> retryEmpty = ""::equals;
  private final DelayFunction delays = (attempt, result, error) -> null;

  /** A config with every option set away from its default. */
  @SuppressWarnings("NullAway") // it sees retryOnResult's Predicate<@Nullable Object> as <Object>
  private RetryConfig.Builder everything(RetryConfig.Builder b) {
    return b.maxAttempts(7)
        .maxDuration(Duration.ofSeconds(3))
        .backoff(Backoff.fixed(Duration.ofMillis(5)))
        .delayFunction(delays, Duration.ofSeconds(2))
        .retryOn(IOException.class)
        .retryWhen(retryIllegalState)
        .abortOn(FileNotFoundException.class)
        .abortWhen(abortUnsupported)
        .retryOnResult(retryEmpty)
        .retryOnOverload(true)
        .waitForRetryAfter(Duration.ofSeconds(2))
        .budget(0.2, 3, Duration.ofSeconds(30))
        .countCalls(true)
        .random(random)
        .scheduler(scheduler)
        .executor(inline);
  }

  /** One change per option, each to a value no config here has. */
  @SuppressWarnings("NullAway") // it sees retryOnResult's Predicate<@Nullable Object> as <Object>
  private Map<String, UnaryOperator<RetryConfig.Builder>> changes() {
    Map<String, UnaryOperator<RetryConfig.Builder>> m = new LinkedHashMap<>();
    m.put("maxAttempts", b -> b.maxAttempts(4));
    m.put("maxDuration", b -> b.maxDuration(Duration.ofMinutes(1)));
    m.put("backoff", b -> b.backoff(Backoff.fixed(Duration.ofMillis(1))));
    DelayFunction other = (attempt, result, error) -> Duration.ZERO;
    m.put("delayFunction", b -> b.delayFunction(other, Duration.ofSeconds(1)));
    m.put("retryOn", b -> b.retryOn(ArithmeticException.class));
    Predicate<Throwable> when = t -> false;
    m.put("retryWhen", b -> b.retryWhen(when));
    m.put("abortOn", b -> b.abortOn(SecurityException.class));
    m.put("abortWhen", b -> b.abortWhen(when));
    Predicate<@Nullable Object> result = r -> r == null;
    m.put("retryOnResult", b -> b.retryOnResult(result));
    m.put("retryOnOverload", b -> b.retryOnOverload(false));
    m.put("waitForRetryAfter", b -> b.waitForRetryAfter(Duration.ofSeconds(9)));
    m.put("budget", b -> b.budget(0.5, 1, Duration.ofSeconds(5)));
    m.put("countCalls", b -> b.countCalls(false));
    Random otherRandom = new Random(4);
    m.put("random", b -> b.random(otherRandom));
    TestScheduler otherScheduler = new TestScheduler(new TestTicker());
    m.put("scheduler", b -> b.scheduler(otherScheduler));
    Executor otherExecutor = r -> r.run();
    m.put("executor", b -> b.executor(otherExecutor));
    return m;
  }

  @Test
  void aCopyBuiltAsIsEqualsTheOriginalFieldByField() throws IllegalAccessException {
    for (RetryConfig x :
        List.of(RetryConfig.defaults(), everything(RetryConfig.builder()).build())) {
      RetryConfig copy = x.toBuilder().build();
      assertThat(copy).isEqualTo(x).hasSameHashCodeAs(x);
      // Field by field, so that a field added later and forgotten by toBuilder() or equals()
      // shows here.
      for (Field f : RetryConfig.class.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())
            || f.getName().equals("retryOn")
            || f.getName().equals("abortOn")
            || f.getName().equals("retryOnResult")) {
          continue; // the derived rules are rebuilt from the copied types and predicates
        }
        f.setAccessible(true);
        assertThat(f.get(copy)).as(f.getName()).isEqualTo(f.get(x));
      }
    }
  }

  @Test
  void aCopyChangedInOneOptionEqualsAFreshBuilderChangedTheSameWay() {
    for (Map.Entry<String, UnaryOperator<RetryConfig.Builder>> change : changes().entrySet()) {
      UnaryOperator<RetryConfig.Builder> c = change.getValue();
      assertThat(c.apply(RetryConfig.defaults().toBuilder()).build())
          .as("defaults().toBuilder().%s", change.getKey())
          .isEqualTo(c.apply(RetryConfig.builder()).build());
      RetryConfig x = everything(RetryConfig.builder()).build();
      assertThat(c.apply(x.toBuilder()).build())
          .as("x.toBuilder().%s", change.getKey())
          .isEqualTo(c.apply(everything(RetryConfig.builder())).build())
          .isNotEqualTo(x);
    }
  }

  @Test
  void aBudgetSetOnACopyTurnsOnCallCountingAsOnABuilder() {
    RetryConfig copy =
        RetryConfig.defaults().toBuilder().budget(0.1, 1, Duration.ofSeconds(1)).build();
    assertThat(copy.countCalls()).isTrue();
    assertThat(copy.toBuilder().maxAttempts(2).build().countCalls()).isTrue();
    assertThat(RetryConfig.defaults().toBuilder().build().countCalls()).isFalse();
  }

  @Test
  void theExclusionOfErrorsSurvivesACopy() {
    RetryConfig everything = RetryConfig.builder().retryWhen(t -> true).build();
    for (RetryConfig c :
        List.of(
            RetryConfig.defaults().toBuilder().build(),
            everything,
            everything.toBuilder().build(),
            everything.toBuilder().maxAttempts(5).build())) {
      assertThat(c.retryOn().test(new IOException())).isTrue();
      assertThat(c.retryOn().test(new AssertionError())).isFalse();
    }
    assertThat(RetryConfig.defaults().toBuilder().build().retryOn())
        .isSameAs(RetryConfig.defaults().retryOn());
    RetryConfig errors = everything.toBuilder().retryOn(AssertionError.class).build();
    assertThat(errors.retryOn().test(new AssertionError())).isTrue();
    assertThat(errors.retryOn().test(new OutOfMemoryError())).isFalse();
  }

  @Test
  void rulesCopiedAreAddedToLikeABuildersRules() {
    RetryConfig io = RetryConfig.builder().retryOn(IOException.class).build();
    RetryConfig more = io.toBuilder().retryOn(IllegalStateException.class).build();
    assertThat(more.retryOn().test(new IOException())).isTrue();
    assertThat(more.retryOn().test(new IllegalStateException())).isTrue();
    assertThat(more.retryOn().test(new IllegalArgumentException())).isFalse();
    assertThat(io.retryOn().test(new IllegalStateException())).isFalse();
  }

  @Test
  @SuppressWarnings({"SelfEquals", "EqualsIncompatibleType"}) // the point of the test
  void aConfigEqualsItselfAndNothingButAnEqualConfig() {
    RetryConfig x = everything(RetryConfig.builder()).build();
    assertThat(x.equals(x)).isTrue();
    assertThat(x.equals(x.backoff())).isFalse();
    assertThat(x.equals(null)).isFalse();
    RetryConfig three = everything(RetryConfig.builder()).maxAttempts(3).build();
    RetryConfig four = everything(RetryConfig.builder()).maxAttempts(4).build();
    assertThat(three).isNotEqualTo(four).doesNotHaveSameHashCodeAs(four);
    assertThat(three).hasSameHashCodeAs(everything(RetryConfig.builder()).maxAttempts(3).build());
  }
}
