package dev.ballast.jmh;

import dev.ballast.queue.BoundedQueue;
import dev.ballast.queue.BoundedQueueConfig;
import dev.ballast.queue.Overflow;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.MpmcArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bounded queue offer and poll: Ballast's {@code BoundedQueue} under {@code REJECT} and {@code
 * DROP_NEWEST} beside {@link ArrayBlockingQueue}, {@link LinkedBlockingQueue} and JCTools' {@code
 * MpmcArrayQueue} (the bound a lock-free ring reaches), each of capacity 1024. Three shapes: one
 * producer and one consumer ({@code oneProducer}: JMH's group of an offering and a polling thread),
 * two producers and one consumer ({@code twoProducers}), and the offer-then-poll round trip on one
 * thread ({@code roundTrip}). A full queue refuses (or drops) at once and an empty one returns
 * null, so the time per operation is the queue's own cost, contention included.
 *
 * <p>Thread-safety: JMH creates one instance per trial and calls {@link #setUp()} before any
 * benchmark thread starts; the benchmark methods are then called concurrently, and are as
 * thread-safe as the queue under test.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class BoundedQueueBenchmark {

  /** The row {@link Suite} divides every time by: the bounded queue under {@code REJECT}. */
  static final String BASELINE = "REJECT";

  /** The rows {@link Suite} compares to the baseline under the table. */
  static final List<String> RIVALS = List.of("ARRAY_BLOCKING", "LINKED_BLOCKING", "JCTOOLS_MPMC");

  private static final int CAPACITY = 1024;

  /** The queues compared; each is built once per trial. */
  public enum Impl {
    /** Ballast's bounded queue, refusing when full. */
    REJECT {
      @Override
      Queue<Object> queue() {
        return BoundedQueue.of("bench", BoundedQueueConfig.builder().capacity(CAPACITY).build());
      }
    },
    /** Ballast's bounded queue, dropping the newest when full. */
    DROP_NEWEST {
      @Override
      Queue<Object> queue() {
        return BoundedQueue.of(
            "bench",
            BoundedQueueConfig.builder().capacity(CAPACITY).overflow(Overflow.DROP_NEWEST).build());
      }
    },
    /** The JDK's array-backed blocking queue (one lock). */
    ARRAY_BLOCKING {
      @Override
      Queue<Object> queue() {
        return new ArrayBlockingQueue<>(CAPACITY);
      }
    },
    /** The JDK's linked blocking queue (two locks, a node per element). */
    LINKED_BLOCKING {
      @Override
      Queue<Object> queue() {
        return new LinkedBlockingQueue<>(CAPACITY);
      }
    },
    /** JCTools' lock-free multi-producer multi-consumer ring: the bound. */
    JCTOOLS_MPMC {
      @Override
      Queue<Object> queue() {
        return new MpmcArrayQueue<>(CAPACITY);
      }
    };

    /** A new, empty queue of this implementation. */
    abstract Queue<Object> queue();
  }

  @Param public Impl impl = Impl.REJECT;

  private final Object element = new Object();

  @SuppressWarnings("NullAway.Init")
  private Queue<Object> queue;

  /** Builds the trial's queue. */
  @Setup
  public void setUp() {
    queue = impl.queue();
  }

  /**
   * One producer beside one consumer: offers one element.
   *
   * @return whether the queue took it
   */
  @Benchmark
  @Group("oneProducer")
  @GroupThreads(1)
  public boolean oneProducerOffer() {
    return queue.offer(element);
  }

  /**
   * One consumer beside one producer: polls one element.
   *
   * @return whether there was one
   */
  @Benchmark
  @Group("oneProducer")
  @GroupThreads(1)
  public boolean oneProducerPoll() {
    return queue.poll() != null;
  }

  /**
   * Two producers beside one consumer: offers one element.
   *
   * @return whether the queue took it
   */
  @Benchmark
  @Group("twoProducers")
  @GroupThreads(2)
  public boolean twoProducersOffer() {
    return queue.offer(element);
  }

  /**
   * One consumer beside two producers: polls one element.
   *
   * @return whether there was one
   */
  @Benchmark
  @Group("twoProducers")
  @GroupThreads(1)
  public boolean twoProducersPoll() {
    return queue.poll() != null;
  }

  /**
   * Offers then polls on one thread: the uncontended round trip.
   *
   * @return whether the poll found the element
   */
  @Benchmark
  @Group("roundTrip")
  @GroupThreads(1)
  public boolean roundTrip() {
    queue.offer(element);
    return queue.poll() != null;
  }
}
