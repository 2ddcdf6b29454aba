package dev.ballast.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ballast.queue.BoundedQueue;
import dev.ballast.queue.BoundedQueueConfig;
import dev.ballast.queue.Overflow;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The bounded queue's hand-over between threads: an element offered by one thread and polled by
 * another is seen whole, and an eviction under {@code DROP_OLDEST} racing a take loses and doubles
 * nothing.
 */
public final class QueueRaces {

  private QueueRaces() {}

  /** An element whose field is not final, so that only the queue's hand-over publishes it. */
  static final class Box {
    int value;

    Box(int value) {
      this.value = value;
    }
  }

  /** One thread offers a new box, the other polls: the consumer sees 42 or nothing, never 0. */
  @JCStressTest
  @Outcome(id = "-1", expect = ACCEPTABLE, desc = "polled before the offer: empty")
  @Outcome(id = "42", expect = ACCEPTABLE, desc = "polled the box, whole")
  @Outcome(id = "0", expect = FORBIDDEN, desc = "polled a half-published box")
  @Outcome(expect = FORBIDDEN, desc = "anything else")
  @State
  public static class Publication {
    private final BoundedQueue<Box> queue =
        BoundedQueue.of("jcstress", BoundedQueueConfig.builder().capacity(2).build());

    @Actor
    public void producer() {
      queue.offer(new Box(42));
    }

    @Actor
    public void consumer(I_Result r) {
      Box b = queue.poll();
      r.r1 = b == null ? -1 : b.value;
    }
  }

  /**
   * A full {@code DROP_OLDEST} queue of two holding 1 (oldest) and 2: one thread offers 3 (which
   * evicts the oldest), the other polls. Result: what the poll got, what was evicted (0 for
   * nothing), and 1 when every element is accounted for exactly once (polled, evicted or still in
   * the queue) and the stats add up.
   */
  @JCStressTest
  @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "the poll first: took 1, then 3 had room")
  @Outcome(
      id = "2, 1, 1",
      expect = ACCEPTABLE,
      desc = "the offer first: evicted 1, the poll took 2")
  @Outcome(expect = FORBIDDEN, desc = "an element lost or duplicated, or the counts disagree")
  @State
  public static class DropOldestAgainstTake {
    private final List<Integer> evicted = new ArrayList<>();
    private final BoundedQueue<Integer> queue =
        BoundedQueue.of(
            "jcstress",
            BoundedQueueConfig.builder().capacity(2).overflow(Overflow.DROP_OLDEST).build(),
            evicted::add);

    public DropOldestAgainstTake() {
      queue.offer(1);
      queue.offer(2);
    }

    @Actor
    public void producer() {
      queue.offer(3);
    }

    @Actor
    public void consumer(III_Result r) {
      Integer e = queue.poll();
      r.r1 = e == null ? 0 : e;
    }

    @Arbiter
    public void accounted(III_Result r) {
      r.r2 = evicted.size() == 1 ? evicted.get(0) : evicted.isEmpty() ? 0 : -1;
      List<Integer> all = new ArrayList<>(queue);
      all.addAll(evicted);
      if (r.r1 != 0) {
        all.add(r.r1);
      }
      all.sort(null);
      var s = queue.stats();
      boolean addsUp = s.enqueues() == 3 && s.enqueues() == s.dequeues() + s.evictions() + s.size();
      r.r3 = all.equals(List.of(1, 2, 3)) && addsUp ? 1 : 0;
    }
  }
}
