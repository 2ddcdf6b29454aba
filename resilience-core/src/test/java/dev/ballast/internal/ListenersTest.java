package dev.ballast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.Subscription;
import dev.ballast.TestTicker;
import dev.ballast.Together;
import dev.ballast.testlog.LogCapture;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The one listener path: who hears an event, in which order, and what a listener that throws does.
 */
final class ListenersTest {
  private static final String LOGGER = "dev.ballast.internal.ListenersTest.probe";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  /** A listener: hears a word and a number. */
  @FunctionalInterface
  private interface Hears {
    void hear(String word, long n);
  }

  private static final Listeners.Event1<Hears, String> HEAR =
      (l, word, error, n, unused) -> l.hear(word, n);

  private final List<String> heard = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger changes = new AtomicInteger();
  private final ThrottledLog log = new ThrottledLog(LOG, "probe", new TestTicker());
  private final Listeners<Hears> listeners =
      new Listeners<>("probe 'p'", log, changes::incrementAndGet);

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  private Hears named(String name) {
    return (word, n) -> heard.add(name + ":" + word + n);
  }

  private void tell(String word) {
    listeners.emit(HEAR, word, null, 1, 0);
  }

  @Test
  void anEventOfNumbersAndAnErrorReachesEveryListener() {
    Listeners.Event<Hears> failed =
        (l, error, x, y) ->
            l.hear(error == null ? "none" : String.valueOf(error.getMessage()), x + y);
    listeners.add(named("a"));
    listeners.add(named("b"));

    listeners.emit(failed, new IllegalStateException("down"), 40, 2);
    listeners.emit(failed, null, 1, 0);

    assertThat(heard).containsExactly("a:down42", "b:down42", "a:none1", "b:none1");
  }

  @Test
  void nobodyListeningIsEmptyAndAnEventReachesNobody() {
    assertThat(listeners.isEmpty()).isTrue();
    assertThat(listeners.size()).isZero();
    tell("x");
    assertThat(heard).isEmpty();
  }

  @Test
  void listenersHearEachEventOnceInTheOrderAdded() {
    listeners.add(named("a"));
    listeners.add(named("b"));
    listeners.add(named("c"));
    tell("x");

    assertThat(heard).containsExactly("a:x1", "b:x1", "c:x1");
    assertThat(listeners.isEmpty()).isFalse();
    assertThat(changes).hasValue(3);
  }

  @Test
  void removingAListenerKeepsTheOthersInTheirOrderAndRemovingTwiceDoesNothing() {
    Subscription a = listeners.add(named("a"));
    Subscription b = listeners.add(named("b"));
    listeners.add(named("c"));

    b.close();
    tell("1");
    a.close();
    a.close();
    tell("2");

    assertThat(heard).containsExactly("a:11", "c:11", "c:21");
    assertThat(changes).as("three additions and two removals").hasValue(5);
  }

  @Test
  void theSameListenerAddedTwiceIsHeardTwiceAndEachSubscriptionRemovesOne() {
    Hears a = named("a");
    Subscription first = listeners.add(a);
    Subscription second = listeners.add(a);
    tell("x");
    first.close();
    tell("y");
    second.close();
    tell("z");

    assertThat(heard).containsExactly("a:x1", "a:x1", "a:y1");
    assertThat(listeners.isEmpty()).isTrue();
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void refusesANullListenerAndOneBeyondTheMostNamingTheOwner() {
    assertThatNullPointerException()
        .isThrownBy(() -> listeners.add(null))
        .withMessageContaining("listener");
    for (int i = 0; i < Listeners.MAX; i++) {
      listeners.add(named("l" + i));
    }
    assertThatIllegalStateException()
        .isThrownBy(() -> listeners.add(named("one too many")))
        .withMessage("probe 'p' already has 64 listeners");
    tell("x");
    assertThat(heard).hasSize(Listeners.MAX);
  }

  @Test
  void aListenerThatThrowsIsLoggedOnceAndTheOthersStillHear() {
    RuntimeException boom = new IllegalStateException("boom");
    listeners.add(named("a"));
    listeners.add(
        (w, n) -> {
          throw boom;
        });
    listeners.add(named("c"));

    tell("x");
    tell("y");

    assertThat(heard).containsExactly("a:x1", "c:x1", "a:y1", "c:y1");
    List<LogCapture.Line> lines = LogCapture.lines(LOGGER);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).level()).isEqualTo(Level.WARN);
    assertThat(lines.get(0).message()).isEqualTo("name=probe listener threw; ignored");
    assertThat(lines.get(0).error()).isSameAs(boom);
    assertThat(log.suppressed()).isEqualTo(1);
  }

  @Test
  void aVirtualMachineErrorIsRethrownAfterEveryListenerHeardTheFirstOneWins() {
    StackOverflowError first = new StackOverflowError("first");
    OutOfMemoryError second = new OutOfMemoryError("second");
    listeners.add(
        (w, n) -> {
          throw first;
        });
    listeners.add(named("b"));
    listeners.add(
        (w, n) -> {
          throw second;
        });
    listeners.add(named("d"));

    assertThatThrownBy(() -> tell("x")).isSameAs(first);
    assertThat(heard).containsExactly("b:x1", "d:x1");
    assertThat(LogCapture.lines(LOGGER)).as("fatal errors are thrown, not logged").isEmpty();
  }

  @Test
  void aListenerMayAddAndRemoveListenersWhileHearingAndTheDeliveryInProgressIsUnchanged() {
    Subscription[] self = new Subscription[1];
    self[0] =
        listeners.add(
            (w, n) -> {
              heard.add("self:" + w);
              self[0].close();
              listeners.add(named("late"));
              listeners.emit(HEAR, "nested", null, 2, 0);
            });
    listeners.add(named("b"));

    tell("x");
    tell("y");

    assertThat(heard)
        .containsExactly("self:x", "b:nested2", "late:nested2", "b:x1", "b:y1", "late:y1");
  }

  @Test
  void manyThreadsAddingAndRemovingLoseNoListenerAndLeaveNoneBehind() throws Exception {
    int threads = 8;
    int rounds = 2_000;
    AtomicInteger heardByKept = new AtomicInteger();
    listeners.add((word, n) -> heardByKept.incrementAndGet());
    Together.run(
        threads,
        t -> {
          for (int r = 0; r < rounds; r++) {
            Subscription s = listeners.add((word, n) -> {});
            listeners.emit(HEAR, "w", null, 0, 0);
            s.close();
          }
        });

    assertThat(listeners.size()).as("only the kept listener is left").isEqualTo(1);
    assertThat(changes).hasValue(1 + 2 * threads * rounds);
    tell("after");
    assertThat(heardByKept)
        .as("every event reached the listener kept throughout")
        .hasValue(threads * rounds + 1);
  }
}
