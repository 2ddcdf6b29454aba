package dev.ballast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.TestTicker;
import dev.ballast.testlog.LogCapture;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class PredicatesTest {
  private static final String LOGGER = "dev.ballast.internal.PredicatesTest.probe";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final ThrottledLog log = new ThrottledLog(LOG, "stock", new TestTicker());

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  @SafeVarargs
  @SuppressWarnings("varargs") // the array is only read, or returned to a test that owns it
  private static List<Class<? extends Throwable>> types(Class<? extends Throwable>... types) {
    return Predicates.types("types", types);
  }

  @Test
  void aTypeListMatchesItsTypesAndTheirSubtypesOnly() {
    Predicate<Throwable> p = Predicates.instanceOfAny(types(IOException.class));
    assertThat(p.test(new IOException())).isTrue();
    assertThat(p.test(new FileNotFoundException())).isTrue();
    assertThat(p.test(new TimeoutException())).isFalse();
    assertThat(
            Predicates.isAny(
                types(IOException.class, TimeoutException.class), new TimeoutException()))
        .isTrue();
  }

  @Test
  void aTypeListIsCopiedSoLaterChangesToTheArrayDoNotLeakIn() {
    Class<? extends Throwable>[] array = newArray(IOException.class);
    List<Class<? extends Throwable>> copy = Predicates.types("types", array);
    array[0] = TimeoutException.class;
    assertThat(copy).containsExactly(IOException.class);
  }

  @SafeVarargs
  @SuppressWarnings("varargs") // the array is only read, or returned to a test that owns it
  private static Class<? extends Throwable>[] newArray(Class<? extends Throwable>... types) {
    return types;
  }

  @Test
  @SuppressWarnings("NullAway") // passes nulls on purpose
  void badTypeListsAreRefusedNamingTheParameter() {
    assertThatThrownBy(() -> Predicates.types("retryOn", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("retryOn");
    assertThatThrownBy(() -> Predicates.types("retryOn", newArray()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retryOn must name at least one type, was empty");
    assertThatThrownBy(() -> Predicates.types("retryOn", newArray(IOException.class, null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("retryOn[1]");
  }

  @Test
  void orAsksThePriorFirstAndIsTheNextAloneWithoutOne() {
    Predicate<String> empty = String::isEmpty;
    assertThat(Predicates.<String>or(null, empty)).isSameAs(empty);
    Predicate<String> either = Predicates.or(empty, s -> s.equals("x"));
    assertThat(either.test("")).isTrue();
    assertThat(either.test("x")).isTrue();
    assertThat(either.test("y")).isFalse();
  }

  @Test
  void anyOfIsNullForNoneTheOneForOneAndEitherForMany() {
    Predicate<String> empty = String::isEmpty;
    Predicate<String> isX = "x"::equals;
    assertThat(Predicates.anyOf(List.<Predicate<String>>of())).isNull();
    assertThat(Predicates.anyOf(List.of(empty))).isSameAs(empty);
    List<Predicate<String>> both = List.of(empty, isX);
    Predicate<String> any = Objects.requireNonNull(Predicates.anyOf(both));
    assertThat(any.test("")).isTrue();
    assertThat(any.test("x")).isTrue();
    assertThat(any.test("y")).isFalse();
  }

  @Test
  void aPredicateThatThrowsAnExceptionIsLoggedAndTheDefaultTaken() {
    Predicate<Throwable> broken =
        t -> {
          throw new IllegalStateException("bug");
        };
    assertThat(
            Predicates.testError(
                broken, new IOException(), true, log, "abortOn predicate", "aborting"))
        .isTrue();
    assertThat(Predicates.test(broken, new IOException(), false, log, "result predicate threw"))
        .isFalse();
    assertThat(LogCapture.lines(LOGGER))
        .extracting(LogCapture.Line::message)
        .containsExactly("name=stock abortOn predicate threw on java.io.IOException; aborting");
  }

  @Test
  void aPredicateThatThrowsAVirtualMachineErrorPropagatesUnlogged() {
    OutOfMemoryError oom = new OutOfMemoryError("predicate");
    Predicate<@Nullable Object> broken =
        t -> {
          throw oom;
        };
    assertThatThrownBy(() -> Predicates.testError(broken, new IOException(), false, log, "p", "x"))
        .isSameAs(oom);
    assertThatThrownBy(() -> Predicates.test(broken, "r", false, log, "p threw")).isSameAs(oom);
    assertThat(LogCapture.lines(LOGGER)).isEmpty();
  }

  @Test
  void aPredicateThatAnswersIsNotGuardedAway() {
    assertThat(Predicates.testError(t -> true, new IOException(), false, log, "p", "x")).isTrue();
    assertThat(Predicates.test(s -> false, "r", true, log, "p threw")).isFalse();
    assertThat(LogCapture.lines(LOGGER)).isEmpty();
  }
}
