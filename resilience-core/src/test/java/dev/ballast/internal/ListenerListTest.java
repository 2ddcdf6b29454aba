package dev.ballast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.ballast.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The listeners of one component: who the hot path calls, and how adding and removing go. */
final class ListenerListTest {

  /** A listener: hears a string. */
  @FunctionalInterface
  private interface Hears extends Consumer<String> {}

  /** The shared no-op. */
  private static final class Noop implements Hears {
    @Override
    public void accept(String s) {}
  }

  private static final Hears NOOP = new Noop();

  private final List<String> heard = new ArrayList<>();
  private final AtomicInteger changes = new AtomicInteger();
  private final ListenerList<Hears> list =
      new ListenerList<>("probe 'p'", NOOP, ListenerListTest::fanOut, changes::incrementAndGet);

  private static Hears fanOut(Object[] all) {
    Object[] copy = all.clone();
    return s -> {
      for (Object o : copy) {
        ((Hears) o).accept(s);
      }
    };
  }

  private Hears named(String name) {
    return s -> heard.add(name + ":" + s);
  }

  private void tell(String event) {
    list.current().accept(event);
  }

  @Test
  void nobodyListeningMeansTheNoOp() {
    assertThat(list.current()).isSameAs(NOOP);
    assertThat(list.isEmpty()).isTrue();
  }

  @Test
  void oneListenerIsCalledDirectlyAndSeveralInTheOrderAdded() {
    Hears a = named("a");
    list.add(a);
    assertThat(list.current()).as("no fan-out for one").isSameAs(a);
    assertThat(list.isEmpty()).isFalse();

    list.add(named("b"));
    list.add(named("c"));
    tell("x");

    assertThat(heard).containsExactly("a:x", "b:x", "c:x");
    assertThat(changes).hasValue(3);
  }

  @Test
  void removingAListenerKeepsTheOthersInTheirOrder() {
    Subscription a = list.add(named("a"));
    Subscription b = list.add(named("b"));
    list.add(named("c"));
    Subscription d = list.add(named("d"));

    b.close();
    tell("1");
    a.close();
    tell("2");
    d.close();
    tell("3");

    assertThat(heard).containsExactly("a:1", "c:1", "d:1", "c:2", "d:2", "c:3");
  }

  @Test
  void removingTheLastListenerRestoresTheNoOpAndRemovingTwiceDoesNothing() {
    Subscription a = list.add(named("a"));
    Subscription b = list.add(named("b"));
    a.close();
    b.close();
    assertThat(list.current()).isSameAs(NOOP);
    assertThat(list.isEmpty()).isTrue();
    assertThat(changes).hasValue(4);

    b.close();

    assertThat(changes).as("nothing changed, nothing announced").hasValue(4);
  }

  @Test
  void theSameListenerAddedTwiceIsHeardTwiceAndRemovedOnceAtATime() {
    Hears a = named("a");
    Subscription first = list.add(a);
    list.add(a);

    first.close();
    tell("x");

    assertThat(heard).containsExactly("a:x");
  }

  @Test
  void refusesAListenerBeyondTheMostNamingTheOwner() {
    for (int i = 0; i < ListenerList.MAX; i++) {
      list.add(named("l" + i));
    }
    assertThatIllegalStateException()
        .isThrownBy(() -> list.add(named("one too many")))
        .withMessage("probe 'p' already has 64 listeners");
    tell("x");
    assertThat(heard).hasSize(ListenerList.MAX);
  }
}
